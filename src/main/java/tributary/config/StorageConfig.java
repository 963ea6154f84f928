package tributary.config;

import tributary.placement.DiskRoom;
import tributary.placement.LoadScore;

/** The storage part of a node's configuration (section S), validated with the rest. */
public record StorageConfig(
    int nodes,
    int port,
    String host,
    int copies,
    long heartbeatMs,
    long downMs,
    LoadScore loadScore,
    long diskBytesPerSecond,
    long netBytesPerSecond,
    long scrubPeriodMs,
    long scrubBytesPerSecond,
    long taskPollMs,
    DiskRoom room,
    long smallBlobBytes,
    long volumeBytes,
    int compactDeadPercent) {}
