package tributary.config;

import java.util.Locale;

/**
 * Every configuration option, with its default and help text. The same name is used as a
 * command-line flag ({@code --http-port=8080}), a key of the JSON config file ({@code "http-port"})
 * and, upper-cased with a prefix, an environment variable ({@code TRIBUTARY_HTTP_PORT}).
 */
public enum Option {
  CONFIG("config", null, "JSON file holding any of these options under the same names"),
  ROLES("roles", "all", "comma-separated roles: edge,gateway,core,cache,storage,management,dispatch,console, or all"),
  NODE_ID("node-id", null, "unique id of this node (default: host name and HTTP port)"),
  SITE("site", "site-1", "edge site this node belongs to"),
  EDGE_RESULT_HOOK("edge-result-hook", null, "edge nodes: a URL on the edge's side to which the node POSTs, in order and with retries, every result addressed to it (E6)"),
  HTTP_HOST("http-host", "0.0.0.0", "interface the HTTP server binds"),
  HTTP_PORT("http-port", "8080", "HTTP port of the API and console (0 = any free port)"),
  PUBLIC_URL("public-url", null, "HTTP address other nodes use for this one (default http://127.0.0.1:PORT)"),
  ADDRESS_POOL("address-pool", "", "management nodes: comma-separated http(s) URLs given out to registering nodes as the address others must use, one per node and kept by it (E1); unset = each node's public-url"),
  EVENT_LOOPS("event-loops", "0", "Vert.x event-loop threads (0 = Vert.x default, twice the cores)"),
  DATA_DIR("data-dir", "./data", "folder for embedded databases and local files"),
  REDIS_URL("redis-url", null, "redis://host:port of an external Redis; with redis-mode cluster or sentinel a comma-separated list of seed nodes or sentinels; unset = embedded Redis"),
  REDIS_PREFIX("redis-prefix", "trib:", "prefix of every Redis key this cluster writes"),
  PG_URL("pg-url", null, "postgresql://user[:password]@host:port/db of an external PostgreSQL; unset = embedded"),
  PG_SCHEMA("pg-schema", "tributary", "PostgreSQL schema holding the tables"),
  PG_POOL_SIZE("pg-pool-size", "8", "PostgreSQL connections per node"),
  PG_READ_URL("pg-read-url", null, "postgresql://... of a read-only PostgreSQL (a streaming replica of pg-url) for history and catch-up reads; reads that need the newest data stay on pg-url; unset = every read on pg-url"),
  TASK_RETENTION_DAYS("task-retention-days", "30", "management: dispatch tasks and storage task plans are dropped, a day's partition at a time, once older than this and finished (0 = kept forever)"),
  PG_CONNECT_TIMEOUT_MS("pg-connect-timeout-ms", "2500", "time to reach PostgreSQL or get a pooled connection; past it a request answers 503"),
  REDIS_TIMEOUT_MS("redis-timeout-ms", "1000", "time a Redis command may take; past it reads go to PostgreSQL and ingest goes on uncached"),
  REDIS_MODE("redis-mode", "standalone", "standalone (one Redis), cluster (a Redis Cluster: redis-url lists seed nodes) or sentinel (redis-url lists sentinels, with redis-master-name)"),
  REDIS_MASTER_NAME("redis-master-name", null, "redis-mode sentinel: the name under which the sentinels monitor the master"),
  CLUSTER("cluster", "false", "join a Hazelcast cluster (true/false)"),
  CLUSTER_HOST("cluster-host", "127.0.0.1", "interface for cluster traffic (Hazelcast and event bus)"),
  CLUSTER_PORT("cluster-port", "5701", "Hazelcast port (the next free one is taken if busy)"),
  CLUSTER_BUS_PORT("cluster-bus-port", "auto", "port of the event bus between nodes (mutual TLS): auto = the Hazelcast port this node got + 1000 (6701 beside 5701), 0 = any free port"),
  CLUSTER_MEMBERS("cluster-members", "", "comma-separated host[:port] members for TCP join"),
  CLUSTER_KUBERNETES_DNS("cluster-kubernetes-dns", null, "join by Hazelcast's Kubernetes discovery: the DNS name of the nodes' headless service (e.g. tributary-hs.default.svc.cluster.local), in place of cluster-members"),
  CLUSTER_MULTICAST("cluster-multicast", "false", "discover members by multicast instead of the member list"),
  CLUSTER_NAME("cluster-name", "tributary", "Hazelcast cluster name; nodes join only their own"),
  ADMIN_TOKEN("admin-token", null, "administrator token to install at first start, from the environment or the config "
      + "file only: a command line is visible to every user of the machine (default: generated and printed once)"),
  ADMIN_TOKEN_FILE("admin-token-file", null, "file holding the administrator token to install at first start"),
  TLS_CERT("tls-cert", null, "PEM certificate (chain) file: with tls-key, the API and console speak HTTPS on http-port"),
  TLS_KEY("tls-key", null, "PEM private key file of tls-cert"),
  HTTP_REDIRECT_PORT("http-redirect-port", "0", "with tls-cert: a plain-HTTP port that redirects every request to HTTPS (0 = none)"),
  STORAGE_TLS("storage-tls", "false", "the storage transfer port speaks TLS, with storage-tls-cert/key or else the cluster's certificate"),
  STORAGE_TLS_CERT("storage-tls-cert", null, "PEM certificate file of the storage transfer port (default: the cluster's own)"),
  STORAGE_TLS_KEY("storage-tls-key", null, "PEM private key file of storage-tls-cert"),
  MAX_BODY_BYTES("max-body-bytes", "1048576", "largest accepted request body"),
  MAX_HEADER_BYTES("max-header-bytes", "8192", "largest accepted request header block"),
  MAX_PAYLOAD_BYTES("max-payload-bytes", "65536", "largest inline record payload"),
  MAX_CONNECTIONS("max-connections", "10000", "concurrent HTTP connections per node, counted from accept; idle ones may hold at most 90% (live: reload-config applies it)"),
  LOG_LEVEL("log-level", "info", "level of the node's log: trace, debug, info, warn or error"),
  LOG_FORMAT("log-format", "text", "text, or json: one JSON object per line"),
  ACCESS_LOG("access-log", "false", "log one line per HTTP request (logger tributary.access): method, path without its query, status, bytes, milliseconds, request id"),
  SHUTDOWN_GRACE_MS("shutdown-grace-ms", "10000", "when the node stops (or restarts, D9): time requests in flight get to finish; live streams end at once with a retry hint"),
  DRAIN_DELAY_MS("drain-delay-ms", "0", "when the node stops: time /ready answers 503 before the HTTP face stops taking requests, so load balancers see it first"),
  HTTP_IDLE_TIMEOUT_MS("http-idle-timeout-ms", "60000", "an HTTP connection with no request in progress this long is closed"),
  CACHE_TTL_MS("cache-ttl-ms", "3600000", "default time records stay in a channel's Redis stream (live: reload-config applies it)"),
  CACHE_ADAPTIVE("cache-adaptive", "false", "default: scale each channel's TTL by how often it is read (live: reload-config applies it)"),
  CACHE_TTL_MIN_MS("cache-ttl-min-ms", "60000", "shortest TTL the adaptive mode gives"),
  CACHE_TTL_MAX_MS("cache-ttl-max-ms", "86400000", "longest TTL the adaptive mode gives"),
  CACHE_CLEAN_PERIOD_MS("cache-clean-period-ms", "10000", "period of the cache cleaner"),
  CACHE_IDLE_MS("cache-idle-ms", "3600000", "a channel neither read nor written this long leaves the cache"),
  CACHE_REFERENCE_READS_PER_MINUTE("cache-reference-reads-per-minute", "1", "adaptive mode: a channel read this often keeps its base TTL, more often longer, less often shorter (an open live stream counts as a read a second)"),
  SSE_BUFFER_BYTES("sse-buffer-bytes", "1048576", "bytes an SSE client may have unread before it waits"),
  SSE_STALL_MS("sse-stall-ms", "10000", "time a full SSE buffer may last before the client is disconnected"),
  SSE_HEARTBEAT_MS("sse-heartbeat-ms", "15000", "period of the SSE keep-alive comment"),
  HTTP_SEND_BUFFER_BYTES("http-send-buffer-bytes", "0", "the kernel's send buffer per HTTP connection (0: the kernel sizes it); bounds what a client that stops reading holds in the kernel"),
  HTTP_INSTANCES("http-instances", "0", "event loops the HTTP face (API, SSE, console) runs on, each with its own share of the connections (0: one per core)"),
  GATEWAY_QUEUE_CAPACITY("gateway-queue-capacity", "10000", "envelopes held per priority level at a gateway"),
  FORWARD_TIMEOUT_MS("forward-timeout-ms", "2000", "time a hop waits for an acknowledgement before redelivering"),
  DISPATCH_QUEUE_CAPACITY("dispatch-queue-capacity", "10000",
      "dispatch tasks held per priority level and destination worker on a worker (full: 429)"),
  DISPATCH_BATCH_SIZE("dispatch-batch-size", "1000", "dispatch tasks sent to a destination worker in one request"),
  DISPATCH_AGING_STEP_MS("dispatch-aging-step-ms", "1000", "a level-L dispatch task waits at most L times this behind level 0"),
  DISPATCH_RETRY_BASE_MS("dispatch-retry-base-ms", "200", "wait after a failed delivery; doubles with each failure in a row"),
  DISPATCH_RETRY_MAX_MS("dispatch-retry-max-ms", "30000", "longest wait between delivery attempts to a worker"),
  DISPATCH_RETRY_FLAG("dispatch-retry-flag", "10", "attempts after which a task is flagged in the task view (still retried)"),
  DISPATCH_SEND_TIMEOUT_MS("dispatch-send-timeout-ms", "5000", "time a worker waits for a destination worker to take a batch"),
  DISPATCH_TOPOLOGY_REFRESH_MS("dispatch-topology-refresh-ms", "5000", "period at which workers re-read the topology"),
  STORAGE_NODES("storage-nodes", "3", "storage nodes this process runs, each with its own folder under data-dir/blobs"),
  STORAGE_PORT("storage-port", "auto", "port of the storage nodes' internal transfer server: auto = http-port + 10 (8090 beside 8080; any free port when http-port is 0), 0 = any free port"),
  STORAGE_HOST("storage-host", "127.0.0.1", "address other nodes use to reach this node's storage transfer server"),
  STORAGE_COPIES("storage-copies", "3", "copies kept of each blob"),
  STORAGE_HEARTBEAT_MS("storage-heartbeat-ms", "1000", "period of each storage node's heartbeat"),
  STORAGE_DOWN_MS("storage-down-ms", "5000", "a storage node silent this long is marked down and its blobs repaired"),
  STORAGE_LOAD_WEIGHTS("storage-load-weights", "0.25,0.25,0.25,0.25", "q1..q4: weights of CPU, memory, disk I/O, network in the load score"),
  STORAGE_LOAD_MIX("storage-load-mix", "0.5,0.5", "k1,k2: weights of the physical and the pending-work parts of the load score"),
  STORAGE_BITRATE("storage-bitrate", "medium", "the seed's bitrate standard weighing pending media transcoding: low, medium or high"),
  STORAGE_DISK_BPS("storage-disk-bytes-per-second", "200000000", "disk bandwidth of a storage node, its I/O capacity"),
  STORAGE_NET_BPS("storage-net-bytes-per-second", "125000000", "network bandwidth of a storage node"),
  STORAGE_MIN_FREE_MIB("storage-min-free-mib", "256", "free disk (MiB) a storage node keeps beyond a blob's size; one with less gets no new copies"),
  STORAGE_SMALL_BLOB_BYTES("storage-small-blob-bytes", "1048576", "blobs smaller than this are kept as needles in volume files with group fsync (0 = every blob its own file)"),
  STORAGE_VOLUME_MIB("storage-volume-mib", "256", "size (MiB) a volume of small blobs grows to before the next one starts"),
  STORAGE_COMPACT_DEAD_PERCENT("storage-compact-dead-percent", "50", "a full volume is compacted once this share (%) of it is deleted blobs"),
  SCRUB_PERIOD_MS("scrub-period-ms", "86400000", "each copy is re-hashed at least this often"),
  SCRUB_BYTES_PER_SECOND("scrub-bytes-per-second", "50000000", "rate limit of re-hashing, per storage node (0 = none)"),
  TASK_POLL_MS("task-poll-ms", "1000", "how often a storage node looks for task items when not told of new ones"),
  STATUS_PERIOD_MS("status-period-ms", "5000", "period of the node's status report to management (live: reload-config applies it)"),
  STATUS_RETENTION_MS("status-retention-ms", "3600000", "how long management keeps each node's status reports"),
  COMMAND_POLL_MS("command-poll-ms", "5000", "how often a node looks for commands when not told of new ones");

  private final String key;
  private final String defaultValue;
  private final String help;

  Option(String key, String defaultValue, String help) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.help = help;
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String help() {
    return help;
  }

  public String envName() {
    return "TRIBUTARY_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  public static Option byKey(String key) {
    for (Option option : values()) {
      if (option.key.equals(key)) {
        return option;
      }
    }
    return null;
  }
}
