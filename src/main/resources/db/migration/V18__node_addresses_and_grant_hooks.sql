-- E1: the address management gave each node from its configured pool (NULL: the node is reached at
-- the http_url it reports); one node per pool address.
ALTER TABLE nodes ADD COLUMN pool_address text UNIQUE;
-- E6: an edge's result hook set by its grant; it wins over the edge's edge-result-hook option.
ALTER TABLE edge_grants ADD COLUMN result_hook text;
