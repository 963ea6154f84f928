package tributary.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Tributary node in a JVM of its own, started with {@code java} on this JVM's class path and
 * the JVM flags of {@code scripts/jvm-flags}; it can be killed with SIGKILL, frozen with SIGSTOP,
 * thawed and started again with the same options and data folder. Its output goes to a log file.
 */
final class NodeProcess implements AutoCloseable {
  /** Hazelcast on JDK 17 reaches into these internals (the surefire argLine and scripts/jvm-flags). */
  static final List<String> JVM_FLAGS = List.of(
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED");

  final String nodeId;
  final String roles;
  final int httpPort;
  final Path dataDir;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path log;
  private Process process;
  private int starts;

  /** {@code options} are Tributary options without the leading dashes; {@code environment} adds variables. */
  NodeProcess(String nodeId, String roles, int httpPort, Path dataDir, Map<String, String> options,
      Map<String, String> environment, Path log) {
    this.nodeId = nodeId;
    this.roles = roles;
    this.httpPort = httpPort;
    this.dataDir = dataDir;
    this.environment = environment;
    this.log = log;
    List<String> c = new ArrayList<>();
    c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    c.addAll(JVM_FLAGS);
    c.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), "tributary.Main"));
    options.forEach((k, v) -> c.add("--" + k + "=" + v));
    this.command = List.copyOf(c);
  }

  /** Starts the JVM (again); its output is appended to the log. */
  synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(nodeId + " is running");
    }
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(environment);
    process = pb.start();
    starts++;
  }

  long pid() {
    return process.pid();
  }

  int starts() {
    return starts;
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, as a crash or the OOM killer would; returns once the process is gone. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(nodeId + " did not die on SIGKILL");
    }
  }

  /** SIGSTOP: the process keeps its sockets and answers nothing, as a hung host. */
  void freeze() {
    signal("-STOP");
  }

  /** SIGCONT after {@link #freeze()}. */
  void thaw() {
    signal("-CONT");
  }

  private void signal(String signal) {
    try {
      int rc = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
      if (rc != 0) {
        throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed: " + rc);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Path log() {
    return log;
  }

  /** Kills the JVM if it runs (thawing it first, so that a frozen one can die). */
  @Override
  public synchronized void close() {
    if (process != null && process.isAlive()) {
      thaw();
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
