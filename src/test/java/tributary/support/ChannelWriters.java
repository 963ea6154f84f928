package tributary.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;

/** Concurrent writers posting NDJSON batches to one channel, the load of the guarantee tests. */
public final class ChannelWriters {
  private ChannelWriters() {}

  /**
   * Posts {@code batches} batches of {@code batchSize} records to a channel from {@code writers}
   * concurrent writers; completes when all are acknowledged. {@code pause} runs before each batch.
   */
  public static Future<Void> write(Http http, String token, String channel, int writers, int batches, int batchSize,
      Runnable pause) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < batchSize; i++) {
      body.append("{\"payload\":{\"n\":").append(i).append("}}\n");
    }
    List<Future<Void>> all = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      Promise<Void> done = Promise.promise();
      writeLoop(http, token, channel, body.toString(), batches / writers, pause, done);
      all.add(done.future());
    }
    return Future.all(all).mapEmpty();
  }

  private static void writeLoop(Http http, String token, String channel, String body, int left, Runnable pause,
      Promise<Void> done) {
    if (left == 0) {
      done.complete();
      return;
    }
    pause.run();
    http.sendAsync(HttpMethod.POST, "/v1/channels/" + channel + "/records", token, "application/x-ndjson", body)
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result().statusCode() == 202) {
            writeLoop(http, token, channel, body, left - 1, pause, done);
          } else {
            done.fail("post failed: " + (ar.succeeded() ? ar.result().bodyAsString() : ar.cause()));
          }
        });
  }
}
