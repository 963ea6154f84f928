-- Media durations for the load score's work term (S2: time(v), time(a); issue 15): ffprobe's
-- duration of a video or audio blob in seconds, measured by a storage node that holds a copy.
-- media_probed_at says a node took it up (NULL: not yet), so a file ffprobe cannot read is tried once.
-- V15: others hold V14, V16, V17.
ALTER TABLE blobs ADD COLUMN media_seconds double precision, ADD COLUMN media_probed_at bigint;
CREATE INDEX blobs_media_unprobed ON blobs (blob_id)
  WHERE media_probed_at IS NULL AND kind IN ('video', 'audio') AND state = 'live';
