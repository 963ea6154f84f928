-- E2 (issue 16): the records table's unique key on (record_id, channel) is no longer read or needed.
-- Since V20 an id is unique across all channels through record_ids, which every append fills in
-- the statement that inserts the records, and every look-up by id goes through it. The key cost
-- each appended record an insert into a second index of random UUIDs (and its WAL).
ALTER TABLE records DROP CONSTRAINT records_record_id_key;
