package tributary.support;

import java.io.IOException;
import redis.embedded.RedisServer;

/** A Redis server of the test's own on a free port, for tests that flush, stop, restart or freeze it. */
public final class OwnRedis implements AutoCloseable {
  public final int port = TestEnv.freePort();
  private RedisServer server;

  public OwnRedis() throws IOException {
    start();
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public void start() throws IOException {
    server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
        .setting("appendonly no").build();
    server.start();
  }

  public void stop() throws IOException {
    server.stop();
  }

  /** Freezes the server (SIGSTOP): connections stay open and commands wait unanswered, as on a hung host. */
  public void freeze() {
    signal("-STOP");
  }

  /** Lets a frozen server run again (SIGCONT). */
  public void thaw() {
    signal("-CONT");
  }

  /** Signals this test's own server, found by its port and checked to be a child of this JVM. */
  private void signal(String signal) {
    try {
      Process ss = new ProcessBuilder("ss", "-ltnpH", "sport = :" + port).redirectErrorStream(true).start();
      String out = new String(ss.getInputStream().readAllBytes());
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("pid=(\\d+)").matcher(out);
      if (!m.find()) {
        throw new IllegalStateException("no process listens on port " + port + ": " + out);
      }
      long pid = Long.parseLong(m.group(1));
      if (ProcessHandle.current().descendants().noneMatch(p -> p.pid() == pid)) {
        throw new IllegalStateException("process " + pid + " on port " + port + " is not this test's Redis");
      }
      if (new ProcessBuilder("kill", signal, String.valueOf(pid)).start().waitFor() != 0) {
        throw new IllegalStateException("kill " + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    if (server.isActive()) {
      server.stop();
    }
  }
}
