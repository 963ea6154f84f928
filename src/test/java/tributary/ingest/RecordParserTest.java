package tributary.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tributary.fault.Refusal;

class RecordParserTest {
  @Test
  void oneRecordWithDefaults() {
    List<RecordParser.Input> in = RecordParser.parse("{\"payload\": {\"c\": 1}}", false, 1000);
    assertEquals(1, in.size());
    assertEquals("{\"c\":1}", in.get(0).payload());
    assertEquals(RecordParser.DEFAULT_TYPE, in.get(0).type());
    assertNull(in.get(0).priority());
  }

  @Test
  void ndjsonSkipsBlankLinesAndKeepsFields() {
    String body = "{\"payload\":1,\"type\":\"t\",\"priority\":2,\"id\":\"0E781832-76AE-4829-88C3-90EE8390DDC3\"}\n\n"
        + "{\"blobRef\":\"sha256:ab\",\"destination\":\"bob\"}\n";
    List<RecordParser.Input> in = RecordParser.parse(body, true, 1000);
    assertEquals(2, in.size());
    assertEquals(2, in.get(0).priority());
    assertEquals("0e781832-76ae-4829-88c3-90ee8390ddc3", in.get(0).id());
    assertEquals("sha256:ab", in.get(1).blobRef());
  }

  @Test
  void aBadLineIsNamedByNumber() {
    Refusal e = assertThrows(Refusal.class,
        () -> RecordParser.parse("{\"payload\":1}\n{\"payload\":2}\n{oops\n", true, 1000));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().startsWith("line 3:"), e.getMessage());
  }

  @Test
  void badFieldsAreRefused() {
    assertStatus(400, "{\"payload\":1,\"priority\":10}");
    assertStatus(400, "{\"payload\":1,\"priority\":\"high\"}");
    assertStatus(400, "{\"payload\":1,\"id\":\"not-a-uuid\"}");
    assertStatus(400, "{\"payload\":1,\"colour\":\"red\"}");
    assertStatus(400, "{\"type\":\"t\"}");
    assertStatus(400, "[1,2]");
    assertStatus(400, "{\"payload\":1,\"type\":\"bad type\"}");
    assertStatus(413, "{\"payload\":\"" + "x".repeat(2000) + "\"}");
  }

  @Test
  void payloadsAreBoundedInDepthAndNumberLengthAtTheLimitExactly() {
    String atLimit = "[".repeat(RecordParser.MAX_DEPTH) + "]".repeat(RecordParser.MAX_DEPTH);
    assertEquals(atLimit, RecordParser.parse("{\"payload\":" + atLimit + "}", false, 100_000).get(0).payload());
    String over = "{\"a\":" + atLimit + "}";
    Refusal deep = assertThrows(Refusal.class,
        () -> RecordParser.parse("{\"payload\":" + over + "}", false, 100_000));
    assertTrue(deep.getMessage().contains("nested deeper than " + RecordParser.MAX_DEPTH), deep.getMessage());
    String longest = "9".repeat(RecordParser.MAX_NUMBER_CHARS);
    RecordParser.parse("{\"payload\":[" + longest + "]}", false, 100_000);
    assertStatus(400, "{\"payload\":{\"n\":" + longest + "1}}");
  }

  @Test
  void linesThatGiveOneIdToDifferentRecordsAreRefusedByNumber() {
    String id = "0e781832-76ae-4829-88c3-90ee8390ddc3";
    String line = "{\"id\":\"" + id + "\",\"payload\":1}\n";
    assertEquals(2, RecordParser.parse(line + line, true, 1000).size(), "the same record twice is allowed");
    Refusal e = assertThrows(Refusal.class, () -> RecordParser.parse(line + "\n{\"id\":\"" + id
        + "\",\"payload\":2}", true, 1000));
    assertTrue(e.getMessage().startsWith("lines 1 and 3 "), e.getMessage());
  }

  private static void assertStatus(int status, String body) {
    assertEquals(status, assertThrows(Refusal.class, () -> RecordParser.parse(body, false, 1000)).status(), body);
  }
}
