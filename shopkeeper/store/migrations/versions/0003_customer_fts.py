"""customer_fts: a trigram full-text index of folded names and emails, for lookup by any part

Kept in step by triggers. Note for later migrations: a batch_alter_table on customer recreates
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


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    for name in ("customer_fts_update", "customer_fts_delete", "customer_fts_insert"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS customer_fts")
