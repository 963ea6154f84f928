-- S7: a plan's execution window (epoch ms, either end open when null).
ALTER TABLE task_plans ADD COLUMN not_before bigint, ADD COLUMN not_after bigint;

-- E7: storage work in the priority of what it serves, 0 the highest; blobs without one are the lowest.
ALTER TABLE blobs ADD COLUMN priority smallint NOT NULL DEFAULT 9;
ALTER TABLE task_items ADD COLUMN priority smallint NOT NULL DEFAULT 9;
CREATE INDEX task_items_hand_out ON task_items (run_on, state, priority, item_id);
