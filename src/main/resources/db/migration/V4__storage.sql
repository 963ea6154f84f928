-- Distributed blob storage (S1-S8). Times are epoch milliseconds like the rest of the schema.

-- Storage nodes as their heartbeats describe them (S2, S4); management marks a silent one down.
CREATE TABLE storage_nodes (
  store_id      text PRIMARY KEY,
  host_node     text NOT NULL,
  site          text NOT NULL,
  url           text NOT NULL,
  state         text NOT NULL,
  load          jsonb NOT NULL,
  free_bytes    bigint NOT NULL,
  last_seen_at  bigint NOT NULL,
  down_since    bigint
);

-- A blob as users see it; its bytes live on storage nodes, addressed by sha256.
CREATE TABLE blobs (
  blob_id       text PRIMARY KEY,
  sha256        text NOT NULL,
  md5           text NOT NULL,
  size          bigint NOT NULL,
  kind          text NOT NULL,
  name          text,
  content_type  text NOT NULL,
  owner         text NOT NULL,
  copies        int NOT NULL,
  mirrors       text[] NOT NULL,
  source_blob   text,
  derived_by    text,
  origin_node   text NOT NULL,
  origin_site   text NOT NULL,
  state         text NOT NULL,
  created_at    bigint NOT NULL,
  deleted_at    bigint
);
CREATE INDEX blobs_source ON blobs (source_blob) WHERE source_blob IS NOT NULL;

-- Every copy of a blob: where it is, its checksums, state and last verification (S3, S5).
CREATE TABLE blob_copies (
  blob_id      text NOT NULL,
  store_id     text NOT NULL,
  path         text NOT NULL,
  sha256       text NOT NULL,
  md5          text NOT NULL,
  state        text NOT NULL,
  created_at   bigint NOT NULL,
  verified_at  bigint NOT NULL,
  PRIMARY KEY (blob_id, store_id)
);
CREATE INDEX blob_copies_store ON blob_copies (store_id, state, verified_at);

-- Task plans made centrally and their items, fetched by the nodes that run them (S6, S7).
CREATE TABLE task_plans (
  plan_id     text PRIMARY KEY,
  kind        text NOT NULL,
  blob_id     text,
  params      jsonb NOT NULL,
  created_by  text NOT NULL,
  created_at  bigint NOT NULL
);
CREATE INDEX task_plans_kind ON task_plans (kind, created_at);

CREATE TABLE task_items (
  item_id      bigserial PRIMARY KEY,
  plan_id      text NOT NULL,
  kind         text NOT NULL,
  blob_id      text NOT NULL,
  run_on       text NOT NULL,
  source_store text,
  bytes        bigint NOT NULL,
  state        text NOT NULL,
  error        text,
  output_blob  text,
  planned_at   bigint NOT NULL,
  started_at   bigint,
  finished_at  bigint
);
CREATE INDEX task_items_queue ON task_items (run_on, state, item_id);
CREATE INDEX task_items_plan ON task_items (plan_id);
CREATE INDEX task_items_blob ON task_items (blob_id, state);

-- Secrets shared by the nodes of a cluster (internal transfer, timestamp seals), made once.
CREATE TABLE cluster_secrets (
  name   text PRIMARY KEY,
  value  bytea NOT NULL
);
