-- Bootstrap: the table in which scripts/migrate.sh records each applied
-- migration (written in the same transaction as the migration itself).
CREATE TABLE IF NOT EXISTS schema_migrations (
	version    text PRIMARY KEY,
	applied_at timestamptz NOT NULL DEFAULT now()
);
