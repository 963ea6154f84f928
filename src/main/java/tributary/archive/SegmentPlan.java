package tributary.archive;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import tributary.placement.DiskRoom;
import tributary.placement.FirstCopyChooser;
import tributary.placement.Placement;
import tributary.placement.StoreLoad;
import tributary.storage.PriorityOrder;

/**
 * How the archiver cuts committed records into segment blobs and where each goes (E7): records in
 * cursor order become one segment per run of records from one edge site, as NDJSON; its first copy
 * goes to the best node of that site with room (any node when the site has none), the other copies
 * to nodes spread away from it.
 */
public final class SegmentPlan {
  private final FirstCopyChooser chooser;
  private final DiskRoom room;
  private final int copies;
  private final Random random;

  public SegmentPlan(FirstCopyChooser chooser, DiskRoom room, int copies, Random random) {
    this.chooser = chooser;
    this.room = room;
    this.copies = copies;
    this.random = random;
  }

  /** The records split where the edge site changes, order kept. */
  public static List<List<ArchiveStore.Pending>> runsBySite(List<ArchiveStore.Pending> pending) {
    List<List<ArchiveStore.Pending>> runs = new ArrayList<>();
    for (ArchiveStore.Pending p : pending) {
      if (runs.isEmpty() || !Objects.equals(runs.get(runs.size() - 1).get(0).site(), p.site())) {
        runs.add(new ArrayList<>());
      }
      runs.get(runs.size() - 1).add(p);
    }
    return runs;
  }

  /** A run's segment: each record's public JSON on its own line. */
  public static Buffer ndjson(List<ArchiveStore.Pending> run) {
    Buffer out = Buffer.buffer();
    for (ArchiveStore.Pending p : run) {
      out.appendString(p.record().toJsonText()).appendString("\n");
    }
    return out;
  }

  /** A segment's priority: its most urgent record's (E7), so its copies come before those of less urgent data. */
  public static int priority(List<ArchiveStore.Pending> run) {
    return run.stream().mapToInt(p -> p.record().priority()).min().orElse(PriorityOrder.UNSTATED);
  }

  /**
   * The channels to archive, most urgent first (E7): a channel whose waiting records include
   * priority-0 ones goes before a backlog of lower ones, and among equals the one waiting longest.
   */
  public static List<String> order(List<ArchiveStore.Behind> channels) {
    return PriorityOrder.urgentFirst(channels, ArchiveStore.Behind::priority, ArchiveStore.Behind::waitingSince)
        .stream().map(ArchiveStore.Behind::channel).toList();
  }

  /** The segment's name: {@code records/<channel>/<first cursor>-<last cursor>}. */
  public static String name(String channel, long firstCursor, long lastCursor) {
    return "records/" + channel + "/" + firstCursor + "-" + lastCursor;
  }

  /**
   * The nodes to write a segment of {@code bytes} from {@code site} to, the first copy's first;
   * empty when no live node has room for it.
   */
  public List<StoreLoad> targets(List<StoreLoad> live, String site, long bytes) {
    List<StoreLoad> roomy = room.withRoomFor(live, bytes);
    if (roomy.isEmpty()) {
      return List.of();
    }
    List<StoreLoad> atSite = roomy.stream().filter(s -> s.site().equals(site)).toList();
    StoreLoad first = chooser.choose(atSite.isEmpty() ? roomy : atSite, bytes);
    List<StoreLoad> targets = new ArrayList<>(List.of(first));
    targets.addAll(new Placement(random, room).choose(live, List.of(first), copies - 1, bytes));
    return targets;
  }
}
