package tributary.http;

import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tributary.auth.ChannelAccessStore;
import tributary.auth.ChannelAccessStore.Access;
import tributary.auth.Principal;
import tributary.bus.StoredRecord;
import tributary.cache.ChannelCache;
import tributary.fault.Refusal;
import tributary.processing.ResultChannels;
import tributary.query.ChannelReader;
import tributary.query.PageFilter;
import tributary.storage.BlobCatalog;

/**
 * The one rights check (X3) that every read and write path asks: may this caller read or write a
 * channel, see a record, use a blob. Administrators may do everything.
 * <ul>
 *   <li>A channel is open to every authenticated user until its owner or an administrator
 *       restricts it; then its owner and its readers read, its owner and its writers write.
 *       {@code c.results} follows {@code c}.</li>
 *   <li>An edge's feed ({@code _edge.<node>}) is read whole only by administrators and by the
 *       edge's own token (an identity of kind edge named like the node); anyone else sees, record
 *       by record, the results of the channels they may read.</li>
 *   <li>A blob, its tasks and its seals are its owner's.</li>
 *   <li>A user's dispatch queue is its own; a dispatched task is its sender's and its
 *       destination's.</li>
 *   <li>Nodes, sinks, processors, users and grants are administrators' only; a storage node's plan
 *       file is also the cluster's storage nodes'.</li>
 * </ul>
 * {@code ArchitectureTest} keeps every API handler that reads a store of these behind a call here.
 */
public final class Rights {
  private final Function<String, Future<Access>> channels;
  private final Function<String, Future<Access>> current;

  /**
   * Rights over the channels whose stored rights {@code channels} looks up for reads and writes
   * ({@link ChannelAccessStore#cached}: an answer may be a moment old) and {@code current} for
   * management ({@link ChannelAccessStore#access}: as stored now, null for no channel, since a
   * channel's first post makes its owner).
   */
  public Rights(Function<String, Future<Access>> channels, Function<String, Future<Access>> current) {
    this.channels = channels;
    this.current = current;
  }

  public Future<Boolean> mayRead(String channel, Principal who) {
    if (who.isAdmin()) {
      return Future.succeededFuture(true);
    }
    if (ResultChannels.isEdgeFeed(channel)) {
      return Future.succeededFuture(who.kind() == Principal.Kind.EDGE && channel.equals(ResultChannels.edgeFeed(who.id())));
    }
    return channels.apply(governing(channel))
        .map(a -> !a.restricted() || isOwner(a, who) || a.readers().contains(who.id()));
  }

  public Future<Boolean> mayWrite(String channel, Principal who) {
    if (who.isAdmin()) {
      return Future.succeededFuture(true);
    }
    return channels.apply(channel).map(a -> !a.restricted() || isOwner(a, who) || a.writers().contains(who.id()));
  }

  /** Succeeds if the caller may read the channel; 403 otherwise. */
  public Future<Void> read(String channel, Principal who) {
    return mayRead(channel, who).compose(allowed -> allowed ? Future.succeededFuture()
        : Future.failedFuture(Refusal.forbidden("you may not read channel '" + channel + "'")));
  }

  /** Succeeds if the caller may write to the channel; 403 otherwise. */
  public Future<Void> write(String channel, Principal who) {
    return mayWrite(channel, who).compose(allowed -> allowed ? Future.succeededFuture()
        : Future.failedFuture(Refusal.forbidden("you may not write to channel '" + channel + "'")));
  }

  /** Succeeds if the caller is an administrator or the channel's owner; 403 naming {@code what} otherwise. */
  public Future<Void> manage(String channel, Principal who, String what) {
    if (who.isAdmin()) {
      return Future.succeededFuture();
    }
    return current.apply(channel).compose(now -> now != null && isOwner(now, who) ? Future.succeededFuture()
        : Future.failedFuture(Refusal.forbidden("only an administrator or the channel's owner may " + what)));
  }

  /**
   * Succeeds if the caller may see this record; 403 otherwise. A record of an edge feed is judged
   * by the channel its result came from (its payload, which core wrote, names it).
   */
  public Future<Void> readRecord(StoredRecord record, Principal who) {
    JsonObject visible = new JsonObject().put("id", record.id()).put("channel", record.channel());
    if (ResultChannels.isEdgeFeed(record.channel()) && record.payload() != null) {
      visible.put("payload", Json.decodeValue(record.payload()));
    }
    return mayReadRecords(List.of(visible), who).compose(allowed -> allowed.get(0) ? Future.succeededFuture()
        : Future.failedFuture(Refusal.forbidden("you may not read the channel of record '" + record.id() + "'")));
  }

