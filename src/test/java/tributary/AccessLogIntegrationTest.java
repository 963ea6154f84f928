package tributary;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tributary.support.Http;
import tributary.support.TestNode;

/** X4: with --access-log, one line per request, with its id, and never the query (it may hold a token, X3). */
class AccessLogIntegrationTest {
  @Test
  void everyRequestGetsALineWithItsIdAndWithoutItsQuery() {
    Logger access = (Logger) LoggerFactory.getLogger("tributary.access");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    access.addAppender(lines);
    try (TestNode node = TestNode.start("access-node", Map.of("access-log", "true"))) {
      var answer = node.http.send(io.vertx.core.http.HttpMethod.GET, "/health?access_token=secret-in-query", null, null,
          null);
      String id = answer.getHeader("X-Request-Id");
      Http.awaitCondition(() -> messages(lines).stream().anyMatch(l -> l.contains(id)), 10_000, "the request's line");
      String line = messages(lines).stream().filter(l -> l.contains(id)).findFirst().orElseThrow();
      assertTrue(line.startsWith("GET /health 200 "), line);
      assertFalse(messages(lines).stream().anyMatch(l -> l.contains("secret-in-query")), "no query in the log");
    } finally {
      access.detachAppender(lines);
    }
  }

  private static List<String> messages(ListAppender<ILoggingEvent> lines) {
    synchronized (lines) { // AppenderBase appends under the appender's own lock
      return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }
}
