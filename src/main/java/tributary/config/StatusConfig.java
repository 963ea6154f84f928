package tributary.config;

/**
 * Node status and commands (D8, D9): how often a node reports its status, how long management
 * keeps the reports, and how often a node looks for commands when no notice came.
 */
public record StatusConfig(long periodMs, long retentionMs, long commandPollMs) {}
