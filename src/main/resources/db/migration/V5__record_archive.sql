-- Storage hand-off of records (E7): each channel's records go to blob storage in segments, in
-- cursor order; a segment is an NDJSON blob kept in three copies like any other blob.
CREATE TABLE archive_progress (
  channel          text PRIMARY KEY,
  archived_cursor  bigint NOT NULL
);

CREATE TABLE record_segments (
  channel       text NOT NULL,
  first_cursor  bigint NOT NULL,
  last_cursor   bigint NOT NULL,
  blob_id       text NOT NULL,
  PRIMARY KEY (channel, first_cursor)
);

-- Provenance (S8): the gateway that forwarded each record and the core node that committed it.
ALTER TABLE records ADD COLUMN gateway text;
ALTER TABLE records ADD COLUMN core_node text;

-- Keep the planner's view of the records table fresh while it grows fast (analyse every ~2%).
ALTER TABLE records SET (autovacuum_analyze_scale_factor = 0.02);

-- The repair sweep looks at recently failed mirror items to back off from blobs it cannot place.
CREATE INDEX task_items_failed ON task_items (finished_at) WHERE state = 'failed';
