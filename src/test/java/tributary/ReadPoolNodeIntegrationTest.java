package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tributary.support.TestEnv.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.support.TestEnv;
import tributary.support.TestNode;

/** X2, Q7: a node given --pg-read-url answers history from that pool (here the same server under another name). */
class ReadPoolNodeIntegrationTest {
  @Test
  void historyIsReadThroughTheReadPool() {
    Vertx vertx = Vertx.vertx();
    Pool monitor = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(PgConnectOptions.fromUri(TestEnv.PG_URL)).using(vertx).build();
    try (TestNode node = TestNode.start("read-pool-node", Map.of("pg-read-url", TestEnv.PG_URL))) {
      String owner = node.http.createUser(node.env.adminToken, "owner");
      long from = System.currentTimeMillis() - 1;
      for (int i = 1; i <= 4; i++) {
        assertEquals(202, node.http.postJson("/v1/channels/kept/records", owner, "{\"payload\":" + i + "}")
            .statusCode());
      }
      JsonObject page = node.http.get("/v1/channels/kept/history?from=" + from + "&limit=3", owner).bodyAsJsonObject();
      assertEquals(3, page.getJsonArray("records").size());
      assertEquals(3L, page.getLong("next"));

      long byReadPool = await(monitor.preparedQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 "
              + "AND query LIKE '%committed_at >= $2%'")
          .execute(Tuple.of("tributary-read-pool-node-read"))).iterator().next().getLong(0);
      assertEquals(1, byReadPool, "the history page was the read pool's statement");
    } finally {
      await(vertx.close());
    }
  }
}
