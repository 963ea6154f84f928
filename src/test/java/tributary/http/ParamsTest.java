package tributary.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import tributary.fault.Refusal;

class ParamsTest {
  private static void refused(Runnable read, String naming) {
    Refusal e = assertThrows(Refusal.class, read::run);
    assertEquals(400, e.status());
    assertTrue(e.getMessage().startsWith(naming + " "), e.getMessage());
  }

  @Test
  void aUriWithABrokenEscapeOrAControlCharacterRawOrEncodedIsTold() {
    for (String uri : List.of("/v1/blobs/%00", "/v1/blobs/a%0Ab", "/v1/blobs/%1f", "/v1/x/%7F", "/v1/x/a\u0001",
        "/v1/x?state=%00")) {
      assertTrue(Params.uriProblem(uri).contains("control character"), uri);
    }
    for (String uri : List.of("/v1/x/%", "/v1/x/%ZZ", "/v1/x/a%2", "/v1/x?a=%G1")) {
      assertTrue(Params.uriProblem(uri).contains("%25"), uri);
    }
    for (String uri : List.of("/v1/blobs/abc", "/v1/channels/a%20b", "/v1/x/%2F", "/v1/x/%E2%80%AE", "/v1/x/%20%7E?a=1")) {
      assertEquals(null, Params.uriProblem(uri), uri);
    }
  }

  @Test
  void aFieldOfTheWrongJsonTypeIsA400NamingIt() {
    JsonObject body = new JsonObject("{\"s\": 5, \"b\": \"yes\", \"n\": \"7\", \"l\": \"x\", \"o\": [], \"f\": 1.5}");
    refused(() -> Params.string(body, "s", null), "s");
    refused(() -> Params.bool(body, "b", false), "b");
    refused(() -> Params.number(body, "n", 0, 0, 9), "n");
    refused(() -> Params.number(body, "f", 0, 0, 9), "f");
    refused(() -> Params.stringList(body, "l"), "l");
    refused(() -> Params.nameList(new JsonObject("{\"l\": [\"ok\", \"not ok\"]}"), "l", "user ids"), "l");
    refused(() -> Params.object(body, "o", null), "o");
    refused(() -> Params.string(body, "absent"), "absent");
    refused(() -> Params.number(body, "absent", 0, 9), "absent");
  }

  @Test
  void absentFieldsTakeTheirFallbackAndGoodOnesTheirValue() {
    JsonObject body = new JsonObject("{\"s\": \"a\", \"b\": true, \"n\": 7, \"l\": [\"x\", \"y\"], \"z\": null}");
    assertEquals("a", Params.string(body, "s"));
    assertEquals("d", Params.string(body, "z", "d"));
    assertTrue(Params.bool(body, "b", false));
    assertEquals(7, Params.number(body, "n", 0, 0, 9));
    assertEquals(5, Params.number(body, "absent", 5, 0, 9));
    assertEquals(List.of("x", "y"), Params.nameList(body, "l", "user ids"));
    assertEquals(List.of(), Params.stringList(body, "absent"));
  }
}
