package tributary.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AccessLogTest {
  @Test
  void aLineNamesTheRequestAndItsAnswer() {
    assertEquals("GET /v1/channels/a/stream 200 512 B 3 ms [request: r-1, from: 10.0.0.5]",
        AccessLog.line("GET", "/v1/channels/a/stream", 200, 512, 3, "r-1", "10.0.0.5"));
  }
}
