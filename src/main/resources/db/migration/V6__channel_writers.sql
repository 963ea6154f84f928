-- Write rights per channel (X3). A restricted channel takes records only from its owner, the
-- users listed here and administrators; a channel that was never restricted stays open to every
-- authenticated writer.
CREATE TABLE channel_writers (
  channel text NOT NULL,
  user_id text NOT NULL,
  PRIMARY KEY (channel, user_id)
);
