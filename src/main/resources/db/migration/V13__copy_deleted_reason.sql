-- Why and when a copy was last deleted (S5, issue 15): a scrub that finds its MD5 or SHA-256 no
-- longer matching deletes it with the reason ('corrupt: md5 mismatch'), a recycle with 'recycled'.
-- V13: main already holds V10 (cache switch), V11 (edge result hooks) and V12 (node numbers).
ALTER TABLE blob_copies ADD COLUMN deleted_reason text, ADD COLUMN deleted_at bigint;
UPDATE blob_copies SET state = 'deleted', deleted_reason = 'corrupt' WHERE state = 'corrupt';
