package tributary.config;

import tributary.fault.Backoff;


/** The dispatch part of a node's configuration (section D), validated with the rest. */
public record DispatchConfig(
    int queueCapacity,
    int batchSize,
    long agingStepMs,
    Backoff retry,
    int retryFlag,
    long sendTimeoutMs,
    long topologyRefreshMs) {}
