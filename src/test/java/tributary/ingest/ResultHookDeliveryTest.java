package tributary.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import tributary.bus.StoredRecord;
import tributary.fault.Backoff;

class ResultHookDeliveryTest {
  private static StoredRecord result(long cursor) {
    return new StoredRecord("_edge.e1", cursor, "id-" + cursor, "e1", "alert", 5, 1, 2, "core", null,
        "{\"n\":" + cursor + "}", null);
  }

  @Test
  void aTakenBatchMovesDeliveryToItsLastCursorAndTheBodyCarriesEveryRecordWithItsCursor() {
    ResultHookDelivery d = new ResultHookDelivery("e1", 10, new Backoff(100, 1_000));
    List<StoredRecord> batch = List.of(result(11), result(12));
    JsonObject body = new JsonObject(d.body(batch));
    assertEquals("e1", body.getString("edge"));
    assertEquals(11L, body.getJsonArray("results").getJsonObject(0).getLong("cursor"));
    assertEquals(12, body.getJsonArray("results").getJsonObject(1).getJsonObject("payload").getInteger("n"));
    assertEquals(12, d.answered(batch, 204));
    assertEquals(0, d.waitMs());
  }

  @Test
  void aRefusedOrUnreachableHookKeepsTheCursorAndWaitsLongerEachTime() {
    ResultHookDelivery d = new ResultHookDelivery("e1", 10, new Backoff(100, 1_000));
    List<StoredRecord> batch = List.of(result(11));
    assertEquals(10, d.answered(batch, 503));
    assertEquals(100, d.waitMs());
    d.unreachable();
    assertEquals(200, d.waitMs());
    assertEquals(10, d.answered(batch, 400), "a refusal is retried too: results are never dropped");
    assertEquals(400, d.waitMs());
    for (int i = 0; i < 10; i++) {
      d.unreachable();
    }
    assertEquals(1_000, d.waitMs(), "capped");
    assertEquals(11, d.answered(batch, 200));
    assertEquals(0, d.waitMs(), "a success starts afresh");
  }
}
