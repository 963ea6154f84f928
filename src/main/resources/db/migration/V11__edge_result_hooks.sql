-- E6: how far each edge's result hook has been delivered: the last cursor of its result feed the
-- hook acknowledged (2xx). Delivery resumes after it, so results reach the hook in order, at least once.
CREATE TABLE edge_hook_cursors (
  edge       text PRIMARY KEY,
  hook_url   text NOT NULL,
  cursor     bigint NOT NULL,
  updated_at bigint NOT NULL
);
