package tributary.bus;

import java.util.Map;
import tributary.config.NodeConfig;

/**
 * Local to a node: reload-config changed live options (D9); the node's verticles take over the
 * configuration, in which only live options differ from what they run with.
 */
public record ConfigApplied(Map<String, String> settings) {
  public ConfigApplied {
    settings = Map.copyOf(settings);
  }

  public NodeConfig config() {
    return NodeConfig.from(settings);
  }
}
