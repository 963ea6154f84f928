package tributary.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The data folder's owner: a process that runs embedded servers on a folder holds an exclusive
 * lock on its {@value #FILE} (with its pid inside) while they run. The operating system drops the
 * lock when the process ends, even by kill -9, so a held lock always means a live owner, never a
 * stale file; a second node or an {@code admin reset-token} on the folder is refused.
 */
public final class FolderLock implements AutoCloseable {
  static final String FILE = "tributary.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private FolderLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the folder's lock, or throws {@link InUse} naming the process that holds it. */
  public static FolderLock take(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException held) {
      lock = null; // held by this very process
    }
    if (lock == null) {
      channel.close();
      String holder = Files.readString(file, StandardCharsets.US_ASCII).trim();
      throw new InUse("the data folder " + dataDir.toAbsolutePath() + " is in use by a running Tributary node"
          + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; stop it first");
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
    channel.force(true);
    return new FolderLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }

  /** The folder's lock is held by a live process. */
  public static final class InUse extends IOException {
    InUse(String message) {
      super(message);
    }
  }
}
