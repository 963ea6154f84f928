package tributary.support;

import static tributary.support.RedisProcesses.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A three-master Redis Cluster of the test's own (no replicas), from the machine's
 * {@code redis-server} on free ports and created with {@code redis-cli --cluster create}; closing
 * it kills the servers.
 */
public final class OwnRedisCluster implements AutoCloseable {
  private static final int MASTERS = 3;
  public final List<Integer> ports = new ArrayList<>();
  private final RedisProcesses servers = new RedisProcesses();

  public OwnRedisCluster() throws IOException {
    try {
      for (int i = 0; i < MASTERS; i++) {
        // The cluster bus gets a free port of its own: the default, port + 10000, may be taken.
        ports.add(servers.server("--cluster-enabled", "yes", "--cluster-config-file",
            servers.dir().resolve("nodes-" + i + ".conf").toString(), "--cluster-port",
            String.valueOf(TestEnv.freePort())));
      }
      List<String> create = new ArrayList<>(List.of("--cluster", "create"));
      ports.forEach(p -> create.add("127.0.0.1:" + p));
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      String created = cli(create);
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
        if (slot >= Integer.parseInt(ends[0]) && slot <= Integer.parseInt(ends[ends.length - 1])) {
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

  @Override
  public void close() {
    servers.close();
  }
}
