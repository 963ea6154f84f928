package tributary.storage.volume;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** How a volume is made durable: fdatasync, or in tests a wrapper that counts and orders the calls. */
@FunctionalInterface
public interface Fsync {
  Fsync DATA = (volume, channel) -> channel.force(false);

  void force(Path volume, FileChannel channel) throws IOException;
}
