package tributary.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

class HttpsRedirectTest {
  @Test
  void aRequestGoesToTheSamePathOnTheHttpsPort() {
    assertEquals("https://example.org:8443/v1/x?after=3", HttpsRedirect.location("example.org", "/v1/x?after=3", 8443));
    assertEquals("https://example.org/", HttpsRedirect.location("example.org", "/", 443));
    assertEquals("https://[::1]:8443/", HttpsRedirect.location("::1", "/", 8443));
    assertEquals("https://localhost:8443/", HttpsRedirect.location(null, "http://elsewhere/", 8443));
  }

  @Test
  void readsMoveAndOtherMethodsAreRepeatedAsTheyWere() {
    assertEquals(301, HttpsRedirect.status(HttpMethod.GET));
    assertEquals(301, HttpsRedirect.status(HttpMethod.HEAD));
    assertEquals(308, HttpsRedirect.status(HttpMethod.POST));
    assertEquals(308, HttpsRedirect.status(HttpMethod.DELETE));
  }
}
