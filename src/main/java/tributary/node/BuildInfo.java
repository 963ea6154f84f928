package tributary.node;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version this jar was built as, from the build's filtered {@code tributary/build.properties}. */
public final class BuildInfo {
  private static final String VERSION = read();

  private BuildInfo() {}

  public static String version() {
    return VERSION;
  }

  /** What {@code --version} prints. */
  public static String describe() {
    return "tributary " + VERSION + " (Java " + Runtime.version() + ", " + System.getProperty("os.name") + " "
        + System.getProperty("os.arch") + ")";
  }

  private static String read() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("/tributary/build.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      String version = p.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
