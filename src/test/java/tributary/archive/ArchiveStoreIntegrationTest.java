package tributary.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tributary.bus.Envelope;
import tributary.bus.Ids;
import tributary.store.RecordStore;
import tributary.support.QueryPlans;
import tributary.support.MigratedSchema;

/**
 * E7 on real PostgreSQL: the archiver's pick of channels puts the one with priority-0 records
 * waiting before a backlog of low-priority channels that waited longer, even when the pick is cut
 * short, and judges a channel by its records still waiting only.
 */
class ArchiveStoreIntegrationTest {
  @RegisterExtension
  static final MigratedSchema db = new MigratedSchema("archive-store");

  private static void append(String channel, int priority, int count, long now) {
    List<Envelope> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(new Envelope(Ids.newId(), "edge-1", channel, "temp", priority, 0, "alice", null, "{\"n\":" + i + "}",
          null));
    }
    await(RecordStore.appendIn(db.pool(), batch, now, new RecordStore.Route("g", "c"), false));
  }

  @Test
  void channelsWithPriorityZeroRecordsWaitingArePickedFirst() {
    append("bulk-a", 9, 50, 1_000);
    append("bulk-b", 7, 50, 2_000);
    append("mixed", 0, 1, 3_000);
    append("mixed", 9, 5, 3_500);
    append("alarms", 9, 3, 4_000);
    append("alarms", 0, 1, 5_000);
    List<ArchiveStore.Behind> behind = await(new ArchiveStore(db.pool()).behind(1, 100, 5_000));
    // among priority-0 channels, the one waiting longest first
    assertEquals(List.of("mixed", "alarms", "bulk-b", "bulk-a"), SegmentPlan.order(behind));
    assertEquals(List.of("mixed"), SegmentPlan.order(await(new ArchiveStore(db.pool()).behind(1, 1, 5_000))),
        "a pick cut short keeps the most urgent channel");

    // once mixed's priority-0 record is archived, what waits there is low-priority work
    await(db.pool().withTransaction(tx -> ArchiveStore.lock(tx, "mixed").compose(v -> ArchiveStore.advance(tx, "mixed",
        1))));
    assertEquals(List.of("alarms", "bulk-b", "bulk-a", "mixed"),
        SegmentPlan.order(await(new ArchiveStore(db.pool()).behind(1, 100, 5_000))));
  }

  @Test
  void aChannelIsJudgedByItsNextSegmentWhichIsAllThatIsRead() {
    // 20,000 records waiting in one channel, priority 9 but for a priority-0 one at cursor 15,000
    await(db.pool().query("INSERT INTO channels (channel, last_cursor, created_at, owner) "
        + "VALUES ('deep', 20000, 0, 'alice')").execute());
    await(db.pool().query("INSERT INTO records (channel, cursor, record_id, edge, data_type, priority, produced_at, "
        + "committed_at, sender, payload) SELECT 'deep', g, gen_random_uuid(), 'edge-1', 'temp', "
        + "CASE WHEN g = 15000 THEN 0 ELSE 9 END, 0, 6000 + g, 'alice', '{}' FROM generate_series(1, 20000) g")
        .execute());
    try {
      assertEquals(new ArchiveStore.Behind("deep", 9, 6001), deep(5_000),
          "the next 5,000 records hold no priority-0 one");
      assertEquals(new ArchiveStore.Behind("deep", 0, 6001), deep(15_000), "a window that reaches it sees it");

      long read = QueryPlans.rowsRead(db.pool(), ArchiveStore.BEHIND, Tuple.of(1, 100, 100), "records");
      assertTrue(read > 0 && read <= 1_000, "a pass reads a window of each channel, not its backlog: " + read);
    } finally {
      await(db.pool().query("DELETE FROM records WHERE channel = 'deep'").execute());
      await(db.pool().query("DELETE FROM channels WHERE channel = 'deep'").execute());
    }
  }

  private static ArchiveStore.Behind deep(int window) {
    return await(new ArchiveStore(db.pool()).behind(1, 100, window)).stream().filter(b -> b.channel().equals("deep"))
        .findFirst().orElseThrow();
  }
}
