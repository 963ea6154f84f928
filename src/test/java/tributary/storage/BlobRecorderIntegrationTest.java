package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tributary.bus.Ids;
import tributary.placement.DiskRoom;
import tributary.placement.StoreLoad;
import tributary.support.MigratedSchema;

/**
 * S2 on real PostgreSQL: the recorders of a node's HTTP loops write their new blobs in one shared
 * group, and each caller hears that its blob is recorded on its own context, whichever loop's
 * statement carried it.
 */
class BlobRecorderIntegrationTest {
  @RegisterExtension
  static final MigratedSchema db = new MigratedSchema("blob-recorder");

  private static StoreLoad node(String id) {
    return new StoreLoad(id, "host", "site", "http://" + id, 0, 0, 0, 0, 1, 1, 0, 1L << 40);
  }

  @Test
  void recordersOfSeveralLoopsShareOneGroupAndEachCallerHearsOnItsOwnContext() {
    BlobRecorder.Shared shared = new BlobRecorder.Shared();
    StoreLoad a = node("rec-a");
    StoreLoad b = node("rec-b");
    int perLoop = 60;
    ConcurrentLinkedQueue<String> elsewhere = new ConcurrentLinkedQueue<>();
    List<Future<Void>> loops = new ArrayList<>();
    for (int loop = 0; loop < 3; loop++) {
      Context context = db.vertx().getOrCreateContext();
      Promise<Void> loopDone = Promise.promise();
      loops.add(loopDone.future());
      context.runOnContext(v -> {
        BlobRecorder recorder = new BlobRecorder(db.vertx(), db.pool(), new DiskRoom(0), shared);
        List<Future<Void>> recorded = new ArrayList<>();
        for (int i = 0; i < perLoop; i++) {
          String id = Ids.newId();
          BlobCatalog.Blob blob = new BlobCatalog.Blob(id, "sha-" + id, "md5-" + id, 1024, "other", null,
              "application/octet-stream", "owner", 2, List.of(), null, null, "n", "site", "live", 1, 5);
          LocalBlobStore.Stored copy = new LocalBlobStore.Stored(blob.sha256(), blob.md5(), 1024, "volumes/x@" + i);
          recorded.add(recorder.record(blob, Map.of(a, copy, b, copy), Map.of(), List.of(a, b), "owner", "replicate")
              .onComplete(ar -> {
                if (Vertx.currentContext() != context) {
                  elsewhere.add(id);
                }
              }));
        }
        Future.all(recorded).<Void>mapEmpty().onComplete(loopDone);
      });
    }
    await(Future.all(loops));
    assertTrue(elsewhere.isEmpty(), elsewhere.size() + " of " + 3 * perLoop + " callers heard of their blobs on "
        + "another loop, e.g. " + elsewhere.peek());
    long blobs = await(db.pool().query("SELECT count(*) FROM blobs").execute()).iterator().next().getLong(0);
    long copies = await(db.pool().query("SELECT count(*) FROM blob_copies").execute()).iterator().next().getLong(0);
    assertEquals(3L * perLoop, blobs);
    assertEquals(2L * 3 * perLoop, copies);
  }
}
