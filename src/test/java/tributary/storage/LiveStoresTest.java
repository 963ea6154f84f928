package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tributary.placement.StoreLoad;

class LiveStoresTest {
  private final List<Promise<List<StoreLoad>>> lookUps = new ArrayList<>();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final LiveStores live = new LiveStores(this::lookUp, LiveStores.newSnapshot(), now::get);

  private Future<List<StoreLoad>> lookUp() {
    Promise<List<StoreLoad>> promise = Promise.promise();
    lookUps.add(promise);
    return promise.future();
  }

  private static List<StoreLoad> stores(int count) {
    List<StoreLoad> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new StoreLoad("s" + i, "h" + i, "site", "http://s" + i, 0, 0, 0, 0, 1, 1, 0, 0));
    }
    return out;
  }

  private void answer(int stores) {
    lookUps.get(lookUps.size() - 1).complete(stores(stores));
  }

  @Test
  void aRequestForMoreNodesThanKnownLooksThemUpAndSeesANodeThatJustCameUp() {
    live.refresh();
    answer(2);
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(150));

    Future<List<StoreLoad>> three = live.atLeast(3);
    assertEquals(2, lookUps.size(), "fewer known than wanted: looked up again");
    answer(4);
    assertEquals(4, three.result().size(), "the node that came up since is placed on");
    assertEquals(4, live.atLeast(3).result().size());
    assertEquals(2, lookUps.size(), "enough known: no look-up");
  }

  @Test
  void requestsMadeWhileALookUpIsUnderWayShareIt() {
    Future<List<StoreLoad>> first = live.atLeast(3);
    Future<List<StoreLoad>> second = live.atLeast(3);
    Future<List<StoreLoad>> periodic = live.refresh();
    assertEquals(1, lookUps.size());
    assertSame(first, second);
    assertSame(first, periodic);
    answer(3);
    assertEquals(3, second.result().size());
  }

  @Test
  void aClusterWithFewerNodesThanCopiesIsLookedUpAtMostOncePerRecheckPeriod() {
    live.atLeast(3);
    answer(2);
    for (int i = 0; i < 50; i++) {
      Future<List<StoreLoad>> known = live.atLeast(3);
      assertEquals(2, known.result().size(), "the two there are, without a query per upload");
      now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
    }
    assertEquals(1, lookUps.size());
    now.addAndGet(LiveStores.RECHECK_NANOS);
    Future<List<StoreLoad>> later = live.atLeast(3);
    assertFalse(later.isComplete(), "past the recheck period a request looks again");
    assertEquals(2, lookUps.size());
  }

  @Test
  void aFailedLookUpIsRetriedByTheNextRequest() {
    Future<List<StoreLoad>> failed = live.atLeast(2);
    lookUps.get(0).fail("database away");
    assertEquals("database away", failed.cause().getMessage());
    live.atLeast(2);
    assertEquals(2, lookUps.size(), "a failure is not taken as an answer");
    answer(2);
    assertEquals(2, live.current().size());
  }
}
