package tributary.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.function.Supplier;
import tributary.cluster.ClusterCredentials;

/** Values every node of a cluster shares, each made at first use by whichever node asks first. */
public final class ClusterSecrets {
  private static final String CREDENTIALS = "cluster-credentials";

  private ClusterSecrets() {}

  /** A cluster-wide secret of 32 random bytes. */
  public static Future<byte[]> secret(Pool pool, String name) {
    byte[] candidate = new byte[32];
    new SecureRandom().nextBytes(candidate);
    return insertOrRead(pool, name, candidate);
  }

  /** The cluster's membership credentials (see {@link ClusterCredentials}). */
  public static Future<ClusterCredentials> credentials(Pool pool) {
    return madeOnce(pool, CREDENTIALS, () -> ClusterCredentials.create().toBytes()).map(ClusterCredentials::fromBytes);
  }

  /**
   * A cluster-wide value that is costly to make (a key pair, a certificate): read first, and made
   * by {@code make} only when the cluster has none yet, by whichever node asks first.
   */
  public static Future<byte[]> madeOnce(Pool pool, String name, Supplier<byte[]> make) {
    return pool.preparedQuery("SELECT value FROM cluster_secrets WHERE name = $1").execute(Tuple.of(name))
        .compose(rows -> rows.size() > 0 ? Future.succeededFuture(rows.iterator().next().getBuffer(0).getBytes())
            : insertOrRead(pool, name, make.get()));
  }

  private static Future<byte[]> insertOrRead(Pool pool, String name, byte[] candidate) {
    return pool.preparedQuery("WITH made AS (INSERT INTO cluster_secrets (name, value) VALUES ($1, $2) "
            + "ON CONFLICT (name) DO NOTHING RETURNING value) SELECT value FROM made UNION ALL "
            + "SELECT value FROM cluster_secrets WHERE name = $1")
        .execute(Tuple.of(name, Buffer.buffer(candidate)))
        // a node that lost the race to make it may not see the winner's row in this statement
        .compose(rows -> rows.size() == 0 ? insertOrRead(pool, name, candidate)
            : Future.succeededFuture(rows.iterator().next().getBuffer(0).getBytes()));
  }
}
