-- E2, E4, S8 (issue 19): a record id is unique across all channels again. Since V19 the records
-- table's unique key must hold its partition key (record_id, channel); this unpartitioned table
-- holds each id once with the channel and cursor of its record. Every append inserts its new ids
-- here in the statement that inserts the records, so an id stored in any channel is answered as
-- a duplicate, and look-ups by id alone find the one partition to read. Like V19 it wants every
-- node of an older version stopped: those would append records without their id row.
CREATE TABLE record_ids (
  record_id uuid PRIMARY KEY,
  channel text NOT NULL,
  cursor bigint NOT NULL
);

-- Filled from the records stored so far. Between V19 and this migration a client could give one
-- id to records of two channels: both records stay in their channels, and the id names the first
-- committed (ties broken by channel name, then cursor), whose answer a retry got before V19.
INSERT INTO record_ids (record_id, channel, cursor)
SELECT DISTINCT ON (record_id) record_id, channel, cursor FROM records
ORDER BY record_id, committed_at, channel, cursor;
