-- X2 (issue 19): declarative partitioning, rows of a filled database moved over.
--
-- Records: 16 hash partitions by channel, so a channel's cursor reads and appends touch one
-- partition. A unique index of a partitioned table must hold the partition key, so the id's
-- uniqueness becomes (record_id, channel): ids made by the system belong to one channel (the
-- edge's random or channel-derived ids, result ids named after their target channel, dispatch ids
-- after their task and user), so retries are still de-duplicated; record_id leads the index, so a
-- look-up by id alone probes one small index per partition.
ALTER TABLE records RENAME TO records_unpartitioned;
ALTER TABLE records_unpartitioned DROP CONSTRAINT records_pkey;
ALTER TABLE records_unpartitioned DROP CONSTRAINT records_record_id_key;
DROP INDEX records_channel_time;
CREATE TABLE records (LIKE records_unpartitioned INCLUDING DEFAULTS) PARTITION BY HASH (channel);
DO $$
BEGIN
  FOR i IN 0..15 LOOP
    -- as on the old table (V13): keep the planner's view of each fast-growing partition fresh
    EXECUTE format('CREATE TABLE %I PARTITION OF records FOR VALUES WITH (MODULUS 16, REMAINDER %s) '
        || 'WITH (autovacuum_analyze_scale_factor = 0.02)', 'records_h' || lpad(i::text, 2, '0'), i);
  END LOOP;
END $$;
INSERT INTO records SELECT * FROM records_unpartitioned;
DROP TABLE records_unpartitioned;
ALTER TABLE records ADD PRIMARY KEY (channel, cursor);
ALTER TABLE records ADD CONSTRAINT records_record_id_key UNIQUE (record_id, channel);
CREATE INDEX records_channel_time ON records (channel, committed_at);

-- Task tables: daily range partitions on their creation time (epoch ms, UTC days), named
-- <table>_pYYYYMMDD; the rows made before this migration go to <table>_upto_YYYYMMDD, which ends
-- where the first day begins. Management's partition maintenance (PartitionPlan) creates the days
-- ahead and drops those past --task-retention-days; the default partition only catches rows of a
-- day not created in time, so no insert ever fails for want of a partition.
--
-- Payloads and attempts stay whole tables keyed by task id: their foreign keys cannot point at a
-- partitioned table's task id alone, and the maintenance deletes a dropped day's rows from them.
ALTER TABLE dispatch_payloads DROP CONSTRAINT dispatch_payloads_task_id_fkey;
ALTER TABLE dispatch_attempts DROP CONSTRAINT dispatch_attempts_task_id_fkey;
ALTER TABLE dispatch_tasks RENAME TO dispatch_tasks_unpartitioned;
ALTER TABLE dispatch_tasks_unpartitioned DROP CONSTRAINT dispatch_tasks_pkey;
DROP INDEX dispatch_tasks_backlog, dispatch_tasks_sender, dispatch_tasks_dest, dispatch_tasks_unconsumed,
  dispatch_tasks_created;
CREATE TABLE dispatch_tasks (LIKE dispatch_tasks_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
  PARTITION BY RANGE (created_at);

ALTER TABLE task_plans RENAME TO task_plans_unpartitioned;
ALTER TABLE task_plans_unpartitioned DROP CONSTRAINT task_plans_pkey;
DROP INDEX task_plans_kind;
CREATE TABLE task_plans (LIKE task_plans_unpartitioned INCLUDING DEFAULTS) PARTITION BY RANGE (created_at);

-- the item ids' sequence belongs to the old table and would go with it
ALTER SEQUENCE task_items_item_id_seq OWNED BY NONE;
ALTER TABLE task_items RENAME TO task_items_unpartitioned;
ALTER TABLE task_items_unpartitioned DROP CONSTRAINT task_items_pkey;
DROP INDEX task_items_queue, task_items_plan, task_items_blob, task_items_failed, task_items_hand_out;
CREATE TABLE task_items (LIKE task_items_unpartitioned INCLUDING DEFAULTS) PARTITION BY RANGE (planned_at);
ALTER SEQUENCE task_items_item_id_seq OWNED BY task_items.item_id;

DO $$
DECLARE
  today date := (now() AT TIME ZONE 'UTC')::date;
  tbl text;
BEGIN
  FOREACH tbl IN ARRAY ARRAY['dispatch_tasks', 'task_plans', 'task_items'] LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (MINVALUE) TO (%s)',
        tbl || '_upto_' || to_char(today, 'YYYYMMDD'), tbl, (today - date '1970-01-01')::bigint * 86400000);
    FOR i IN 0..7 LOOP
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%s) TO (%s)',
          tbl || '_p' || to_char(today + i, 'YYYYMMDD'), tbl,
          (today + i - date '1970-01-01')::bigint * 86400000, (today + i + 1 - date '1970-01-01')::bigint * 86400000);
    END LOOP;
    EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', tbl || '_pdefault', tbl);
    EXECUTE format('INSERT INTO %I SELECT * FROM %I', tbl, tbl || '_unpartitioned');
    EXECUTE format('DROP TABLE %I', tbl || '_unpartitioned');
  END LOOP;
END $$;

-- the same keys and indexes as before, each key with its partition column; a task id is made from
-- its creation millisecond (D3) by one generator per worker, so no two tasks share the id anyway
ALTER TABLE dispatch_tasks ADD PRIMARY KEY (task_id, created_at);
CREATE INDEX dispatch_tasks_backlog ON dispatch_tasks (source_worker) WHERE state IN ('queued', 'sending', 'retrying');
CREATE INDEX dispatch_tasks_sender ON dispatch_tasks (sender, created_at);
CREATE INDEX dispatch_tasks_dest ON dispatch_tasks (dest, created_at);
CREATE INDEX dispatch_tasks_unconsumed ON dispatch_tasks (dest, user_cursor) WHERE state = 'delivered';
CREATE INDEX dispatch_tasks_created ON dispatch_tasks (created_at, task_id);

ALTER TABLE task_plans ADD PRIMARY KEY (plan_id, created_at);
CREATE INDEX task_plans_kind ON task_plans (kind, created_at);

ALTER TABLE task_items ADD PRIMARY KEY (item_id, planned_at);
CREATE INDEX task_items_queue ON task_items (run_on, state, item_id);
CREATE INDEX task_items_plan ON task_items (plan_id);
CREATE INDEX task_items_blob ON task_items (blob_id, state);
CREATE INDEX task_items_failed ON task_items (finished_at) WHERE state = 'failed';
CREATE INDEX task_items_hand_out ON task_items (run_on, state, priority, item_id);
