package tributary.cli;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tributary put FILE [--type T]}: uploads a blob (S2), streamed from the file, and prints the node's JSON answer. */
@Command(name = "put", mixinStandardHelpOptions = true,
    description = "Upload FILE as a blob (streamed, with a progress bar); prints the blob's JSON (id, sha256, copies...).")
final class PutCommand implements Callable<Integer> {
  /** The blob types the node takes. */
  enum BlobType {
    document, image, audio, video, other
  }

  private final CliIo io;

  @Mixin
  Connection connection;

  @Parameters(index = "0", paramLabel = "FILE", description = "the file to upload")
  Path file;

  @Option(names = "--type", paramLabel = "TYPE", defaultValue = "other",
      description = "one of ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  BlobType type;

  @Option(names = "--name", paramLabel = "NAME", description = "the blob's name (default: the file's)")
  String name;

  PutCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + " is not a file");
    }
    NodeClient client = connection.client(io);
    long size = Files.size(file);
    long start = System.nanoTime();
    Progress progress = new Progress(io.err(), "put " + file.getFileName(), Progress.Unit.BYTES, size, start);
    String blobName = name != null ? name : file.getFileName().toString();
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
        () -> {
          try {
            return new CountingInputStream(Files.newInputStream(file), n -> progress.update(n, n, System.nanoTime()));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }), size);
    HttpRequest request = client.request("/v1/blobs?type=" + type + "&name=" + NodeClient.segment(blobName))
        .header("Content-Type", "application/octet-stream").PUT(body).build();
    String answer = client.json(request).toString();
    progress.finish(size, size, System.nanoTime());
    io.out().println(answer);
    return 0;
  }
}
