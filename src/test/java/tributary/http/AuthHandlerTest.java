package tributary.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

class AuthHandlerTest {
  @Test
  void onlyLiveStreamsTakeATokenInTheQuery() {
    for (String stream : new String[] {"/v1/channels/c/stream", "/v1/edge/results/stream", "/v1/users/bob/data/stream"}) {
      assertTrue(AuthHandler.isStream(HttpMethod.GET, stream), stream);
      assertFalse(AuthHandler.isStream(HttpMethod.POST, stream), "only reads: " + stream);
    }
    for (String other : new String[] {"/v1/channels/stream", "/v1/dispatch/tasks/stream", "/v1/blobs/stream",
        "/v1/channels/c/records", "/v1/users/bob/data", "/v1/channels/c/stream/x", "/v1/channels/a/b/stream",
        "/v1/users/bob/tokens"}) {
      assertFalse(AuthHandler.isStream(HttpMethod.GET, other), other);
    }
  }
}
