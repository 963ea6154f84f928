-- Processing configuration per data type (E5), validated by management when set.
CREATE TABLE processor_configs (
  data_type  text PRIMARY KEY,
  config     text NOT NULL,
  updated_at bigint NOT NULL
);

-- Aggregate windows that have inputs and are not yet closed (E5). Marked in the transaction that
-- commits an input; a core closes a due window, commits its result and deletes the mark in one
-- transaction, so each window yields its result exactly once even if a core dies midway.
CREATE TABLE aggregate_windows (
  channel      text NOT NULL,
  data_type    text NOT NULL,
  window_start bigint NOT NULL,
  window_ms    bigint NOT NULL,
  PRIMARY KEY (channel, data_type, window_start)
);
CREATE INDEX aggregate_windows_due ON aggregate_windows ((window_start + window_ms));

-- What each edge may submit and at which default priority (E1); no row = any type, priority 5.
CREATE TABLE edge_grants (
  node_id          text PRIMARY KEY,
  permitted_types  text[] NOT NULL,
  default_priority smallint NOT NULL,
  updated_at       bigint NOT NULL
);

-- Webhook sinks (E8) and their outbox: one row per record still to deliver, written in the
-- transaction that commits the record, so nothing committed is missed.
CREATE TABLE sinks (
  sink_id      text PRIMARY KEY,
  url          text NOT NULL,
  channel      text,
  data_type    text,
  include      text NOT NULL CHECK (include IN ('raw', 'results', 'both')),
  max_attempts int NOT NULL,
  backoff_ms   bigint NOT NULL,
  created_at   bigint NOT NULL
);

CREATE TABLE sink_outbox (
  sink_id         text NOT NULL REFERENCES sinks ON DELETE CASCADE,
  record_id       uuid NOT NULL,
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at bigint NOT NULL,
  last_error      text,
  dead            boolean NOT NULL DEFAULT false,
  PRIMARY KEY (sink_id, record_id)
);
CREATE INDEX sink_outbox_due ON sink_outbox (next_attempt_at) WHERE NOT dead;
