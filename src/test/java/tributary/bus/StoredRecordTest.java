package tributary.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Q1/Q2: a record's public JSON text, built by hand, is the JSON any parser reads back. */
class StoredRecordTest {
  @Test
  void textFieldsAreEscapedOnlyWhereJsonNeedsIt() {
    String awkward = "quote \" back\\slash tab\t nl\n bell\u0007 é ✓ /slash";
    StoredRecord r = new StoredRecord("chan-1", 7, "id-plain", "edge \"x\"", "type\\y", 3, 11, 12, awkward,
        "dest", "{\"v\":1}", null);
    JsonObject back = new JsonObject(r.toJsonText());
    assertEquals("chan-1", back.getString("channel"));
    assertEquals("id-plain", back.getString("id"));
    assertEquals("edge \"x\"", back.getString("edge"));
    assertEquals("type\\y", back.getString("dataType"));
    assertEquals(awkward, back.getString("sender"));
    assertEquals("dest", back.getString("destination"));
    assertEquals(new JsonObject().put("v", 1), back.getJsonObject("payload"));
    assertEquals(7L, back.getLong("cursor"));
    assertEquals("{\"cursor\":7,\"id\":\"id-plain\",\"channel\":\"chan-1\"", r.toJsonText().substring(0, 46));
  }
}
