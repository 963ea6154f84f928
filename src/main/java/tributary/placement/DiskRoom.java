package tributary.placement;

import java.util.List;

/**
 * Whether a storage node has room for a new copy (S2, S3): the free space its last heartbeat
 * reported must cover the blob and a margin kept free beyond it ({@code storage-min-free-bytes}),
 * so a node whose disk is (nearly) full gets neither first copies nor mirrors. The margin also
 * covers what the report cannot know: uploads already on their way there since it was sent, and
 * uploads whose size is not declared (counted as 0 bytes).
 */
public record DiskRoom(long marginBytes) {
  public DiskRoom {
    if (marginBytes < 0) {
      throw new IllegalArgumentException("the free-space margin cannot be negative: " + marginBytes);
    }
  }

  public boolean fits(StoreLoad node, long bytes) {
    return node.freeBytes() - Math.max(0, bytes) >= marginBytes;
  }

  /** The candidates with room for {@code bytes} more, in their order. */
  public List<StoreLoad> withRoomFor(List<StoreLoad> candidates, long bytes) {
    return candidates.stream().filter(c -> fits(c, bytes)).toList();
  }
}
