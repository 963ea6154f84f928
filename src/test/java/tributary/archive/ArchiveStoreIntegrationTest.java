package tributary.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tributary.support.TestEnv.await;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.bus.Envelope;
import tributary.bus.Ids;
import tributary.store.RecordStore;
import tributary.support.TestEnv;

/**
 * E7 on real PostgreSQL: the archiver's pick of channels puts the one with priority-0 records
 * waiting before a backlog of low-priority channels that waited longer, even when the pick is cut
 * short, and judges a channel by its records still waiting only.
 */
class ArchiveStoreIntegrationTest {
  private static final TestEnv env = new TestEnv();
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = env.migratedPool(vertx, "archive-store");
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
    env.drop();
  }

  private static void append(String channel, int priority, int count, long now) {
    List<Envelope> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(new Envelope(Ids.newId(), "edge-1", channel, "temp", priority, 0, "alice", null, "{\"n\":" + i + "}",
          null));
    }
    await(RecordStore.appendIn(pool, batch, now, new RecordStore.Route("g", "c"), false));
  }

  @Test
  void channelsWithPriorityZeroRecordsWaitingArePickedFirst() {
    append("bulk-a", 9, 50, 1_000);
    append("bulk-b", 7, 50, 2_000);
    append("mixed", 0, 1, 3_000);
    append("mixed", 9, 5, 3_500);
    append("alarms", 9, 3, 4_000);
    append("alarms", 0, 1, 5_000);
    List<ArchiveStore.Behind> behind = await(new ArchiveStore(pool).behind(1, 100));
    // among priority-0 channels, the one waiting longest first
    assertEquals(List.of("mixed", "alarms", "bulk-b", "bulk-a"), SegmentPlan.order(behind));
    assertEquals(List.of("mixed"), SegmentPlan.order(await(new ArchiveStore(pool).behind(1, 1))),
        "a pick cut short keeps the most urgent channel");

    // once mixed's priority-0 record is archived, what waits there is low-priority work
    await(pool.withTransaction(tx -> ArchiveStore.lock(tx, "mixed").compose(v -> ArchiveStore.advance(tx, "mixed",
        1))));
    assertEquals(List.of("alarms", "bulk-b", "bulk-a", "mixed"),
        SegmentPlan.order(await(new ArchiveStore(pool).behind(1, 100))));
  }
}
