package tributary.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ExportKeyTest {
  @Test
  void aRawRecordIsMatchedByItsOwnChannelAndType() {
    assertEquals(new ExportKey(false, "boiler", "temp"), ExportKey.of("boiler", "temp", "{\"t\":1}"));
  }

  @Test
  void aResultIsMatchedByItsInputChannelAndInputType() {
    assertEquals(new ExportKey(true, "boiler", "temp"),
        ExportKey.of("boiler.results", "alert", "{\"kind\":\"alert\",\"source\":{\"dataType\":\"temp\"}}"));
  }

  @Test
  void aResultWithoutAReadableSourceHasNoType() {
    assertEquals(new ExportKey(true, "boiler", null), ExportKey.of("boiler.results", "alert", "not json"));
    assertEquals(new ExportKey(true, "boiler", null), ExportKey.of("boiler.results", "alert", "{\"source\":7}"));
    assertEquals(new ExportKey(true, "boiler", null), ExportKey.of("boiler.results", "alert", null));
  }

  @Test
  void edgeFeedsAreNeverExported() {
    assertNull(ExportKey.of("_edge.site-a", "alert", "{}"));
  }
}
