package tributary.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tributary.config.ConfigException;
import tributary.config.ConfigLoader;
import tributary.config.NodeConfig;

/** A node's settings as the admin commands find them: their flags, then the environment and config file, as a node reads them. */
final class NodeFlags {
  private final Map<String, String> flags = new LinkedHashMap<>();

  /** A node option given to the command; null when it was not. */
  NodeFlags with(String key, String value) {
    if (value != null) {
      flags.put(key, value);
    }
    return this;
  }

  NodeConfig load(CliIo io) {
    List<String> args = new ArrayList<>();
    flags.forEach((key, value) -> args.add("--" + key + "=" + value));
    try {
      return ConfigLoader.load(args.toArray(String[]::new), io.env());
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }
}
