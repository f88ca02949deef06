"""sale corrections: refunds tied to the sale they refund, voided sales kept aside, edits recorded

- sale.refund_of_id: the sale a refund gives money back on (NULL for sales and for the refunds of
  before, which keep counting as they did), with a partial index, tiny since few sales are refunds.
- sale_void: a voided sale moved out of `sale` (so every query that reads `sale` is right without
  knowing about voids), with its lines as JSON, the day and the reason; its import key stays here.
- sale_correction: one row per edit with the values before and after.

The column is added in place (no table rebuild). No figure changes: no refund is tied yet.
"""
import sqlalchemy as sa
from alembic import op

revision, down_revision, branch_labels, depends_on = "0006", "0005", None, None


def upgrade() -> None:
    # SQLite adds a column with a REFERENCES clause in place when its default is NULL
    op.execute("ALTER TABLE sale ADD COLUMN refund_of_id INTEGER REFERENCES sale (id) ON DELETE RESTRICT")
    op.execute("CREATE INDEX ix_sale_refund_of ON sale (refund_of_id) WHERE refund_of_id IS NOT NULL")
    op.create_table(
        "sale_void",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("sold_on", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("on_sale", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("import_key", sa.String(), nullable=True),
        sa.Column("refund_of_id", sa.Integer(), nullable=True),
        sa.Column("lines_json", sa.String(), nullable=False),
        sa.Column("voided_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sale_void_sale_id", "sale_void", ["sale_id"], unique=True)
    op.create_index("ix_sale_void_customer_id", "sale_void", ["customer_id"])
    op.create_index("ix_sale_void_import_key", "sale_void", ["import_key"])
    op.create_table(
        "sale_correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("corrected_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("old_customer_id", sa.Integer(), nullable=True),
        sa.Column("new_customer_id", sa.Integer(), nullable=True),
        sa.Column("old_sold_on", sa.Date(), nullable=False),
        sa.Column("new_sold_on", sa.Date(), nullable=False),
        sa.Column("old_amount_cents", sa.Integer(), nullable=False),
        sa.Column("new_amount_cents", sa.Integer(), nullable=False),
        sa.Column("old_item_count", sa.Integer(), nullable=False),
        sa.Column("new_item_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sale_correction_sale_id", "sale_correction", ["sale_id"])


def downgrade() -> None:
    op.drop_table("sale_correction")
    op.drop_table("sale_void")
    op.drop_index("ix_sale_refund_of", table_name="sale")
    with op.batch_alter_table("sale") as batch_op:
        batch_op.drop_column("refund_of_id")
