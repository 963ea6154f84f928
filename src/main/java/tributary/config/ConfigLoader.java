package tributary.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers raw option values from the JSON file, the environment and the command line, in that
 * order of precedence (flags win), then validates them into a {@link NodeConfig}.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** True when the arguments ask for the option list rather than a node. */
  public static boolean wantsHelp(String[] args) {
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  /** True when the arguments ask for the version rather than a node. */
  public static boolean wantsVersion(String[] args) {
    return java.util.Arrays.asList(args).contains("--version") || java.util.Arrays.asList(args).contains("-V");
  }

  public static NodeConfig load(String[] args, Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    Map<String, String> flags = parseFlags(args, problems);
    return merge(Map.of(), flags, env, problems);
  }

  /** The options given as flags, for {@link #reread}; throws naming every bad flag. */
  public static Map<String, String> flags(String[] args) {
    List<String> problems = new ArrayList<>();
    Map<String, String> flags = parseFlags(args, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return flags;
  }

  /**
   * D9 reload-config: the node's settings with the config file and the environment read again
   * laid over them, in the same order of precedence: the flags it started with still win.
   */
  public static NodeConfig reread(NodeConfig current, Map<String, String> flags, Map<String, String> env) {
    return merge(current.settings(), flags, env, new ArrayList<>());
  }

  private static NodeConfig merge(Map<String, String> base, Map<String, String> flags, Map<String, String> env,
      List<String> problems) {
    Map<String, String> fromEnv = new LinkedHashMap<>();
    for (Option option : Option.values()) {
      String value = env.get(option.envName());
      if (value != null) {
        fromEnv.put(option.key(), value);
      }
    }
    String file = flags.getOrDefault(Option.CONFIG.key(), fromEnv.getOrDefault(Option.CONFIG.key(),
        base.get(Option.CONFIG.key())));
    Map<String, String> merged = new LinkedHashMap<>(base);
    if (file != null) {
      merged.putAll(readFile(Path.of(file), problems));
    }
    merged.putAll(fromEnv);
    merged.putAll(flags);
    adminTokenFromFile(merged, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return NodeConfig.from(merged);
  }

  static Map<String, String> parseFlags(String[] args, List<String> problems) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        problems.add("'" + arg + "': expected --option=value or --option value");
        continue;
      }
      String body = arg.substring(2);
      int eq = body.indexOf('=');
      String key = eq < 0 ? body : body.substring(0, eq);
      String value;
      if (eq >= 0) {
        value = body.substring(eq + 1);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      } else {
        problems.add(key + ": a value is needed");
        continue;
      }
      if (Option.byKey(key) == null) {
        problems.add(key + ": unknown option (see --help)");
      } else if (Option.byKey(key) == Option.ADMIN_TOKEN) {
        problems.add(key + ": not taken as a flag, since every user of the machine sees a command line (ps); set "
            + Option.ADMIN_TOKEN.envName() + " or use --" + Option.ADMIN_TOKEN_FILE.key());
      } else {
        flags.put(key, value);
      }
    }
    return flags;
  }

  /** X3: the administrator token read from the file that {@code admin-token-file} names, if it is set. */
  static void adminTokenFromFile(Map<String, String> merged, List<String> problems) {
    String file = merged.get(Option.ADMIN_TOKEN_FILE.key());
    if (file == null || file.isBlank()) {
      return;
    }
    try {
      String token = Files.readString(Path.of(file.trim())).trim();
      String given = merged.get(Option.ADMIN_TOKEN.key());
      if (token.isEmpty()) {
        problems.add(Option.ADMIN_TOKEN_FILE.key() + ": " + file + " is empty");
      } else if (given != null && !given.equals(token)) {
        // (a reload finds the token it read from the file before among the settings: the same one)
        problems.add(Option.ADMIN_TOKEN_FILE.key() + ": give either it or " + Option.ADMIN_TOKEN.key() + ", not both");
      } else {
        merged.put(Option.ADMIN_TOKEN.key(), token);
      }
    } catch (IOException e) {
      problems.add(Option.ADMIN_TOKEN_FILE.key() + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")");
    }
  }

  private static Map<String, String> readFile(Path file, List<String> problems) {
    Map<String, String> values = new LinkedHashMap<>();
    try {
      JsonObject json = new JsonObject(Files.readString(file));
      for (Map.Entry<String, Object> e : json) {
        Object v = e.getValue();
        if (v instanceof JsonArray array) {
          List<String> items = new ArrayList<>();
          array.forEach(item -> items.add(String.valueOf(item)));
          values.put(e.getKey(), String.join(",", items));
        } else if (v == null || v instanceof JsonObject) {
          problems.add(e.getKey() + " (in " + file + "): must be a string, number, boolean or list");
        } else {
          values.put(e.getKey(), String.valueOf(v));
        }
      }
    } catch (IOException e) {
      problems.add("config: cannot read " + file + ": " + e.getMessage());
    } catch (DecodeException e) {
      problems.add("config: " + file + " is not a JSON object: " + e.getMessage());
    }
    return values;
  }

  public static String help() {
    StringBuilder out = new StringBuilder("""
        Tributary node. Every option is a flag (--name=value), a key of the JSON file given by
        --config, or an environment variable (TRIBUTARY_NAME); flags win over the environment,
        which wins over the file. With no redis-url / pg-url the node starts embedded servers.

        """);
    for (Option option : Option.values()) {
      out.append(String.format("  --%-24s %s%n", option.key(), option.help()));
      String def = option.defaultValue();
      out.append(String.format("    %-24s env %s%s%n", "", option.envName(),
          def == null ? "" : ", default '" + def + "'"));
    }
    return out.toString();
  }
}
