-- Token lifecycle (X3): a user may hold several bearer tokens, each with an id (shown in lists
-- and used to revoke it), a label, an optional expiry and the time it was last used. Only the
-- SHA-256 of a token is kept, as before. Revoking a token deletes its row. Times are epoch ms.
CREATE TABLE tokens (
  token_id     text PRIMARY KEY,
  user_id      text NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  token_hash   text NOT NULL UNIQUE,
  label        text,
  created_at   bigint NOT NULL,
  expires_at   bigint,
  last_used_at bigint
);
CREATE INDEX tokens_user ON tokens (user_id);

-- Every existing identity keeps the token it has, now its first token.
INSERT INTO tokens (token_id, user_id, token_hash, label, created_at)
  SELECT 'tok_' || substr(md5(random()::text || user_id), 1, 16), user_id, token_hash, 'initial', created_at
  FROM users;

ALTER TABLE users DROP COLUMN token_hash;
