package tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary send CHANNEL [FILE|-]}: NDJSON records posted in batches (E2), each with an
 * Idempotency-Key of its own, so a batch retried after 429/503 or a lost connection is stored once.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
    description = "Post NDJSON records (one JSON record a line) from FILE or standard input to CHANNEL, in batches.")
final class SendCommand implements Callable<Integer> {
  private final CliIo io;

  @Mixin
  Connection connection;

  @Parameters(index = "0", paramLabel = "CHANNEL", description = "the channel to post to")
  String channel;

  @Parameters(index = "1", arity = "0..1", paramLabel = "FILE|-", description = "NDJSON file; - or none: standard input")
  String file;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "500", description = "records per request (default ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--batch-bytes", paramLabel = "BYTES", defaultValue = "524288",
      description = "most bytes per request, below the node's max-body-bytes (default ${DEFAULT-VALUE})")
  long batchBytes;

  @Option(names = "--attempts", paramLabel = "N", defaultValue = "30",
      description = "tries per batch on 429/503 or a lost connection (default ${DEFAULT-VALUE})")
  int attempts;

  SendCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    NodeClient client = connection.client(io);
    boolean stdin = file == null || file.equals("-");
    long total = stdin ? -1 : Files.size(Path.of(file));
    long start = System.nanoTime();
    Progress progress = new Progress(io.err(), "send " + channel, Progress.Unit.RECORDS, total, start);
    String run = UUID.randomUUID().toString();
    long sent = 0;
    long duplicates = 0;
    long lastCursor = 0;
    try (InputStream raw = stdin ? io.in() : Files.newInputStream(Path.of(file))) {
      CountingInputStream counted = new CountingInputStream(raw, n -> { });
      NdjsonBatches batches = new NdjsonBatches(new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8)),
          batch, batchBytes);
      int number = 0;
      for (List<String> lines = batches.next(); !lines.isEmpty(); lines = batches.next()) {
        JsonNode answer = post(client, lines, run + "-" + number++);
        for (JsonNode record : answer.path("records")) {
          duplicates += record.path("duplicate").asBoolean() ? 1 : 0;
          lastCursor = Math.max(lastCursor, record.path("cursor").asLong());
        }
        sent += lines.size();
        progress.update(counted.count(), sent, System.nanoTime());
      }
      progress.finish(counted.count(), sent, System.nanoTime());
    }
    long elapsed = System.nanoTime() - start;
    io.err().printf(Locale.ROOT, "sent %,d records to %s in %.1f s: %s%n", sent, channel, elapsed / 1e9,
        Progress.rate(Progress.Unit.RECORDS, sent, elapsed));
    io.out().println(NodeClient.JSON.createObjectNode().put("channel", channel).put("records", sent)
        .put("duplicates", duplicates).put("lastCursor", lastCursor));
    return 0;
  }

  /** One batch, tried again while the node says later (Retry-After) or the connection fails. */
  private JsonNode post(NodeClient client, List<String> lines, String idempotencyKey) throws IOException {
    HttpRequest request = client.request("/v1/channels/" + NodeClient.segment(channel) + "/records")
        .header("Content-Type", "application/x-ndjson").header("Idempotency-Key", idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofString(NdjsonBatches.body(lines), StandardCharsets.UTF_8)).build();
    for (int attempt = 1; ; attempt++) {
      try {
        return client.json(request);
      } catch (IOException e) {
        long delay = Retry.delayMs(e, attempt);
        if (delay < 0 || attempt >= attempts) {
          throw e;
        }
        Retry.sleep(delay);
      }
    }
  }
}
