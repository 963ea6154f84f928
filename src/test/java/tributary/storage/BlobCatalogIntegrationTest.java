package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tributary.support.QueryPlans;
import tributary.support.MigratedSchema;

/** S5 on real PostgreSQL: the scrub's look for due copies, in order, reading only what it takes. */
class BlobCatalogIntegrationTest {
  @RegisterExtension
  static final MigratedSchema db = new MigratedSchema("blob-catalog");

  private static void copy(String blob, String store, String sha, String state, long verifiedAt) {
    await(db.pool().preparedQuery("INSERT INTO blob_copies (blob_id, store_id, path, sha256, md5, state, created_at, "
            + "verified_at) VALUES ($1, $2, 'p', $3, 'md5-' || $3, $4, 0, $5)")
        .execute(Tuple.of(blob, store, sha, state, verifiedAt)));
  }

  private static List<String> due(String store, long before, int limit) {
    return await(new BlobCatalog(db.pool()).dueForScrub(store, before, limit)).stream().map(BlobCatalog.Due::sha256)
        .toList();
  }

  @Test
  void aScrubTakesTheContentVerifiedLongestAgoAndReadsOnlyTheCopiesItTakes() {
    // 20,000 copies verified lately, and a few due: content "a" held by two blobs, one of them verified later
    await(db.pool().query("INSERT INTO blob_copies (blob_id, store_id, path, sha256, md5, state, created_at, verified_at) "
        + "SELECT 'fresh-' || g, 'scrub-1', 'p', 'fresh-' || g, 'm', 'healthy', 0, 1000000 + g "
        + "FROM generate_series(1, 20000) g").execute());
    copy("a-1", "scrub-1", "a", "healthy", 100);
    copy("a-2", "scrub-1", "a", "healthy", 450);
    copy("b-1", "scrub-1", "b", "healthy", 200);
    copy("c-1", "scrub-1", "c", "healthy", 300);
    copy("d-1", "scrub-1", "d", "healthy", 400);
    copy("gone-1", "scrub-1", "gone", "deleted", 50);
    copy("a-1", "scrub-2", "a", "healthy", 10);

    assertEquals(List.of("a", "b", "c", "d"), due("scrub-1", 1000, 16), "oldest first, each content once");
    assertEquals(List.of("a", "b"), due("scrub-1", 1000, 2));
    assertEquals(List.of("a", "b"), due("scrub-1", 250, 16), "only what was verified before the cut");
    assertEquals(List.of(), due("scrub-1", 50, 16));

    long read = QueryPlans.rowsRead(db.pool(), BlobCatalog.DUE_FOR_SCRUB, Tuple.of("scrub-1", 1000L, 16), "blob_copies");
    assertTrue(read <= 16, "a look for due copies reads the copies it takes, not the node's all: " + read);
    assertEquals(0, QueryPlans.rowsRead(db.pool(), BlobCatalog.DUE_FOR_SCRUB, Tuple.of("scrub-1", 50L, 16), "blob_copies"),
        "and none when nothing is due");
  }
}
