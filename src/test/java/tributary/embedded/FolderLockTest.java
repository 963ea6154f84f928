package tributary.embedded;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderLockTest {
  @TempDir
  Path dir;

  @Test
  void aHeldFolderIsRefusedNamingItsHolderAndFreeAgainOnceReleased() throws IOException {
    try (FolderLock held = FolderLock.take(dir)) {
      FolderLock.InUse refused = assertThrows(FolderLock.InUse.class, () -> FolderLock.take(dir));
      assertTrue(refused.getMessage().contains(dir.toAbsolutePath().toString())
          && refused.getMessage().contains("pid " + ProcessHandle.current().pid()), refused.getMessage());
    }
    FolderLock.take(dir).close();
  }

  @Test
  void embeddedServicesRefuseAFolderAnotherOwnerHolds() throws IOException {
    try (FolderLock held = FolderLock.take(dir); EmbeddedServices second = new EmbeddedServices(dir)) {
      assertThrows(FolderLock.InUse.class, () -> second.start(true, true));
    }
  }
}
