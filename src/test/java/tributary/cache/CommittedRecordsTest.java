package tributary.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tributary.Codecs;
import tributary.bus.Addresses;
import tributary.bus.ChannelAppend;
import tributary.bus.ChannelCommitted;
import tributary.bus.StoredRecord;
import tributary.config.NodeConfig;

/** Q3: a commit notice carries its records up to a bounded size, else their cursor range only. */
class CommittedRecordsTest {
  private static List<StoredRecord> records(long first, int count, int payloadChars) {
    List<StoredRecord> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new StoredRecord("c", first + i, "00000000-0000-0000-0000-00000000000" + (i % 10), "e", "t", 5, 0, 0,
          "s", null, "\"" + "x".repeat(payloadChars) + "\"", null));
    }
    return out;
  }

  @Test
  void aSmallCommitCarriesItsRecords() {
    List<StoredRecord> stored = records(11, 3, 10);
    ChannelCommitted notice = CommittedRecords.notice("c", stored);
    assertTrue(notice.carriesRecords());
    assertEquals(11, notice.first());
    assertEquals(13, notice.last());
    assertEquals(stored.get(2).toJsonText(), notice.records().get(2));
  }

  @Test
  void aLargeCommitNamesItsRangeOnly() {
    ChannelCommitted notice = CommittedRecords.notice("c", records(1, 100, CommittedRecords.NOTICE_MAX_CHARS / 50));
    assertFalse(notice.carriesRecords());
    assertEquals(1, notice.first());
    assertEquals(100, notice.last());
  }

  @Test
  void eachCacheWriteOfAChannelIsJudgedByItsOwnOutcomeNotThePreviousOne() throws Exception {
    Vertx vertx = Vertx.vertx();
    Logger log = (Logger) LoggerFactory.getLogger(CommittedRecords.class);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    log.addAppender(seen);
    try {
      Codecs.registerAll(vertx.eventBus());
      // the cache refuses the writes of cursors 1 and 3 and takes cursor 2's
      vertx.eventBus().<ChannelAppend>consumer(Addresses.CACHE_APPEND, m -> {
        if (m.body().records().get(0).cursor() == 2) {
          m.reply(null);
        } else {
          m.fail(503, "redis away");
        }
      }).completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      CommittedRecords committed = new CommittedRecords(vertx, NodeConfig.from(Map.of()));
      Context context = vertx.getOrCreateContext();
      CompletableFuture<Void> done = new CompletableFuture<>();
      // three commits of one channel in a row: each cache write waits for the one before
      context.runOnContext(v -> Future.all(committed.announce(Map.of("c", records(1, 1, 5))),
              committed.announce(Map.of("c", records(2, 1, 5))), committed.announce(Map.of("c", records(3, 1, 5))))
          .onComplete(all -> done.complete(null)));
      done.get(10, TimeUnit.SECONDS);

      List<String> failed = seen.list.stream().map(ILoggingEvent::getFormattedMessage)
          .filter(line -> line.startsWith("cache append failed")).toList();
      assertEquals(2, failed.size(), failed.toString());
      assertTrue(failed.get(0).contains("first cursor: 1"), failed.get(0));
      assertTrue(failed.get(1).contains("first cursor: 3"), failed.get(1));
    } finally {
      log.detachAppender(seen);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
