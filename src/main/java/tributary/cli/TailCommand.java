package tributary.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary tail CHANNEL [--after N]}: the channel's live stream (Q3), one record a line on
 * stdout. A record is printed only once its event is whole, and its cursor is then the resume
 * point: after a lost connection the stream is asked again with {@code Last-Event-ID}, so no record
 * is lost or printed twice. A connection on which nothing arrives for {@code --idle-timeout} (not
 * even the node's heartbeat) is taken for lost too.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
    description = "Follow CHANNEL live: each record as one JSON line on stdout; resumes after a lost connection.")
final class TailCommand implements Callable<Integer> {
  private static final long DEFAULT_RETRY_MS = 1000;
  /** Three of the node's default heartbeat periods (15 s): one late or lost heartbeat is not a dead connection. */
  static final String DEFAULT_IDLE_SECONDS = "45";
  private final CliIo io;

  @Mixin
  Connection connection;

  @Parameters(index = "0", paramLabel = "CHANNEL", description = "the channel to follow")
  String channel;

  @Option(names = "--after", paramLabel = "CURSOR",
      description = "start after this cursor (0 = from the first record); default: new records only")
  Long after;

  @Option(names = "--count", paramLabel = "N", description = "stop after N records (default: never)")
  Long count;

  @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = DEFAULT_IDLE_SECONDS,
      description = "reconnect when nothing, not even a heartbeat, arrives for this long (default: ${DEFAULT-VALUE}, "
          + "3 x the node's default sse-heartbeat-ms; keep it above 2 x the node's setting)")
  double idleSeconds;

  TailCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    if (!(idleSeconds > 0)) {
      throw new IllegalArgumentException("--idle-timeout must be more than 0 seconds");
    }
    NodeClient client = connection.client(io);
    Duration idle = Duration.ofMillis(Math.round(idleSeconds * 1000));
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tail-idle-watch");
      t.setDaemon(true);
      return t;
    });
    try {
      return follow(client, idle, timer);
    } finally {
      timer.shutdownNow();
    }
  }

  private int follow(NodeClient client, Duration idle, ScheduledExecutorService timer) throws IOException {
    Long last = after;
    long printed = 0;
    SseEvents events = new SseEvents();
    for (int attempt = 1; ; attempt++) {
      long wait;
      String path = "/v1/channels/" + NodeClient.segment(channel) + "/stream";
      // The timeout covers the wait for the answer's head; the body's silence is the watch's.
      HttpRequest.Builder request = client.request(path).header("Accept", "text/event-stream").timeout(idle).GET();
      if (last != null) {
        request.header("Last-Event-ID", Long.toString(last));
      }
      IdleWatch watch = null;
      try {
        HttpResponse<InputStream> response = NodeClient.ok(client.send(request.build(),
            HttpResponse.BodyHandlers.ofInputStream()));
        attempt = 0;
        watch = new IdleWatch(timer, idle, response.body());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            watch.heard();
            Optional<SseEvents.Event> event = events.line(line);
            if (event.isEmpty() || !event.get().name().equals("record")) {
              continue;
            }
            long cursor = Long.parseLong(event.get().id());
            if (last != null && cursor <= last) {
              continue; // never printed twice, whatever a server sends again
            }
            io.out().println(event.get().data());
            io.out().flush();
            last = cursor;
            if (count != null && ++printed >= count) {
              return 0;
            }
          }
        }
        io.err().println("tail " + channel + ": stream ended; resuming after cursor " + last);
        wait = events.retryMs() >= 0 ? events.retryMs() : DEFAULT_RETRY_MS;
      } catch (IOException e) {
        if (watch != null && watch.expired()) {
          io.err().println("tail " + channel + ": nothing, not even a heartbeat, for " + idle.toMillis()
              + " ms; reconnecting and resuming after cursor " + last);
          wait = 0;
        } else {
          wait = Retry.delayMs(e, Math.max(1, attempt));
          if (wait < 0) {
            throw e;
          }
          io.err().println("tail " + channel + ": " + (e.getMessage() != null ? e.getMessage() : e.toString())
              + "; resuming after cursor " + last);
        }
      } finally {
        if (watch != null) {
          watch.close();
        }
      }
      events.reset();
      Retry.sleep(wait);
    }
  }
}
