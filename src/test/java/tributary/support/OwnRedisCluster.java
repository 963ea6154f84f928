package tributary.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A three-master Redis Cluster of the test's own, from the machine's {@code redis-server} on free
 * ports (no replicas, nothing saved to disk), created with {@code redis-cli --cluster create};
 * closing it kills the servers and removes their folder.
 */
public final class OwnRedisCluster implements AutoCloseable {
  private static final int MASTERS = 3;
  public final List<Integer> ports = new ArrayList<>();
  private final Path dir;
  private final List<Process> servers = new ArrayList<>();

  public OwnRedisCluster() throws IOException {
    dir = Files.createTempDirectory("tributary-redis-cluster");
    try {
      for (int i = 0; i < MASTERS; i++) {
        int port = TestEnv.freePort();
        ports.add(port);
        // The cluster bus is given a free port of its own: the default, port + 10000, may be taken.
        servers.add(new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
            "--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString(),
            "--cluster-port", String.valueOf(TestEnv.freePort()), "--dir", dir.toString(), "--save", "",
            "--appendonly", "no").redirectErrorStream(true).redirectOutput(dir.resolve(port + ".log").toFile())
            .start());
      }
      for (int port : ports) {
        Http.awaitCondition(() -> cli(port, "ping").equals("PONG"), 10_000, "redis-server on " + port + " answers");
      }
      List<String> create = new ArrayList<>(List.of("--cluster", "create"));
      ports.forEach(p -> create.add("127.0.0.1:" + p));
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      String created = run(create);
      if (!created.contains("All 16384 slots covered")) {
        throw new IllegalStateException("redis-cli --cluster create failed: " + created);
      }
      for (int port : ports) {
        Http.awaitCondition(() -> cli(port, "cluster", "info").contains("cluster_state:ok"), 30_000,
            "cluster_state:ok on " + port);
      }
    } catch (Throwable e) {
      close();
      throw e;
    }
  }

  /** The seed URLs for redis-url, comma-separated: every master. */
  public String seeds() {
    return ports.stream().map(p -> "redis://127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  /** The port of the master that holds {@code key}'s slot. */
  public int masterOf(String key) {
    int slot = Integer.parseInt(cli(ports.get(0), "cluster", "keyslot", key));
    for (String line : cli(ports.get(0), "cluster", "nodes").split("\n")) {
      // <id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges...>
      String[] fields = line.trim().split(" ");
      int port = Integer.parseInt(fields[1].substring(fields[1].lastIndexOf(':') + 1, fields[1].indexOf('@')));
      for (String range : Arrays.copyOfRange(fields, 8, fields.length)) {
        String[] ends = range.split("-");
        int first = Integer.parseInt(ends[0]);
        int last = Integer.parseInt(ends[ends.length - 1]);
        if (slot >= first && slot <= last) {
          return port;
        }
      }
    }
    throw new IllegalStateException("no master holds slot " + slot + " of " + key);
  }

  /** The keys matching {@code pattern} on the master at {@code port} alone. */
  public List<String> keysOn(int port, String pattern) {
    String out = cli(port, "--scan", "--pattern", pattern);
    return out.isEmpty() ? List.of() : List.of(out.split("\n"));
  }

  /** Runs redis-cli against one server; answers its output, trimmed. */
  public static String cli(int port, String... args) {
    List<String> command = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", String.valueOf(port)));
    command.addAll(List.of(args));
    return run(command);
  }

  private static String run(List<String> args) {
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

  @Override
  public void close() {
    for (Process server : servers) {
      server.destroy();
    }
    for (Process server : servers) {
      try {
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
          server.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
