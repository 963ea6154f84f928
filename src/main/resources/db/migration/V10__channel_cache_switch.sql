-- Cache or not, per channel (issue 15): a channel set to false is kept out of Redis and read
-- from PostgreSQL only; channels without a row, and existing rows, stay cached.
ALTER TABLE channel_cache_settings ADD COLUMN cached boolean NOT NULL DEFAULT true;
