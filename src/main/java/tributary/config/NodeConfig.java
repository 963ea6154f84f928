package tributary.config;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tributary.fault.Backoff;

/**
 * The typed, validated configuration of one node. Built only through {@link #from(Map)}, which
 * checks every value and names each bad one; verticles receive it as {@link #toJson()} and parse
 * it back the same way, so there is one parser.
 */
public record NodeConfig(
    Set<Role> roles,
    String nodeId,
    String site,
    String httpHost,
    int httpPort,
    String publicUrl,
    List<String> addressPool,
    Optional<String> edgeResultHook,
    int eventLoops,
    Path dataDir,
    Optional<String> redisUrl,
    String redisPrefix,
    Optional<String> pgUrl,
    String pgSchema,
    int pgPoolSize,
    long pgConnectTimeoutMs,
    long redisTimeoutMs,
    boolean cluster,
    String clusterHost,
    int clusterPort,
    int clusterBusPort,
    List<String> clusterMembers,
    Optional<String> clusterKubernetesDns,
    boolean clusterMulticast,
    String clusterName,
    Optional<String> adminToken,
    int maxBodyBytes,
    int maxHeaderBytes,
    int maxPayloadBytes,
    int maxConnections,
    long httpIdleTimeoutMs,
    String logLevel,
    boolean logJson,
    boolean accessLog,
    long shutdownGraceMs,
    long drainDelayMs,
    long cacheTtlMs,
    boolean cacheAdaptive,
    long cacheTtlMinMs,
    long cacheTtlMaxMs,
    long cacheCleanPeriodMs,
    long cacheIdleMs,
    int cacheReferenceReadsPerMinute,
    int sseBufferBytes,
    long sseStallMs,
    long sseHeartbeatMs,
    int httpSendBufferBytes,
    int httpInstances,
    int gatewayQueueCapacity,
    long forwardTimeoutMs,
    DispatchConfig dispatch,
    StorageConfig storage,
    StatusConfig status,
    TlsConfig tls,
    Map<String, String> settings,
    RedisMode redisMode,
    Optional<String> redisMasterName,
    Optional<String> pgReadUrl,
    int taskRetentionDays) {

  /** A port option's "auto": the port is derived from another one (see the option's help). */
  public static final int AUTO_PORT = -1;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9.-]+(:\\d{1,5})?");

  public NodeConfig {
    roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
    clusterMembers = List.copyOf(clusterMembers);
    addressPool = List.copyOf(addressPool);
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  /** The PostgreSQL URL; present once embedded servers are resolved. */
  public String pgUrlOrFail() {
    return pgUrl.orElseThrow(() -> new IllegalStateException("pg-url not resolved"));
  }

  /** host:port of the PostgreSQL server, as record placements name it. */
  public String pgHostPort() {
    URI uri = URI.create(pgUrlOrFail());
    return uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort());
  }

  public String redisUrlOrFail() {
    return redisUrl.orElseThrow(() -> new IllegalStateException("redis-url not resolved"));
  }

  /** The Redis URLs: one server, or a Redis Cluster's seed nodes, or the sentinels (see {@link #redisMode}). */
  public List<String> redisUrls() {
    return splitList(redisUrlOrFail());
  }

  /** A copy with one option replaced, validated again. */
  public NodeConfig with(Option option, String value) {
    Map<String, String> copy = new LinkedHashMap<>(settings);
    copy.put(option.key(), value);
    return from(copy);
  }

  public JsonObject toJson() {
    return new JsonObject(new LinkedHashMap<>(settings));
  }

  public static NodeConfig fromJson(JsonObject json) {
    Map<String, String> raw = new LinkedHashMap<>();
    json.forEach(e -> raw.put(e.getKey(), String.valueOf(e.getValue())));
    return from(raw);
  }

  /** Validates raw option values (unset ones take their defaults); throws naming every bad one. */
  public static NodeConfig from(Map<String, String> raw) {
    List<String> problems = new ArrayList<>();
    Map<String, String> settings = new LinkedHashMap<>();
    for (String key : raw.keySet()) {
      if (Option.byKey(key) == null) {
        problems.add(key + ": unknown option (see --help)");
      }
    }
    for (Option option : Option.values()) {
      String value = raw.get(option.key());
      if (value == null || value.isBlank()) {
        value = option.defaultValue();
      }
      if (value != null) {
        settings.put(option.key(), value.trim());
      }
    }
    Reader r = new Reader(settings, problems);

    Set<Role> roles = r.roles();
    int httpPort = r.integer(Option.HTTP_PORT, 0, 65535);
    String nodeId = settings.containsKey(Option.NODE_ID.key())
        ? r.matching(Option.NODE_ID, ID, "letters, digits, '.', '_' or '-', at most 64")
        : defaultNodeId(httpPort);
    settings.put(Option.NODE_ID.key(), nodeId);
    String site = r.matching(Option.SITE, ID, "letters, digits, '.', '_' or '-', at most 64");
    TlsConfig tls = r.tls();
    Optional<String> edgeResultHook = r.optional(Option.EDGE_RESULT_HOOK)
        .map(u -> r.url(Option.EDGE_RESULT_HOOK, u, "http", "https"));
    String publicUrl = r.optional(Option.PUBLIC_URL).map(u -> r.url(Option.PUBLIC_URL, u, "http", "https"))
        .orElse((tls.https() ? "https" : "http") + "://127.0.0.1:" + httpPort);
    List<String> addressPool = r.list(Option.ADDRESS_POOL).stream()
        .map(u -> r.url(Option.ADDRESS_POOL, u, "http", "https")).toList();
    if (addressPool.size() != new java.util.HashSet<>(addressPool).size()) {
      problems.add(Option.ADDRESS_POOL.key() + ": names an address twice");
    }
    int eventLoops = r.integer(Option.EVENT_LOOPS, 0, 1024);
    Path dataDir = Path.of(settings.get(Option.DATA_DIR.key()));
    Optional<String> redisUrl = r.optional(Option.REDIS_URL);
    Optional<List<String>> redisUrls = redisUrl.map(NodeConfig::splitList);
    redisUrls.ifPresent(urls -> urls.forEach(u -> r.url(Option.REDIS_URL, u, "redis", "rediss")));
    RedisMode redisMode = r.redisMode();
    Optional<String> redisMasterName = r.optional(Option.REDIS_MASTER_NAME)
        .map(name -> r.matching(Option.REDIS_MASTER_NAME, ID, "letters, digits, '.', '_' or '-', at most 64"));
    r.redisTopology(redisMode, redisUrls, redisMasterName);
    String redisPrefix = r.matching(Option.REDIS_PREFIX, Pattern.compile("[A-Za-z0-9:._-]{1,64}"),
        "1 to 64 of letters, digits, ':', '.', '_' or '-'");
    Optional<String> pgUrl = r.optional(Option.PG_URL).map(u -> r.url(Option.PG_URL, u, "postgresql", "postgres"));
    String pgSchema = r.matching(Option.PG_SCHEMA, SCHEMA, "a lower-case SQL identifier");
    int pgPoolSize = r.integer(Option.PG_POOL_SIZE, 1, 200);
    Optional<String> pgReadUrl = r.optional(Option.PG_READ_URL)
        .map(u -> r.url(Option.PG_READ_URL, u, "postgresql", "postgres"));
    if (pgReadUrl.isPresent() && pgUrl.isEmpty()) {
      problems.add(Option.PG_READ_URL.key() + ": needs pg-url, the primary it replicates (the embedded PostgreSQL "
          + "has no replica)");
    }
    int taskRetentionDays = r.integer(Option.TASK_RETENTION_DAYS, 0, 36_500);
    long pgConnectTimeout = r.integer(Option.PG_CONNECT_TIMEOUT_MS, 100, 600_000);
    long redisTimeout = r.integer(Option.REDIS_TIMEOUT_MS, 10, 600_000);
    boolean cluster = r.bool(Option.CLUSTER);
    String clusterHost = r.matching(Option.CLUSTER_HOST, Pattern.compile("[A-Za-z0-9.:-]+"), "a host name or address");
    int clusterPort = r.integer(Option.CLUSTER_PORT, 1, 65535);
    int clusterBusPort = r.portOrAuto(Option.CLUSTER_BUS_PORT);
    List<String> members = r.list(Option.CLUSTER_MEMBERS);
    for (String member : members) {
      if (!MEMBER.matcher(member).matches()) {
        problems.add(Option.CLUSTER_MEMBERS.key() + ": '" + member + "' is not host[:port]");
      }
    }
    boolean multicast = r.bool(Option.CLUSTER_MULTICAST);
    Optional<String> kubernetesDns = r.optional(Option.CLUSTER_KUBERNETES_DNS).map(dns -> r.matching(
        Option.CLUSTER_KUBERNETES_DNS, Pattern.compile("[A-Za-z0-9.-]{1,253}"), "a DNS name"));
    String clusterName = r.matching(Option.CLUSTER_NAME, ID, "letters, digits, '.', '_' or '-', at most 64");
    Optional<String> adminToken = r.optional(Option.ADMIN_TOKEN);
    adminToken.filter(t -> t.length() < 20)
        .ifPresent(t -> problems.add(Option.ADMIN_TOKEN.key() + ": must be at least 20 characters"));
    int maxBody = r.integer(Option.MAX_BODY_BYTES, 1024, Integer.MAX_VALUE);
    int maxHeader = r.integer(Option.MAX_HEADER_BYTES, 1024, 1 << 20);
    int maxPayload = r.integer(Option.MAX_PAYLOAD_BYTES, 64, 16 << 20);
    int maxConnections = r.integer(Option.MAX_CONNECTIONS, 1, 1_000_000);
    long httpIdleTimeout = r.integer(Option.HTTP_IDLE_TIMEOUT_MS, 100, 86_400_000);
    long cacheTtl = r.integer(Option.CACHE_TTL_MS, 1000, Integer.MAX_VALUE);
    boolean cacheAdaptive = r.bool(Option.CACHE_ADAPTIVE);
    long cacheTtlMin = r.integer(Option.CACHE_TTL_MIN_MS, 1000, Integer.MAX_VALUE);
    long cacheTtlMax = r.integer(Option.CACHE_TTL_MAX_MS, 1000, Integer.MAX_VALUE);
    long cacheCleanPeriod = r.integer(Option.CACHE_CLEAN_PERIOD_MS, 100, 86_400_000);
    long cacheIdle = r.integer(Option.CACHE_IDLE_MS, 1000, Integer.MAX_VALUE);
    int cacheReferenceReads = r.integer(Option.CACHE_REFERENCE_READS_PER_MINUTE, 1, 1_000_000);
    if (cacheTtlMin > cacheTtlMax) {
      problems.add(Option.CACHE_TTL_MIN_MS.key() + ": must not exceed cache-ttl-max-ms (" + cacheTtlMax + ")");
    }
    int sseBuffer = r.integer(Option.SSE_BUFFER_BYTES, 1024, 1 << 30);
    long sseStall = r.integer(Option.SSE_STALL_MS, 100, 3_600_000);
    long sseHeartbeat = r.integer(Option.SSE_HEARTBEAT_MS, 100, 3_600_000);
    int httpSendBuffer = r.integer(Option.HTTP_SEND_BUFFER_BYTES, 0, 1 << 30);
    int httpInstances = r.integer(Option.HTTP_INSTANCES, 0, 256);
    int queueCapacity = r.integer(Option.GATEWAY_QUEUE_CAPACITY, 1, 10_000_000);
    long forwardTimeout = r.integer(Option.FORWARD_TIMEOUT_MS, 100, 600_000);
    int retryBase = r.integer(Option.DISPATCH_RETRY_BASE_MS, 1, 3_600_000);
    int retryMax = r.integer(Option.DISPATCH_RETRY_MAX_MS, 1, 86_400_000);
    if (retryBase > retryMax) {
      problems.add(Option.DISPATCH_RETRY_BASE_MS.key() + ": must not exceed dispatch-retry-max-ms (" + retryMax + ")");
    }
    DispatchConfig dispatch = new DispatchConfig(r.integer(Option.DISPATCH_QUEUE_CAPACITY, 1, 10_000_000),
        r.integer(Option.DISPATCH_BATCH_SIZE, 1, 10_000), r.integer(Option.DISPATCH_AGING_STEP_MS, 1, 3_600_000),
        new Backoff(Math.max(1, Math.min(retryBase, retryMax)), Math.max(1, retryMax)),
        r.integer(Option.DISPATCH_RETRY_FLAG, 1, 1_000_000), r.integer(Option.DISPATCH_SEND_TIMEOUT_MS, 100, 600_000),
        r.integer(Option.DISPATCH_TOPOLOGY_REFRESH_MS, 100, 3_600_000));
    int storagePort = r.portOrAuto(Option.STORAGE_PORT);
    if (storagePort == AUTO_PORT) {
      storagePort = httpPort == 0 ? 0 : httpPort + 10;
      if (storagePort > 65535) {
        problems.add(Option.STORAGE_PORT.key() + ": auto would be http-port + 10 = " + storagePort + "; give one");
      }
    }
    StorageConfig storage = new StorageConfig(r.integer(Option.STORAGE_NODES, 0, 16), storagePort,
        r.matching(Option.STORAGE_HOST, Pattern.compile("[A-Za-z0-9.:-]+"), "a host name or address"),
        r.integer(Option.STORAGE_COPIES, 1, 16), r.integer(Option.STORAGE_HEARTBEAT_MS, 50, 600_000),
        r.integer(Option.STORAGE_DOWN_MS, 100, 86_400_000), r.loadScore(),
        r.integer(Option.STORAGE_DISK_BPS, 1, Integer.MAX_VALUE), r.integer(Option.STORAGE_NET_BPS, 1, Integer.MAX_VALUE),
        r.integer(Option.SCRUB_PERIOD_MS, 100, Integer.MAX_VALUE), r.integer(Option.SCRUB_BYTES_PER_SECOND, 0, Integer.MAX_VALUE),
        r.integer(Option.TASK_POLL_MS, 20, 600_000),
        new tributary.placement.DiskRoom((long) r.integer(Option.STORAGE_MIN_FREE_MIB, 0, 1 << 30) << 20),
        r.integer(Option.STORAGE_SMALL_BLOB_BYTES, 0, 64 << 20), (long) r.integer(Option.STORAGE_VOLUME_MIB, 1, 1 << 20) << 20,
        r.integer(Option.STORAGE_COMPACT_DEAD_PERCENT, 1, 100));
    StatusConfig status = new StatusConfig(r.integer(Option.STATUS_PERIOD_MS, 50, 3_600_000),
        r.integer(Option.STATUS_RETENTION_MS, 1000, Integer.MAX_VALUE), r.integer(Option.COMMAND_POLL_MS, 50, 3_600_000));
    if (status.retentionMs() < status.periodMs()) {
      problems.add(Option.STATUS_RETENTION_MS.key() + ": must not be shorter than status-period-ms (" + status.periodMs() + ")");
    }
    if (storage.downMs() <= storage.heartbeatMs()) {
      problems.add(Option.STORAGE_DOWN_MS.key() + ": must exceed storage-heartbeat-ms (" + storage.heartbeatMs() + ")");
    }
    if (maxPayload > maxBody) {
      problems.add(Option.MAX_PAYLOAD_BYTES.key() + ": must not exceed max-body-bytes (" + maxBody + ")");
    }
    if (cluster && !multicast && kubernetesDns.isEmpty() && members.isEmpty()) {
      problems.add(Option.CLUSTER_MEMBERS.key() + ": needed when cluster=true, unless cluster-multicast or "
          + Option.CLUSTER_KUBERNETES_DNS.key() + " is given");
    }
    String logLevel = r.matching(Option.LOG_LEVEL, Pattern.compile("trace|debug|info|warn|error"),
        "trace, debug, info, warn or error");
    boolean logJson = r.matching(Option.LOG_FORMAT, Pattern.compile("text|json"), "text or json").equals("json");
    boolean accessLog = r.bool(Option.ACCESS_LOG);
    long shutdownGrace = r.integer(Option.SHUTDOWN_GRACE_MS, 0, 600_000);
    long drainDelay = r.integer(Option.DRAIN_DELAY_MS, 0, 600_000);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new NodeConfig(roles, nodeId, site, settings.get(Option.HTTP_HOST.key()), httpPort, publicUrl, addressPool, edgeResultHook,
        eventLoops,
        dataDir,
        redisUrl, redisPrefix, pgUrl, pgSchema, pgPoolSize, pgConnectTimeout, redisTimeout, cluster, clusterHost, clusterPort, clusterBusPort, members, kubernetesDns, multicast,
        clusterName, adminToken, maxBody, maxHeader, maxPayload, maxConnections, httpIdleTimeout,
        logLevel, logJson, accessLog, shutdownGrace, drainDelay, cacheTtl, cacheAdaptive, cacheTtlMin,
        cacheTtlMax, cacheCleanPeriod, cacheIdle, cacheReferenceReads, sseBuffer, sseStall, sseHeartbeat, httpSendBuffer,
        httpInstances > 0 ? httpInstances
            : Math.min(Runtime.getRuntime().availableProcessors(), eventLoops > 0 ? eventLoops : Integer.MAX_VALUE),
        queueCapacity, forwardTimeout, dispatch, storage, status, tls,
        settings, redisMode, redisMasterName, pgReadUrl, taskRetentionDays);
  }

  private static String defaultNodeId(int httpPort) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "node";
    }
    String id = host.replaceAll("[^A-Za-z0-9.-]", "-") + "-" + httpPort;
    return id.length() > 64 ? id.substring(id.length() - 64) : id;
  }

  private static List<String> splitList(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** Reads typed values from the raw settings, collecting one problem per bad option. */
  private record Reader(Map<String, String> settings, List<String> problems) {
    String raw(Option option) {
      return settings.get(option.key());
    }

    Optional<String> optional(Option option) {
      return Optional.ofNullable(raw(option));
    }

    /** A port, 0 for any free one, or {@link #AUTO_PORT} for "auto" (derived from another port). */
    int portOrAuto(Option option) {
      return raw(option).equals("auto") ? AUTO_PORT : integer(option, 0, 65535);
    }

    int integer(Option option, int min, int max) {
      String value = raw(option);
      try {
        int n = Integer.parseInt(value);
        if (n < min || n > max) {
          problems.add(option.key() + ": must be between " + min + " and " + max + ", got " + n);
        }
        return n;
      } catch (NumberFormatException e) {
        problems.add(option.key() + ": must be an integer, got '" + value + "'");
        return min;
      }
    }

    boolean bool(Option option) {
      String value = raw(option);
      if (!value.equals("true") && !value.equals("false")) {
        problems.add(option.key() + ": must be true or false, got '" + value + "'");
      }
      return value.equals("true");
    }

    String matching(Option option, Pattern pattern, String expected) {
      String value = raw(option);
      if (!pattern.matcher(value).matches()) {
        problems.add(option.key() + ": must be " + expected + ", got '" + value + "'");
      }
      return value;
    }

    /** The TLS options: each certificate with its key, both readable files; a redirect only beside HTTPS. */
    TlsConfig tls() {
      Optional<Path> cert = pemFile(Option.TLS_CERT);
      Optional<Path> key = pemFile(Option.TLS_KEY);
      paired(Option.TLS_CERT, cert, Option.TLS_KEY, key);
      int redirect = integer(Option.HTTP_REDIRECT_PORT, 0, 65535);
      if (redirect != 0 && cert.isEmpty()) {
        problems.add(Option.HTTP_REDIRECT_PORT.key() + ": redirects to HTTPS, so it needs tls-cert and tls-key");
      }
      if (redirect != 0 && String.valueOf(redirect).equals(raw(Option.HTTP_PORT))) {
        problems.add(Option.HTTP_REDIRECT_PORT.key() + ": must differ from http-port");
      }
      Optional<Path> storageCert = pemFile(Option.STORAGE_TLS_CERT);
      Optional<Path> storageKey = pemFile(Option.STORAGE_TLS_KEY);
      paired(Option.STORAGE_TLS_CERT, storageCert, Option.STORAGE_TLS_KEY, storageKey);
      boolean storageTls = bool(Option.STORAGE_TLS);
      if (!storageTls && storageCert.isPresent()) {
        problems.add(Option.STORAGE_TLS_CERT.key() + ": given, but storage-tls is false");
      }
      return new TlsConfig(cert, key, redirect, storageTls, storageCert, storageKey);
    }

    /** A file option that must name a readable file, checked at start so that a typo is named at once. */
    Optional<Path> pemFile(Option option) {
      return optional(option).map(value -> {
        Path path = Path.of(value);
        if (!java.nio.file.Files.isRegularFile(path)) {
          problems.add(option.key() + ": no such file: " + value);
        } else if (!java.nio.file.Files.isReadable(path)) {
          problems.add(option.key() + ": cannot read " + value + " (permissions)");
        }
        return path;
      });
    }

    void paired(Option first, Optional<Path> a, Option second, Optional<Path> b) {
      if (a.isPresent() != b.isPresent()) {
        problems.add((a.isPresent() ? second : first).key() + ": needed with " + (a.isPresent() ? first : second).key());
      }
    }

    String url(Option option, String value, String... schemes) {
      try {
        URI uri = new URI(value);
        if (uri.getScheme() == null || !Arrays.asList(schemes).contains(uri.getScheme()) || uri.getHost() == null) {
          problems.add(option.key() + ": must be a " + String.join(" or ", schemes) + " URL with a host, got '"
              + value + "'");
        }
      } catch (java.net.URISyntaxException e) {
        problems.add(option.key() + ": not a URL: '" + value + "'");
      }
      return value;
    }

    tributary.placement.LoadScore loadScore() {
      try {
        return tributary.placement.LoadScore.parse(raw(Option.STORAGE_LOAD_WEIGHTS), raw(Option.STORAGE_LOAD_MIX),
            raw(Option.STORAGE_BITRATE));
      } catch (IllegalArgumentException e) {
        problems.add(Option.STORAGE_LOAD_WEIGHTS.key() + "/" + Option.STORAGE_LOAD_MIX.key() + ": " + e.getMessage());
        return tributary.placement.LoadScore.DEFAULT;
      }
    }

    List<String> list(Option option) {
      return splitList(raw(option));
    }

    RedisMode redisMode() {
      RedisMode mode = RedisMode.parse(raw(Option.REDIS_MODE));
      if (mode == null) {
        problems.add(Option.REDIS_MODE.key() + ": must be standalone, cluster or sentinel, got '"
            + raw(Option.REDIS_MODE) + "'");
        return RedisMode.STANDALONE;
      }
      return mode;
    }

    /** The URLs and master name the mode needs, checked at start: a wrong one would show only when Redis is asked. */
    void redisTopology(RedisMode mode, Optional<List<String>> urls, Optional<String> masterName) {
      if (urls.isPresent() && urls.get().isEmpty()) {
        problems.add(Option.REDIS_URL.key() + ": no URL in '" + raw(Option.REDIS_URL) + "'");
      }
      if (mode == RedisMode.STANDALONE && urls.map(List::size).orElse(0) > 1) {
        problems.add(Option.REDIS_URL.key() + ": one URL with redis-mode standalone; a list needs redis-mode cluster "
            + "(seed nodes) or sentinel (sentinels)");
      }
      if (mode != RedisMode.STANDALONE && urls.isEmpty()) {
        problems.add(Option.REDIS_URL.key() + ": needed with redis-mode " + mode.id() + " (the embedded Redis is "
            + "a single server)");
      }
      if (mode == RedisMode.SENTINEL && masterName.isEmpty()) {
        problems.add(Option.REDIS_MASTER_NAME.key() + ": needed with redis-mode sentinel: the name under which the "
            + "sentinels monitor the master");
      }
      if (mode != RedisMode.SENTINEL && masterName.isPresent()) {
        problems.add(Option.REDIS_MASTER_NAME.key() + ": only used with redis-mode sentinel, not " + mode.id());
      }
    }

    Set<Role> roles() {
      List<String> names = list(Option.ROLES);
      if (names.isEmpty()) {
        problems.add(Option.ROLES.key() + ": at least one role is needed");
        return EnumSet.allOf(Role.class);
      }
      if (names.size() == 1 && names.get(0).equals("all")) {
        return EnumSet.allOf(Role.class);
      }
      EnumSet<Role> roles = EnumSet.noneOf(Role.class);
      for (String name : names) {
        Role role = Role.parse(name);
        if (role == null) {
          problems.add(Option.ROLES.key() + ": unknown role '" + name + "'");
        } else {
          roles.add(role);
        }
      }
      return roles.isEmpty() ? EnumSet.allOf(Role.class) : roles;
    }
  }
}
