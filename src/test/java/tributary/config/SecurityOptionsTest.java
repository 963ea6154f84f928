package tributary.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** X3 options: the administrator token never only on a command line; TLS files named at start when wrong. */
class SecurityOptionsTest {
  private static final String TOKEN = "trb_an-administrator-token-of-some-length";

  private static String problems(String[] args, Map<String, String> env) {
    return String.join("\n", assertThrows(ConfigException.class, () -> ConfigLoader.load(args, env)).problems());
  }

  @Test
  void theAdministratorTokenComesFromTheEnvironment() {
    assertEquals(TOKEN, ConfigLoader.load(new String[0], Map.of("TRIBUTARY_ADMIN_TOKEN", TOKEN)).adminToken().orElseThrow());
  }

  @Test
  void theAdministratorTokenComesFromAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("admin-token");
    Files.writeString(file, TOKEN + "\n");
    assertEquals(TOKEN, ConfigLoader.load(new String[] {"--admin-token-file=" + file}, Map.of()).adminToken()
        .orElseThrow());
    assertEquals(TOKEN, ConfigLoader.load(new String[0], Map.of("TRIBUTARY_ADMIN_TOKEN_FILE", file.toString()))
        .adminToken().orElseThrow());
  }

  @Test
  void theAdministratorTokenIsNeverTakenAsAFlag() {
    String problems = problems(new String[] {"--admin-token=" + TOKEN}, Map.of());
    assertTrue(problems.contains("admin-token: not taken as a flag") && problems.contains("TRIBUTARY_ADMIN_TOKEN")
        && problems.contains("--admin-token-file"), problems);
    assertFalse(problems.contains(TOKEN), "the refusal does not repeat the token");
  }

  @Test
  void aMissingOrEmptyTokenFileOrBothWaysAtOnceAreRefused(@TempDir Path dir) throws Exception {
    assertTrue(problems(new String[] {"--admin-token-file=" + dir.resolve("none")}, Map.of())
        .contains("admin-token-file: cannot read"));
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertTrue(problems(new String[] {"--admin-token-file=" + empty}, Map.of()).contains("is empty"));
    Path file = Files.writeString(dir.resolve("t"), TOKEN);
    assertTrue(problems(new String[] {"--admin-token-file=" + file}, Map.of("TRIBUTARY_ADMIN_TOKEN", TOKEN + "x"))
        .contains("not both"));
    NodeConfig started = ConfigLoader.load(new String[] {"--admin-token-file=" + file}, Map.of());
    assertEquals(TOKEN, ConfigLoader.reread(started, ConfigLoader.flags(new String[] {"--admin-token-file=" + file}),
        Map.of()).adminToken().orElseThrow(), "reload-config reads the same file again");
  }

  @Test
  void tlsFilesThatAreMissingOrUnpairedAreNamedAtStart(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    String missing = problems(new String[] {"--tls-cert=" + dir.resolve("nope.pem"), "--tls-key=" + cert}, Map.of());
    assertTrue(missing.contains("tls-cert: no such file: " + dir.resolve("nope.pem")), missing);
    assertTrue(problems(new String[] {"--tls-cert=" + cert}, Map.of()).contains("tls-key: needed with tls-cert"));
    assertTrue(problems(new String[] {"--http-redirect-port=8081"}, Map.of()).contains("needs tls-cert"));
    assertTrue(problems(new String[] {"--storage-tls-cert=" + cert, "--storage-tls-key=" + cert}, Map.of())
        .contains("storage-tls is false"));
    assertTrue(problems(new String[0], Map.of("TRIBUTARY_TLS_KEY", dir.resolve("k").toString()))
        .contains("tls-key: no such file"));
  }

  @Test
  void tlsTurnsTheNodesAddressToHttps(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    NodeConfig c = ConfigLoader.load(new String[] {"--tls-cert=" + cert, "--tls-key=" + cert, "--http-port=8443",
        "--http-redirect-port=8080"}, Map.of());
    assertTrue(c.tls().https());
    assertEquals(8080, c.tls().redirectPort());
    assertEquals("https://127.0.0.1:8443", c.publicUrl());
    assertFalse(c.tls().storage());
    assertEquals(c.tls(), NodeConfig.fromJson(c.toJson()).tls(), "survives the trip to a verticle");
  }
}
