package tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSettingsTest {
  @TempDir
  Path dir;

  private Path file(String name, String json) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, json);
    return file;
  }

  private static final Map<String, String> ENV = Map.of(ClientSettings.URL_ENV, "http://env:1",
      ClientSettings.TOKEN_ENV, "trb_env");

  @Test
  void flagsWinOverTheEnvironmentWhichWinsOverTheFile() throws IOException {
    Path config = file("cli.json", "{\"url\": \"http://file:3\", \"token\": \"trb_file\"}");
    ClientSettings flags = ClientSettings.resolve("http://flag:2", "trb_flag", config, dir.resolve("none"), ENV);
    assertEquals(URI.create("http://flag:2"), flags.url());
    assertEquals(Optional.of("trb_flag"), flags.token());
    ClientSettings env = ClientSettings.resolve(null, null, config, dir.resolve("none"), ENV);
    assertEquals(URI.create("http://env:1"), env.url());
    assertEquals(Optional.of("trb_env"), env.token());
    ClientSettings fromFile = ClientSettings.resolve(null, null, config, dir.resolve("none"), Map.of());
    assertEquals(URI.create("http://file:3"), fromFile.url());
    assertEquals(Optional.of("trb_file"), fromFile.token());
  }

  @Test
  void eachSettingIsTakenFromItsOwnBestSource() throws IOException {
    Path config = file("cli.json", "{\"url\": \"https://file:3/\", \"token\": \"trb_file\"}");
    ClientSettings mixed = ClientSettings.resolve(null, "trb_flag", config, dir.resolve("none"),
        Map.of(ClientSettings.URL_ENV, " "));
    assertEquals(URI.create("https://file:3"), mixed.url(), "a blank variable counts as unset; a trailing / is dropped");
    assertEquals(Optional.of("trb_flag"), mixed.token());
  }

  @Test
  void theDefaultFileIsReadWhenNoneIsGivenAndTheUrlDefaultsToLocalhost() throws IOException {
    Path home = dir.resolve("home");
    Path config = ClientSettings.defaultFile(home);
    Files.createDirectories(config.getParent());
    Files.writeString(config, "{\"token\": \"trb_home\"}");
    ClientSettings s = ClientSettings.resolve(null, null, null, config, Map.of());
    assertEquals(URI.create(ClientSettings.DEFAULT_URL), s.url());
    assertEquals("trb_home", s.tokenOrFail());
    assertEquals(home.resolve(".config/tributary/cli.json"), config);
  }

  @Test
  void aMissingTokenSaysWhereToGiveOne() {
    ClientSettings s = ClientSettings.resolve(null, null, null, dir.resolve("none"), Map.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, s::tokenOrFail);
    assertTrue(e.getMessage().contains("--token") && e.getMessage().contains(ClientSettings.TOKEN_ENV), e.getMessage());
  }

  @Test
  void badSourcesAreRefusedNamingThem() throws IOException {
    assertThrows(IllegalArgumentException.class,
        () -> ClientSettings.resolve(null, null, dir.resolve("missing.json"), dir.resolve("none"), Map.of()),
        "a config file given by flag must exist");
    Path notJson = file("bad.json", "{url:");
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ClientSettings.resolve(null, null, notJson, dir.resolve("none"), Map.of())).getMessage().contains("bad.json"));
    Path array = file("array.json", "[1]");
    assertThrows(IllegalArgumentException.class, () -> ClientSettings.resolve(null, null, array, dir.resolve("none"), Map.of()));
    for (String url : new String[] {"localhost:8080", "ftp://host", "http://", "http://a b"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ClientSettings.resolve(url, null, null, dir.resolve("none"), Map.of()), url);
      assertTrue(e.getMessage().startsWith("url:"), e.getMessage());
    }
  }
}
