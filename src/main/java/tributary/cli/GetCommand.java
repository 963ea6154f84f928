package tributary.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary get ID [-o FILE]}: downloads a blob, streamed, checked against the SHA-256 the
 * node names; to a file it is written beside it first and moved into place only when whole and right.
 */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = "Download blob ID to FILE (or standard output), with a progress bar; checked against its SHA-256.")
final class GetCommand implements Callable<Integer> {
  private static final int BUFFER = 64 * 1024;
  private final CliIo io;

  @Mixin
  Connection connection;

  @Parameters(index = "0", paramLabel = "ID", description = "the blob's id")
  String id;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write to FILE (default: standard output)")
  Path output;

  GetCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    NodeClient client = connection.client(io);
    HttpResponse<InputStream> response = NodeClient.ok(client.send(
        client.request("/v1/blobs/" + NodeClient.segment(id)).GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
    long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    Optional<String> sha256 = response.headers().firstValue("X-Checksum-SHA256");
    Path partial = output == null ? null
        : output.toAbsolutePath().resolveSibling("." + output.getFileName() + ".part");
    try (InputStream in = response.body();
         OutputStream target = output == null ? unclosed(io.out()) : Files.newOutputStream(partial)) {
      DigestOutputStream digest = new DigestOutputStream(target, sha256());
      long start = System.nanoTime();
      Progress progress = new Progress(io.err(), "get " + id, Progress.Unit.BYTES, size, start);
      byte[] buffer = new byte[BUFFER];
      long done = 0;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.write(buffer, 0, n);
        done += n;
        progress.update(done, done, System.nanoTime());
      }
      digest.flush();
      progress.finish(done, done, System.nanoTime());
      String got = HexFormat.of().formatHex(digest.getMessageDigest().digest());
      if (sha256.isPresent() && !sha256.get().equalsIgnoreCase(got)) {
        throw new IOException("the bytes received do not match the blob's SHA-256 (" + sha256.get() + "); nothing kept");
      }
    } catch (IOException | RuntimeException e) {
      if (partial != null) {
        Files.deleteIfExists(partial);
      }
      throw e;
    }
    if (output != null) {
      Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    return 0;
  }

  /** Standard output stays open for whatever comes after. */
  private static OutputStream unclosed(OutputStream out) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
