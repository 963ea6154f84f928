package tributary.support;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * A stream of {@code total} pseudo-random bytes made as they are asked for, so a test can upload
 * a file of any size without holding it; it hashes what it emits and can run a check once a
 * given number of bytes has gone out.
 */
public final class GeneratedStream implements ReadStream<Buffer> {
  private static final int PIECE = 64 * 1024;

  private final Context context;
  private final long total;
  private final Random random;
  private final MessageDigest sha256;
  private long sent;
  private String digest;
  private long demand = Long.MAX_VALUE;
  private boolean scheduled;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private long checkAt = -1;
  private Runnable check;

  public GeneratedStream(Context context, long total, long seed) {
    this.context = context;
    this.total = total;
    this.random = new Random(seed);
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code check} on the stream's context once {@code bytes} have been emitted. */
  public GeneratedStream whenSent(long bytes, Runnable check) {
    this.checkAt = bytes;
    this.check = check;
    return this;
  }

  /** SHA-256 of everything emitted; complete once the stream ended. */
  public String sha256() {
    if (digest == null) {
      digest = HexFormat.of().formatHex(sha256.digest());
    }
    return digest;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.handler = handler;
    schedule();
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    demand = 0;
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
    schedule();
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  private void schedule() {
    if (!scheduled && handler != null) {
      scheduled = true;
      context.runOnContext(v -> pump());
    }
  }

  private void pump() {
    scheduled = false;
    for (int i = 0; i < 16 && demand > 0 && sent < total && handler != null; i++) {
      byte[] piece = new byte[(int) Math.min(PIECE, total - sent)];
      random.nextBytes(piece);
      sha256.update(piece);
      sent += piece.length;
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      handler.handle(Buffer.buffer(piece));
      if (check != null && sent >= checkAt) {
        Runnable run = check;
        check = null;
        run.run();
      }
    }
    if (sent >= total) {
      if (endHandler != null) {
        Handler<Void> end = endHandler;
        endHandler = null;
        end.handle(null);
      }
    } else if (demand > 0) {
      schedule();
    }
  }
}