  /** For each record (public JSON form), whether the caller may see it; one look-up per channel. */
  public Future<List<Boolean>> mayReadRecords(List<JsonObject> records, Principal who) {
    Map<String, Future<Boolean>> byChannel = new HashMap<>();
    List<Future<Boolean>> answers = new ArrayList<>(records.size());
    for (JsonObject record : records) {
      String channel = String.valueOf(record.getString("channel"));
      answers.add(byChannel.computeIfAbsent(channel, c -> mayRead(c, who)).compose(whole -> {
        if (whole || !ResultChannels.isEdgeFeed(channel)) {
          return Future.succeededFuture(whole);
        }
        String source = sourceChannel(record);
        return source == null || ResultChannels.isEdgeFeed(source) ? Future.succeededFuture(false)
            : byChannel.computeIfAbsent(source, c -> mayRead(c, who));
      }));
    }
    return Future.all(answers).map(all -> all.<Boolean>list());
  }

  /**
   * What the caller is shown of a page of the channel: all of it if it may read the channel, else
   * the records it may see one by one (an edge feed's results of readable channels). The page's
   * next cursor stays, so the reader moves past what it is not shown.
   */
  public PageFilter pageFilter(String channel, Principal who) {
    return page -> page.records().isEmpty() ? Future.succeededFuture(page) : mayRead(channel, who).compose(whole -> {
      if (whole) {
        return Future.succeededFuture(page);
      }
      List<JsonObject> parsed = page.json().stream().map(JsonObject::new).toList();
      return mayReadRecords(parsed, who).map(allowed -> {
        List<ChannelCache.Entry> kept = new ArrayList<>();
        for (int i = 0; i < allowed.size(); i++) {
          if (allowed.get(i)) {
            kept.add(page.records().get(i));
          }
        }
        return new ChannelReader.Page(kept, page.next());
      });
    });
  }

  /** The blob, if the caller owns it or is an administrator; 403 otherwise. */
  public static Future<BlobCatalog.Blob> useBlob(BlobCatalog.Blob blob, Principal who) {
    return mayUse(blob, who) ? Future.succeededFuture(blob)
        : Future.failedFuture(Refusal.forbidden("only the blob's owner or an administrator may use it"));
  }

  public static boolean mayUse(BlobCatalog.Blob blob, Principal who) {
    return who.isAdmin() || who.id().equals(blob.owner());
  }

  /** Whose things a listing shows the caller (blob tasks, dispatched tasks): null for everyone's (administrators), else its own. */
  public static String ownFilter(Principal who) {
    return who.isAdmin() ? null : who.id();
  }

  /** Returns if the caller is an administrator; 403 otherwise. */
  public static void administrator(Principal who) {
    if (who == null || !who.isAdmin()) {
      throw Refusal.forbidden("this needs an administrator token");
    }
  }

  /**
   * Returns if the caller may fetch and mark storage nodes' plan files (S7): an administrator, or a
   * storage node of the cluster (by the cluster's credential); 403 otherwise.
   */
  public static void nodePlans(Principal who, boolean clusterMember) {
    if (!clusterMember && (who == null || !who.isAdmin())) {
      throw Refusal.forbidden("a node's plan file is for administrators and the cluster's storage nodes only");
    }
  }

  /** Whether the caller is an administrator, for answers that show administrators more. */
  public static boolean isAdministrator(Principal who) {
    return who.isAdmin();
  }

  /** Returns if the caller is this user or an administrator; 403 with {@code refusal} otherwise. */
  public static void self(String userId, Principal who, String refusal) {
    if (!who.isAdmin() && !who.id().equals(userId)) {
      throw Refusal.forbidden(refusal);
    }
  }

  /** Whether the caller may see a dispatched task: an administrator, its sender or its destination. */
  public static boolean maySeeTask(String sender, String dest, Principal who) {
    return who.isAdmin() || who.id().equals(sender) || who.id().equals(dest);
  }

  /** The channel whose rights govern reads of this one: a result channel follows its input. */
  public static String governing(String channel) {
    String input = ResultChannels.inputOf(channel);
    return input == null ? channel : input;
  }

  private static boolean isOwner(Access a, Principal who) {
    return who.id().equals(a.owner());
  }

  private static String sourceChannel(JsonObject record) {
    return record.getValue("payload") instanceof JsonObject payload && payload.getValue("source") instanceof JsonObject s
        && s.getValue("channel") instanceof String c ? c : null;
  }
}
