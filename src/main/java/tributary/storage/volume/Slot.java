package tributary.storage.volume;

/** Where a live needle lies, and when its content last landed (epoch ms). */
record Slot(Volume volume, long offset, long size, long landedAt) {
  long length() {
    return Needle.HEADER_BYTES + size;
  }

  VolumeSet.Location location() {
    return new VolumeSet.Location(volume.id, offset, size, landedAt);
  }

  /** The same needle: the same place in the same volume, whatever its landing time. */
  boolean sameNeedle(Slot other) {
    return other != null && volume == other.volume && offset == other.offset;
  }

  /** This needle with its landing time brought forward to {@code at}, if that is later. */
  Slot landed(long at) {
    return at <= landedAt ? this : new Slot(volume, offset, size, at);
  }
}
