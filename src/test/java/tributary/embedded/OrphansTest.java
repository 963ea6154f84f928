package tributary.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrphansTest {
  /** A process once it runs {@code sleep} (before that its command line is the JVM's spawn helper's or the shell's). */
  private static Process started(ProcessBuilder builder) throws Exception {
    Process process = builder.start();
    long deadline = System.currentTimeMillis() + 10_000;
    while (!process.info().commandLine().orElse("").startsWith("/usr/bin/sleep")
        && !process.info().commandLine().orElse("").startsWith("sleep") && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    return process;
  }

  @Test
  void thePidIsTheFirstLineOfThePidFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("postmaster.pid");
    Files.writeString(file, "4242\n/data/postgres\n1700000000\n");
    assertEquals(OptionalLong.of(4242), Orphans.pidIn(file));
    Files.writeString(file, "garbage\n");
    assertEquals(OptionalLong.empty(), Orphans.pidIn(file));
    assertEquals(OptionalLong.empty(), Orphans.pidIn(dir.resolve("missing.pid")));
  }

  @Test
  void aLiveProcessThatIsOursIsStoppedAndAnyOtherIsLeftAlone(@TempDir Path dir) throws Exception {
    Process server = started(new ProcessBuilder("sleep", "300"));
    try {
      Path pidFile = dir.resolve("server.pid");
      Files.writeString(pidFile, server.pid() + "\n");

      Orphans.stop(pidFile, cmd -> cmd.contains("not-this-one"), "TERM", "KILL", Duration.ofSeconds(5));
      assertTrue(server.isAlive(), "a process whose command line is not the server's is never signalled");

      Orphans.stop(pidFile, cmd -> cmd.contains("sleep"), "TERM", "KILL", Duration.ofSeconds(5));
      assertTrue(server.waitFor(5, TimeUnit.SECONDS), "the orphan is stopped");
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void aServerThatIgnoresTheGentleSignalIsStoppedFirmly(@TempDir Path dir) throws Exception {
    Process server = started(new ProcessBuilder("sh", "-c", "trap '' INT; exec sleep 300"));
    try {
      Path pidFile = dir.resolve("server.pid");
      Files.writeString(pidFile, server.pid() + "\n");
      // sleep inherits the ignored INT from the shell that exec'd it
      Orphans.stop(pidFile, cmd -> cmd.contains("sleep"), "INT", "KILL", Duration.ofMillis(500));
      // stopped, as this test's own handle sees once it has reaped the child (isAlive can lag)
      assertTrue(server.waitFor(5, TimeUnit.SECONDS), "the server that ignores INT is killed");
    } finally {
      server.destroyForcibly();
    }
  }
}
