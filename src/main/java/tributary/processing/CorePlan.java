package tributary.processing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import tributary.bus.CommitReceipt;
import tributary.bus.CoreBatch;
import tributary.bus.CoreReceipt;
import tributary.bus.Envelope;
import tributary.bus.EnvelopeBatch;
import tributary.processing.AggregateWindowStore.WindowKind;

/**
 * What core does with one forwarded batch, decided before any database work: each group is
 * processed (validated, normalised, results derived) or refused whole; the inputs and results of
 * the accepted groups, and the aggregate windows they open, commit together. Result ids are
 * derived from the input id, so a redelivered input yields the same results and de-duplication
 * covers them too.
 */
public final class CorePlan {
  public static final String RESULT_SENDER = "core";

  private final List<CoreReceipt.Outcome> refused;
  private final List<List<String>> groupIds;
  private final List<Part> parts;

  /**
   * What one accepted edge batch commits: its inputs and their results, the channels they go to,
   * and the aggregate windows they open. Parts commit in statements of their own (see
   * {@link CommitLanes}); a part's records always commit together. The request id is the edge
   * batch's, for the log lines about the part (X4).
   */
  public record Part(String requestId, List<Envelope> toAppend, Set<WindowKind> windows, Set<String> channels) {
    /** The first record's id, which log lines name for the part. */
    public String firstId() {
      return toAppend.get(0).id();
    }
  }

  private CorePlan(List<CoreReceipt.Outcome> refused, List<List<String>> groupIds, List<Part> parts) {
    this.refused = refused;
    this.groupIds = groupIds;
    this.parts = parts;
  }

  public static CorePlan of(CoreBatch batch, Function<String, ProcessorChain> chains, long now) {
    int groups = batch.groups().size();
    List<CoreReceipt.Outcome> refused = new ArrayList<>(java.util.Collections.nCopies(groups, null));
    List<List<String>> groupIds = new ArrayList<>(groups);
    List<Part> parts = new ArrayList<>(groups);
    for (int g = 0; g < groups; g++) {
      EnvelopeBatch group = batch.groups().get(g);
      List<String> ids = new ArrayList<>(group.envelopes().size());
      List<Envelope> accepted = new ArrayList<>(group.envelopes().size());
      Set<WindowKind> groupWindows = new LinkedHashSet<>();
      try {
        for (int i = 0; i < group.envelopes().size(); i++) {
          Envelope input = group.envelopes().get(i);
          ids.add(input.id());
          process(input, i, chains.apply(input.dataType()), now, accepted, groupWindows);
        }
        if (!accepted.isEmpty()) {
          Set<String> channels = new LinkedHashSet<>();
          accepted.forEach(e -> channels.add(e.channel()));
          parts.add(new Part(group.requestId(), accepted, groupWindows, channels));
        }
      } catch (RecordRejected e) {
        refused.set(g, CoreReceipt.Outcome.refused(400, e.getMessage()));
      }
      groupIds.add(ids);
    }
    return new CorePlan(refused, groupIds, parts);
  }

  private static void process(Envelope input, int index, ProcessorChain chain, long now, List<Envelope> out,
      Set<WindowKind> windows) {
    ProcessorChain.Prepared prepared;
    try {
      prepared = chain.apply(input.payload());
    } catch (RecordRejected e) {
      throw new RecordRejected("record " + (index + 1) + " (" + input.id() + "): " + e.getMessage());
    }
    out.add(new Envelope(input.id(), input.edge(), input.channel(), input.dataType(), input.priority(),
        input.producedAt(), input.sender(), input.destination(), prepared.payload(), input.blobRef()));
    for (int r = 0; r < prepared.results().size(); r++) {
      ProcessorChain.Derived d = prepared.results().get(r);
      JsonObject body = d.body().copy()
          .put("source", new JsonObject().put("channel", input.channel()).put("dataType", input.dataType()))
          .put("inputs", new JsonArray().add(input.id()));
      String key = input.id() + "|" + d.processor() + "|" + r;
      out.addAll(resultEnvelopes(key, d.processor(), input.priority(), input.channel(), Set.of(input.edge()), body,
          now));
    }
    AggregateSpec aggregate = chain.aggregate();
    if (aggregate != null) {
      windows.add(new WindowKind(input.channel(), input.dataType(), aggregate.windowMs()));
    }
  }

  /**
   * One result, as envelopes for the input channel's result channel and for the feed of each edge
   * it returns to; {@code key} names the result uniquely and fixes its ids.
   */
  public static List<Envelope> resultEnvelopes(String key, String kind, int priority, String channel,
      Set<String> edges, JsonObject body, long now) {
    List<Envelope> out = new ArrayList<>(1 + edges.size());
    String payload = body.encode();
    String firstEdge = edges.iterator().next();
    String resultChannel = ResultChannels.results(channel);
    out.add(new Envelope(resultId(key, resultChannel), firstEdge, resultChannel, kind, priority, now, RESULT_SENDER,
        null, payload, null));
    for (String edge : edges) {
      String feed = ResultChannels.edgeFeed(edge);
      out.add(new Envelope(resultId(key, feed), edge, feed, kind, priority, now, RESULT_SENDER, null, payload, null));
    }
    return out;
  }

  private static String resultId(String key, String target) {
    return UUID.nameUUIDFromBytes((key + "|" + target).getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** What the accepted edge batches commit, one part each; empty when every batch was refused. */
  public List<Part> parts() {
    return parts;
  }

  /** Every envelope of every part, in batch order. */
  public List<Envelope> toAppend() {
    List<Envelope> all = new ArrayList<>();
    parts.forEach(p -> all.addAll(p.toAppend()));
    return all;
  }

  /** The per-group answer, given the receipt of the append (which covers every accepted envelope). */
  public CoreReceipt receipt(CommitReceipt appended) {
    Map<String, CommitReceipt.Committed> byId = new HashMap<>();
    if (appended != null) {
      appended.records().forEach(c -> byId.putIfAbsent(c.id(), c));
    }
    // An id given more than once is one record: only its first place is answered as new.
    Set<String> answered = new HashSet<>();
    List<CoreReceipt.Outcome> outcomes = new ArrayList<>(groupIds.size());
    for (int g = 0; g < groupIds.size(); g++) {
      if (refused.get(g) != null) {
        outcomes.add(refused.get(g));
        continue;
      }
      List<CommitReceipt.Committed> committed = new ArrayList<>();
      for (String id : groupIds.get(g)) {
        CommitReceipt.Committed c = byId.get(id);
        committed.add(answered.add(id) || c.duplicate() ? c
            : new CommitReceipt.Committed(c.id(), c.channel(), c.cursor(), true));
      }
      outcomes.add(CoreReceipt.Outcome.committed(new CommitReceipt(committed)));
    }
    return new CoreReceipt(outcomes);
  }
}
