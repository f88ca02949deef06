"""customer_fts: a trigram full-text index of folded names and emails, for lookup by any part

On SQLite an FTS5 table kept in step by triggers; on PostgreSQL pg_trgm GIN indexes on the two
columns themselves (no table, no triggers), which LIKE '%part%' uses. Note for later migrations: a batch_alter_table on customer recreates
the table on SQLite and drops these triggers; such a migration must create them again.
"""
from alembic import op

revision, down_revision, branch_labels, depends_on = "0003", "0002", None, None

STATEMENTS = [
    """CREATE VIRTUAL TABLE customer_fts USING fts5(
         name_fold, email_fold, content='customer', content_rowid='id', tokenize='trigram')""",
    "INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')",
    """CREATE TRIGGER customer_fts_insert AFTER INSERT ON customer BEGIN
         INSERT INTO customer_fts(rowid, name_fold, email_fold) VALUES (new.id, new.name_fold, new.email_fold);
       END""",
    """CREATE TRIGGER customer_fts_delete AFTER DELETE ON customer BEGIN
         INSERT INTO customer_fts(customer_fts, rowid, name_fold, email_fold)
           VALUES ('delete', old.id, old.name_fold, old.email_fold);
       END""",
    """CREATE TRIGGER customer_fts_update AFTER UPDATE OF name_fold, email_fold ON customer BEGIN
         INSERT INTO customer_fts(customer_fts, rowid, name_fold, email_fold)
           VALUES ('delete', old.id, old.name_fold, old.email_fold);
         INSERT INTO customer_fts(rowid, name_fold, email_fold) VALUES (new.id, new.name_fold, new.email_fold);
       END""",
]


PG_STATEMENTS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_customer_name_trgm ON customer USING gin (name_fold gin_trgm_ops)",
    "CREATE INDEX ix_customer_email_trgm ON customer USING gin (email_fold gin_trgm_ops)",
]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in PG_STATEMENTS if postgres else STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_customer_email_trgm")
        op.execute("DROP INDEX IF EXISTS ix_customer_name_trgm")
        return
    for name in ("customer_fts_update", "customer_fts_delete", "customer_fts_insert"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS customer_fts")
