package tributary.bus;

/**
 * Every event-bus address, in one place. Point-to-point addresses are served by any node of the
 * owning role (the clustered bus round-robins between them); local ones never leave the node.
 */
public final class Addresses {
  private Addresses() {}

  /** Edges hand envelope batches to any gateway. Message {@link EnvelopeBatch}, reply {@link CommitReceipt}. */
  public static final String GATEWAY_IN = "gateway.in";
  /** Gateways forward grouped batches to any core. Message {@link CoreBatch}, reply {@link CoreReceipt}. */
  public static final String CORE_IN = "core.in";
  /** Core hands committed records to the channel cache. Message {@link ChannelAppend}, reply nothing. */
  public static final String CACHE_APPEND = "cache.append";
  /**
   * Published when a channel is switched into or out of the cache, so every node's channel cache
   * applies it at once. Message {@link CacheSwitched}, reply nothing.
   */
  public static final String CACHE_SWITCHED = "cache.switched";
  /** Node registration. Message {@link NodeRegistration}, reply {@link EdgeGrant}. */
  public static final String MANAGEMENT_REGISTER = "management.register";
  /** The node directory. Message {@link NodeQuery}, reply {@link NodeDirectory}. */
  public static final String MANAGEMENT_NODES = "management.nodes";
  /** Processing configuration per data type. Message {@link ProcessorConfigChange}, reply the same. */
  public static final String MANAGEMENT_PROCESSORS = "management.processors";
  /** Published when a processing configuration changed, so cores reload at once. No body. */
  public static final String PROCESSORS_CHANGED = "processors.changed";
  /** Edge grants. Message {@link GrantChange}, reply {@link EdgeGrant}. */
  public static final String MANAGEMENT_GRANTS = "management.grants";
  /** User creation by an administrator. Message {@link UserCreate}, reply {@link UserCreated}. */
  public static final String MANAGEMENT_USERS_CREATE = "management.users.create";

  /**
   * Published when tokens were revoked, so the auth cache of every node drops them at once (X3).
   * Message {@link TokensRevoked}, reply nothing.
   */
  public static final String TOKENS_REVOKED = "auth.tokens.revoked";

  /** Every node's status report (D8). Message {@link NodeStatus}, reply nothing. */
  public static final String MANAGEMENT_STATUS = "management.status";

  /** Storage nodes' heartbeats to management (S4). Message {@link tributary.placement.StoreLoad}, reply nothing. */
  public static final String STORAGE_HEARTBEAT = "storage.heartbeat";

  /** Published by core after a commit: records wait to be handed to blob storage (E7). No body. */
  public static final String ARCHIVE_NOTICE = "archive.notice";

  /**
   * Published by storage nodes when a copy went bad or a task item failed, so management looks
   * for blobs to repair now rather than at its next full sweep. No body.
   */
  public static final String STORAGE_CHANGED = "storage.changed";

  /** Tells a storage node it has new task items (S7), so it need not wait for its next poll. No body. */
  public static String storageTasks(String storeId) {
    return "storage.tasks." + storeId;
  }

  /** Each node's agent listens here for a new grant pushed by management. Message {@link EdgeGrant}. */
  /**
   * Each running process's agent answers here while it lives (E1): management asks the holder of a
   * node id before it gives that id to another process. Message nothing, reply nothing.
   */
  public static String nodeInstance(String instance) {
    return "node.instance." + instance;
  }

  public static String nodeGrant(String nodeId) {
    return "node.grant." + nodeId;
  }

  /** Published to a node's agents when a command was issued to the node (D9). Message {@link CommandNotice}. */
  public static String nodeCommands(String nodeId) {
    return "node.commands." + nodeId;
  }

  /** Local: reload-config changed live options (D9). Message {@link ConfigApplied}. */
  public static String nodeConfig(String nodeId) {
    return "node.config." + nodeId;
  }

  /**
   * Published after each commit to a channel, once its records are in the cache, for the live
   * readers of that channel on any node. Message {@link ChannelCommitted}.
   */
  public static String channelCommitted(String channel) {
    return "channel.committed." + channel;
  }

  /** Dispatch workers register with management for their number (D1). Message WorkerRegistration, reply WorkerRegistered. */
  public static final String DISPATCH_REGISTER = "management.dispatch.register";
  /** Binds a user to a worker (D1). Message UserBinding, reply UserBinding. */
  public static final String DISPATCH_BIND = "management.dispatch.bind";
  /** Published when workers or bindings changed, so workers re-read the topology at once. No body. */
  public static final String DISPATCH_TOPOLOGY_CHANGED = "dispatch.topology.changed";

  /** A worker takes send_data requests of its users here (D2, D4). Message Submit, reply Accepted. */
  public static String dispatchSubmit(int worker) {
    return "dispatch.submit." + worker;
  }

  /** A worker takes batches for its users' queues here (D4, D5). Message DeliveryBatch, reply Delivered. */
  public static String dispatchDeliver(int worker) {
    return "dispatch.deliver." + worker;
  }
}
