-- E1: management numbers each node once (kept across restarts) and knows which running process
-- holds each node id, so a second process started with an id in use is refused.
CREATE SEQUENCE node_numbers;
ALTER TABLE nodes ADD COLUMN node_number int UNIQUE;
ALTER TABLE nodes ADD COLUMN instance text;
UPDATE nodes SET node_number = nextval('node_numbers') WHERE node_number IS NULL;
ALTER TABLE nodes ALTER COLUMN node_number SET DEFAULT nextval('node_numbers');
ALTER TABLE nodes ALTER COLUMN node_number SET NOT NULL;
