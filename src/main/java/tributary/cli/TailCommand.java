package tributary.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary tail CHANNEL [--after N]}: the channel's live stream (Q3), one record a line on
 * stdout. A record is printed only once its event is whole, and its cursor is then the resume
 * point: after a lost connection the stream is asked again with {@code Last-Event-ID}, so no record
 * is lost or printed twice.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
    description = "Follow CHANNEL live: each record as one JSON line on stdout; resumes after a lost connection.")
final class TailCommand implements Callable<Integer> {
  private static final long DEFAULT_RETRY_MS = 1000;
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

  TailCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    NodeClient client = connection.client(io);
    Long last = after;
    long printed = 0;
    SseEvents events = new SseEvents();
    for (int attempt = 1; ; attempt++) {
      long wait;
      String path = "/v1/channels/" + NodeClient.segment(channel) + "/stream";
      HttpRequest.Builder request = client.request(path).header("Accept", "text/event-stream").GET();
      if (last != null) {
        request.header("Last-Event-ID", Long.toString(last));
      }
      try {
        HttpResponse<InputStream> response = NodeClient.ok(client.send(request.build(),
            HttpResponse.BodyHandlers.ofInputStream()));
        attempt = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
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
        wait = Retry.delayMs(e, Math.max(1, attempt));
        if (wait < 0) {
          throw e;
        }
        io.err().println("tail " + channel + ": " + (e.getMessage() != null ? e.getMessage() : e.toString())
            + "; resuming after cursor " + last);
      }
      events.reset();
      Retry.sleep(wait);
    }
  }
}
