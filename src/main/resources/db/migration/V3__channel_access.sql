-- Read rights per channel (X3). A channel is open to every authenticated user until an
-- administrator or its owner (the sender of its first record) restricts it to a list of readers.
ALTER TABLE channels ADD COLUMN owner text;
ALTER TABLE channels ADD COLUMN restricted boolean NOT NULL DEFAULT false;

CREATE TABLE channel_readers (
  channel text NOT NULL,
  user_id text NOT NULL,
  PRIMARY KEY (channel, user_id)
);

-- Cache lifetime per channel (Q5); channels without a row use the configured default.
CREATE TABLE channel_cache_settings (
  channel    text PRIMARY KEY,
  ttl_ms     bigint NOT NULL,
  adaptive   boolean NOT NULL,
  updated_at bigint NOT NULL
);
