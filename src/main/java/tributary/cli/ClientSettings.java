package tributary.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the client finds its node and its token: a flag ({@code --url}, {@code --token}) wins over
 * the environment ({@code TRIBUTARY_URL}, {@code TRIBUTARY_TOKEN}), which wins over the config file
 * ({@code --cli-config FILE}, else {@code ~/.config/tributary/cli.json}: {@code {"url": ..., "token": ...}});
 * the URL defaults to {@value #DEFAULT_URL}. Resolved once, before any request.
 */
public record ClientSettings(URI url, Optional<String> token) {
  public static final String DEFAULT_URL = "http://localhost:8080";
  public static final String URL_ENV = "TRIBUTARY_URL";
  public static final String TOKEN_ENV = "TRIBUTARY_TOKEN";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The default config file under a home folder. */
  public static Path defaultFile(Path home) {
    return home.resolve(".config").resolve("tributary").resolve("cli.json");
  }

  /**
   * Resolves both settings. {@code file} is the one given by flag (it must exist) or null, in which
   * case {@code defaultFile} is read if it exists. Throws {@link IllegalArgumentException} naming a
   * bad URL or an unreadable file.
   */
  public static ClientSettings resolve(String urlFlag, String tokenFlag, Path file, Path defaultFile,
      Map<String, String> env) {
    JsonNode config = readFile(file != null ? file : defaultFile, file != null);
    String url = first(urlFlag, env.get(URL_ENV), text(config, "url")).orElse(DEFAULT_URL);
    Optional<String> token = first(tokenFlag, env.get(TOKEN_ENV), text(config, "token"));
    return new ClientSettings(parseUrl(url), token);
  }

  /** The token, or a refusal that says where to give one. */
  public String tokenOrFail() {
    return token.orElseThrow(() -> new IllegalArgumentException("no token: give --token, set " + TOKEN_ENV
        + " or put \"token\" in " + "~/.config/tributary/cli.json"));
  }

  static URI parseUrl(String url) {
    try {
      URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException("url: '" + url + "' is not an http(s)://host[:port] URL");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw e.getMessage() != null && e.getMessage().startsWith("url:") ? e
          : new IllegalArgumentException("url: '" + url + "' is not an http(s)://host[:port] URL");
    }
  }

  private static JsonNode readFile(Path file, boolean required) {
    if (!Files.exists(file)) {
      if (required) {
        throw new IllegalArgumentException("cli-config: " + file + " does not exist");
      }
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(Files.readString(file));
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("cli-config: " + file + " must hold a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cli-config: " + file + " is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("cli-config: cannot read " + file + ": " + e.getMessage());
    }
  }

  private static String text(JsonNode config, String field) {
    JsonNode value = config.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Optional<String> first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return Optional.of(v.trim());
      }
    }
    return Optional.empty();
  }
}
