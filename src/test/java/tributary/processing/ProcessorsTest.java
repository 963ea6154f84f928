package tributary.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessorsTest {
  private static final JsonObject CONFIG = new JsonObject("""
      {"fields": {"t": {"type": "number", "required": true, "min": -50, "max": 150},
                  "unit": {"type": "string", "enum": ["C", "F"], "default": "C"},
                  "n": {"type": "integer"}},
       "additionalFields": "drop",
       "thresholds": [{"field": "t", "above": 80, "severity": "high"}, {"field": "t", "below": -20}],
       "aggregate": {"fields": ["t"], "windowMs": 1000}}
      """);

  @Test
  void validationNormalisesDefaultsNumbersAndUnknownFields() {
    ProcessorChain chain = ProcessorChain.fromConfig(CONFIG);
    ProcessorChain.Prepared p = chain.apply("{\"t\": \" 21.5 \", \"extra\": 1, \"n\": 3.0}");
    assertEquals(new JsonObject().put("t", 21.5).put("unit", "C").put("n", 3L), new JsonObject(p.payload()));
    assertTrue(p.results().isEmpty());
  }

  @Test
  void validationRefusesBadRecordsWithTheReason() {
    ProcessorChain chain = ProcessorChain.fromConfig(CONFIG);
    assertRejected(chain, "{\"unit\": \"C\"}", "field 't' is required");
    assertRejected(chain, "{\"t\": 200}", "field 't' must be within");
    assertRejected(chain, "{\"t\": \"warm\"}", "field 't' must be a number");
    assertRejected(chain, "{\"t\": 1, \"unit\": \"K\"}", "field 'unit' must be one of");
    assertRejected(chain, "{\"t\": 1, \"n\": 1.5}", "field 'n' must be an integer");
    assertRejected(chain, "[1]", "payload must be a JSON object");
    ProcessorChain strict = ProcessorChain.fromConfig(new JsonObject().put("additionalFields", "reject"));
    assertRejected(strict, "{\"x\": 1}", "field 'x' is not allowed");
  }

  @Test
  void thresholdsEmitAlertsOnlyWhenCrossed() {
    ProcessorChain chain = ProcessorChain.fromConfig(CONFIG);
    List<ProcessorChain.Derived> hot = chain.apply("{\"t\": 85}").results();
    assertEquals(1, hot.size());
    JsonObject alert = hot.get(0).body();
    assertEquals("alert", alert.getString("kind"));
    assertEquals("above", alert.getString("direction"));
    assertEquals("high", alert.getString("severity"));
    assertEquals(85.0, alert.getDouble("value"));
    assertEquals("below", chain.apply("{\"t\": -30}").results().get(0).body().getString("direction"));
    assertTrue(chain.apply("{\"t\": 80}").results().isEmpty(), "the bound itself is not crossed");
    ThresholdRules rules = new ThresholdRules(new JsonArray().add(new JsonObject().put("field", "t").put("above", 1)));
    assertTrue(rules.derive(new JsonObject().put("t", "high")).isEmpty(), "non-numeric values trigger nothing");
    assertTrue(rules.derive(new JsonObject().put("t", Double.NaN)).isEmpty(), "NaN triggers nothing");
    assertTrue(rules.derive(new JsonObject()).isEmpty(), "a missing field triggers nothing");
  }

  @Test
  void windowStatsOnEdgeCases() {
    WindowStats empty = WindowStats.of(new Object[0]);
    assertEquals(0, empty.count());
    assertNull(empty.p95());
    WindowStats one = WindowStats.of(new Object[] {7});
    assertEquals(7.0, one.min());
    assertEquals(7.0, one.max());
    assertEquals(7.0, one.mean());
    assertEquals(7.0, one.p95());
    WindowStats mixed = WindowStats.of(new Object[] {1, "x", null, Double.NaN, 3.0, Double.POSITIVE_INFINITY});
    assertEquals(2, mixed.count());
    assertEquals(4, mixed.ignored());
    assertEquals(2.0, mixed.mean());
    assertEquals(3.0, mixed.p95());
  }

  @Test
  void p95IsTheNearestRankOfSmallSets() {
    assertEquals(2.0, WindowStats.of(new Object[] {2, 1}).p95());
    Object[] twenty = new Object[20];
    for (int i = 0; i < 20; i++) {
      twenty[i] = i + 1;
    }
    assertEquals(19.0, WindowStats.of(twenty).p95(), "ceil(0.95 * 20) = 19th value");
    Object[] hundred = new Object[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = 100 - i;
    }
    assertEquals(95.0, WindowStats.of(hundred).p95());
  }

  @Test
  void badConfigurationsAreRefusedWithTheReason() {
    assertConfigError("{\"colour\": 1}", "unknown key 'colour'");
    assertConfigError("{\"fields\": {\"t\": {\"type\": \"float\"}}}", "fields.t.type: unknown value 'float'");
    assertConfigError("{\"thresholds\": [{\"field\": \"t\"}]}", "thresholds[0] needs a field");
    assertConfigError("{\"aggregate\": {\"fields\": [\"t\"], \"windowMs\": 5}}", "aggregate.windowMs");
    assertConfigError("{\"aggregate\": {\"windowMs\": 5000}}", "aggregate.fields");
  }

  @Test
  void windowsAreAlignedTumblingIntervalsOfTheirKind() {
    AggregateWindowStore.WindowKind kind = new AggregateWindowStore.WindowKind("c", "t", 1000);
    assertEquals(new AggregateWindowStore.Window("c", "t", 5000, 1000), kind.at(5000));
    assertEquals(new AggregateWindowStore.Window("c", "t", 5000, 1000), kind.at(5999));
    assertEquals(new AggregateWindowStore.Window("c", "t", 6000, 1000), kind.at(6000));
    assertEquals(-1000, AggregateWindowStore.Window.startOf(-1, 1000), "aligned below zero too");
  }

  private static void assertRejected(ProcessorChain chain, String payload, String reason) {
    RecordRejected e = assertThrows(RecordRejected.class, () -> chain.apply(payload));
    assertTrue(e.getMessage().startsWith(reason), e.getMessage());
  }

  private static void assertConfigError(String config, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ProcessorChain.fromConfig(new JsonObject(config)));
    assertTrue(e.getMessage().startsWith(reason), e.getMessage());
  }
}
