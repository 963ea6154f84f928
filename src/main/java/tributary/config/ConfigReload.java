package tributary.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * D9 reload-config: what a configuration read again changes. Options in {@link #LIVE} take effect
 * at once (the node's verticles read them when they use them); any other changed option is kept
 * at its running value and reported as needing a restart of the process.
 *
 * @param applied the running configuration with the changed live options taken over
 * @param live the live options that changed, as "key=value"
 * @param needsRestart the other options that changed, by key
 */
public record ConfigReload(NodeConfig applied, List<String> live, List<String> needsRestart) {
  /** The options a running node applies without a restart. */
  public static final Set<Option> LIVE = EnumSet.of(Option.STATUS_PERIOD_MS, Option.MAX_CONNECTIONS,
      Option.CACHE_TTL_MS, Option.CACHE_ADAPTIVE);

  public ConfigReload {
    live = List.copyOf(live);
    needsRestart = List.copyOf(needsRestart);
  }

  /** Compares the running configuration with the one read again; throws if the result is invalid. */
  public static ConfigReload between(NodeConfig running, NodeConfig reread) {
    Map<String, String> settings = new LinkedHashMap<>(running.settings());
    List<String> live = new ArrayList<>();
    List<String> needsRestart = new ArrayList<>();
    for (Option option : Option.values()) {
      String now = running.settings().get(option.key());
      String next = reread.settings().get(option.key());
      if (Objects.equals(now, next)) {
        continue;
      }
      if (LIVE.contains(option)) {
        settings.put(option.key(), next);
        live.add(option.key() + "=" + next);
      } else {
        needsRestart.add(option.key());
      }
    }
    return new ConfigReload(live.isEmpty() ? running : NodeConfig.from(settings), live, needsRestart);
  }

  /** The command's output: what was applied and what needs a restart. */
  public String output() {
    return "applied live: " + (live.isEmpty() ? "none" : String.join(", ", live))
        + "; needs restart: " + (needsRestart.isEmpty() ? "none" : String.join(", ", needsRestart))
        + " (live options: " + String.join(", ", LIVE.stream().map(Option::key).toList()) + ")";
  }
}
