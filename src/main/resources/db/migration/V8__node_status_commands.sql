-- Node status reports (D8): one row per report, kept for status-retention-ms per node. The
-- figures are the report's JSON, as GET /v1/nodes/{id}/status answers them. Times are epoch ms.
CREATE TABLE node_status (
  node_id text NOT NULL,
  at      bigint NOT NULL,
  figures jsonb NOT NULL,
  PRIMARY KEY (node_id, at)
);
CREATE INDEX node_status_at ON node_status (at);

-- Commands to nodes (D9). A node claims a queued command by moving it to running with a
-- conditional UPDATE, so it runs once however many fetches race; then done or failed.
CREATE TABLE node_commands (
  command_id  bigserial PRIMARY KEY,
  node_id     text NOT NULL,
  command     text NOT NULL CHECK (command IN ('restart', 'clear-cache', 'reload-config')),
  args        jsonb NOT NULL,
  state       text NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
  output      text,
  issued_by   text NOT NULL,
  created_at  bigint NOT NULL,
  started_at  bigint,
  finished_at bigint,
  run_by      text
);
CREATE INDEX node_commands_by_node ON node_commands (node_id, command_id);
CREATE INDEX node_commands_queued ON node_commands (node_id, command_id) WHERE state = 'queued';
