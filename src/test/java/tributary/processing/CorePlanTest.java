package tributary.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tributary.bus.CommitReceipt;
import tributary.bus.CoreBatch;
import tributary.bus.CoreReceipt;
import tributary.bus.Envelope;
import tributary.bus.EnvelopeBatch;

class CorePlanTest {
  private static final Map<String, ProcessorChain> CHAINS = Map.of("temp", ProcessorChain.fromConfig(new JsonObject(
      "{\"fields\": {\"t\": {\"type\": \"number\", \"required\": true}},"
          + " \"thresholds\": [{\"field\": \"t\", \"above\": 50}], \"aggregate\": {\"fields\": [\"t\"], \"windowMs\": 1000}}")));

  private static Envelope input(String id, String payload) {
    return new Envelope(id, "edge-1", "plant", "temp", 4, 0, "alice", null, payload, null);
  }

  private static CorePlan plan(List<EnvelopeBatch> groups) {
    return CorePlan.of(new CoreBatch("gateway-1", groups), t -> CHAINS.getOrDefault(t, ProcessorChain.NONE), 12_345);
  }

  @Test
  void aBadRecordRefusesOnlyItsOwnGroup() {
    CorePlan plan = plan(List.of(
        new EnvelopeBatch("request-1", List.of(input("a", "{\"t\": 1}"))),
        new EnvelopeBatch("request-2", List.of(input("b", "{\"t\": 2}"), input("c", "{}")))));
    assertEquals(List.of("a"), plan.toAppend().stream().map(Envelope::id).toList());
    assertEquals(List.of("request-1"), plan.parts().stream().map(CorePlan.Part::requestId).toList(),
        "each part keeps its edge batch's request id (X4)");
    CoreReceipt receipt = plan.receipt(new CommitReceipt(List.of(new CommitReceipt.Committed("a", "plant", 1, false))));
    assertNotNull(receipt.outcomes().get(0).receipt());
    assertNull(receipt.outcomes().get(1).receipt());
    assertEquals(400, receipt.outcomes().get(1).status());
    assertTrue(receipt.outcomes().get(1).error().startsWith("record 2 (c): field 't' is required"));
  }

  @Test
  void resultsGoToTheResultChannelAndTheEdgeFeedWithIdsFixedByTheInput() {
    CorePlan first = plan(List.of(new EnvelopeBatch("request-1", List.of(input("a", "{\"t\": 60}")))));
    CorePlan again = plan(List.of(new EnvelopeBatch("request-1", List.of(input("a", "{\"t\": 60}")))));
    List<Envelope> all = first.toAppend();
    assertEquals(3, all.size());
    assertEquals("plant.results", all.get(1).channel());
    assertEquals("_edge.edge-1", all.get(2).channel());
    assertEquals(List.of("a"), new JsonObject(all.get(1).payload()).getJsonArray("inputs").getList());
    assertEquals(all.stream().map(Envelope::id).toList(), again.toAppend().stream().map(Envelope::id).toList(),
        "a redelivered input derives the same result ids");
    assertEquals(Set.of(new AggregateWindowStore.WindowKind("plant", "temp", 1_000)), first.parts().get(0).windows(),
        "the input opens its channel's and type's windows; which one holds it comes with the commit time");
  }

  @Test
  void typesWithoutProcessingPassUnchanged() {
    Envelope raw = new Envelope("x", "e", "c", "other", 0, 0, "s", null, "[1, 2]", null);
    CorePlan plan = plan(List.of(new EnvelopeBatch("request-1", List.of(raw))));
    assertEquals(List.of(raw), new ArrayList<>(plan.toAppend()));
    assertTrue(plan.parts().get(0).windows().isEmpty());
  }
}
