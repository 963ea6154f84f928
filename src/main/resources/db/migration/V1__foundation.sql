-- Nodes as registered with management (E1).
CREATE TABLE nodes (
  node_id       text PRIMARY KEY,
  roles         text[] NOT NULL,
  site          text NOT NULL,
  http_url      text NOT NULL,
  cores         int NOT NULL,
  memory_bytes  bigint NOT NULL,
  disk_bytes    bigint NOT NULL,
  registered_at bigint NOT NULL,
  last_seen_at  bigint NOT NULL
);

-- Users, edges and administrators; only the SHA-256 of each bearer token is kept (X3).
CREATE TABLE users (
  user_id    text PRIMARY KEY,
  kind       text NOT NULL CHECK (kind IN ('admin', 'user', 'edge')),
  token_hash text NOT NULL UNIQUE,
  created_at bigint NOT NULL
);

-- One row per channel; last_cursor is the dense per-channel sequence (Q1). Writers to a channel
-- serialise on this row, so cursors are handed out in commit order.
CREATE TABLE channels (
  channel     text PRIMARY KEY,
  last_cursor bigint NOT NULL,
  created_at  bigint NOT NULL
);

-- Every committed record (X5: acknowledged means here). Times are epoch milliseconds.
CREATE TABLE records (
  channel      text NOT NULL,
  cursor       bigint NOT NULL,
  record_id    uuid NOT NULL UNIQUE,
  edge         text NOT NULL,
  data_type    text NOT NULL,
  priority     smallint NOT NULL,
  produced_at  bigint NOT NULL,
  committed_at bigint NOT NULL,
  sender       text NOT NULL,
  destination  text,
  payload      text,
  blob_ref     text,
  PRIMARY KEY (channel, cursor)
);
CREATE INDEX records_channel_time ON records (channel, committed_at);
