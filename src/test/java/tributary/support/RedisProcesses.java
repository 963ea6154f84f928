package tributary.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Servers of the test's own from the machine's {@code redis-server}, on free loopback ports with
 * nothing saved to disk, in one temporary folder; closing it kills them and removes the folder.
 */
public final class RedisProcesses implements AutoCloseable {
  private final Path dir;
  private final Map<Integer, Process> servers = new LinkedHashMap<>();

  public RedisProcesses() throws IOException {
    dir = Files.createTempDirectory("tributary-redis");
  }

  /** Starts a Redis server with {@code settings} (flags and values) beside the defaults; answers its port. */
  public int server(String... settings) throws IOException {
    int port = TestEnv.freePort();
    List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind",
        "127.0.0.1", "--dir", dir.toString(), "--save", "", "--appendonly", "no"));
    command.addAll(List.of(settings));
    return started(port, command);
  }

  /** Starts a Sentinel watching the master at {@code masterPort} as {@code masterName}; answers its port. */
  public int sentinel(String masterName, int masterPort) throws IOException {
    int port = TestEnv.freePort();
    // A Sentinel rewrites its configuration file, so it gets one of its own.
    Path config = dir.resolve("sentinel-" + port + ".conf");
    Files.writeString(config, String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + dir,
        "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " 1",
        "sentinel down-after-milliseconds " + masterName + " 1000",
        "sentinel failover-timeout " + masterName + " 5000", ""));
    return started(port, List.of("redis-server", config.toString(), "--sentinel"));
  }

  public Path dir() {
    return dir;
  }

  private int started(int port, List<String> command) throws IOException {
    servers.put(port, new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(port + ".log").toFile()).start());
    Http.awaitCondition(() -> cli(port, "ping").equals("PONG"), 10_000, "redis-server on " + port + " answers");
    return port;
  }

  /** Runs redis-cli against one server; answers its output, trimmed. */
  public static String cli(int port, String... args) {
    List<String> command = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", String.valueOf(port)));
    command.addAll(List.of(args));
    return cli(command);
  }

  /** Runs redis-cli with these arguments; answers its output, trimmed. */
  public static String cli(List<String> args) {
    List<String> command = new ArrayList<>(List.of("redis-cli"));
    command.addAll(args);
    try {
      Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!cli.waitFor(30, TimeUnit.SECONDS)) {
        cli.destroyForcibly();
        throw new IllegalStateException("redis-cli did not end: " + command);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Kills the server on {@code port} (SIGKILL, as a host that dies) and waits until it is gone. */
  public void kill(int port) throws InterruptedException {
    servers.get(port).destroyForcibly().waitFor();
  }

  @Override
  public void close() {
    servers.values().forEach(Process::destroy);
    for (Process server : servers.values()) {
      try {
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
          server.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
