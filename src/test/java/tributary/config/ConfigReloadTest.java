package tributary.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReloadTest {
  @Test
  void liveOptionsApplyAndTheOthersWaitForARestart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.json");
    Files.writeString(file, "{\"cache-ttl-ms\": 3600000}");
    String[] args = {"--config", file.toString(), "--max-connections=50"};
    NodeConfig running = ConfigLoader.load(args, Map.of());
    Files.writeString(file, "{\"cache-ttl-ms\": 120000, \"max-connections\": 7, \"sse-stall-ms\": 5000}");
    NodeConfig reread = ConfigLoader.reread(running, ConfigLoader.flags(args), Map.of("TRIBUTARY_STATUS_PERIOD_MS", "250"));

    ConfigReload reload = ConfigReload.between(running, reread);
    assertEquals(List.of("cache-ttl-ms=120000", "status-period-ms=250"), reload.live());
    assertEquals(List.of("sse-stall-ms"), reload.needsRestart());
    assertEquals(120_000, reload.applied().cacheTtlMs());
    assertEquals(250, reload.applied().status().periodMs());
    assertEquals(50, reload.applied().maxConnections(), "a flag still wins over the file");
    assertEquals(running.sseStallMs(), reload.applied().sseStallMs(), "kept until a restart");
    assertTrue(reload.output().startsWith("applied live: cache-ttl-ms=120000, status-period-ms=250; needs restart: "
        + "sse-stall-ms"), reload.output());
  }

  @Test
  void nothingChangedAppliesNothing() {
    NodeConfig running = ConfigLoader.load(new String[0], Map.of());
    ConfigReload reload = ConfigReload.between(running, ConfigLoader.reread(running, Map.of(), Map.of()));
    assertEquals(List.of(), reload.live());
    assertEquals(List.of(), reload.needsRestart());
    assertTrue(reload.output().startsWith("applied live: none; needs restart: none"));
  }

  @Test
  void anInvalidFileIsRefusedNamingTheOption(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.json");
    Files.writeString(file, "{}");
    NodeConfig running = ConfigLoader.load(new String[] {"--config=" + file}, Map.of());
    Files.writeString(file, "{\"status-period-ms\": 1}");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigReload.between(running,
        ConfigLoader.reread(running, Map.of(), Map.of())));
    assertTrue(e.getMessage().contains("status-period-ms: must be between 50"), e.getMessage());
  }
}
