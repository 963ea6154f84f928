package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StorageNodeTest {
  private static StorageNode node(long startNanos) {
    return new StorageNode("n1", new LocalBlobStore(Path.of("unused")), new RateLimit(1_000), startNanos);
  }

  @Test
  void bytesMovedBecomeRatesPerSecondOfThePeriodAndStartTheNextAtZero() {
    StorageNode node = node(0);
    node.moved(3_000);
    node.moved(1_000);
    StorageNode.Rates first = node.takeRates(2_000_000_000L);
    assertEquals(2_000, first.diskBytesPerSecond());
    assertEquals(2_000, first.netBytesPerSecond());
    StorageNode.Rates second = node.takeRates(3_000_000_000L);
    assertEquals(0, second.diskBytesPerSecond());
  }

  @Test
  void aPeriodOfNoTimeCountsAsAMillisecond() {
    StorageNode node = node(5);
    node.moved(10);
    assertEquals(10_000, node.takeRates(5).diskBytesPerSecond());
  }

  @Test
  void incomingBytesRiseWithAnUploadAndFallWhenItEnds() {
    StorageNode node = node(0);
    node.incoming(500);
    node.incoming(200);
    node.incoming(-500);
    assertEquals(200, node.incomingBytes());
  }

  @Test
  void aProcessWithOneStorageNodeNamesItAfterItselfAndSeveralByNumber() {
    assertEquals("edge-1", StorageNode.idOf("edge-1", 1, 1));
    assertEquals("edge-1-s2", StorageNode.idOf("edge-1", 2, 3));
  }

  @Test
  void theScrubberLooksForDueCopiesAQuarterPeriodApartWithinLimits() {
    assertEquals(250, Scrubber.checkEveryMs(1_000));
    assertEquals(100, Scrubber.checkEveryMs(40));
    assertEquals(60_000, Scrubber.checkEveryMs(24 * 3_600_000L));
  }
}
