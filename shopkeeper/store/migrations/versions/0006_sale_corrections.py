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

_TYPES = {"int": sa.Integer, "str": sa.String, "date": sa.Date, "bool": sa.Boolean}

def _columns(spec: str) -> list[sa.Column]:
    """The columns of "name:type" words ("?" = nullable): the same Column objects as one
    sa.Column(name, TYPE(), nullable=...) a line, written compactly."""
    return [sa.Column(name, _TYPES[kind.rstrip("?")](), nullable=kind.endswith("?"))
            for name, kind in (word.split(":") for word in spec.split())]


def upgrade() -> None:
    # SQLite adds a column with a REFERENCES clause in place when its default is NULL
    op.execute("ALTER TABLE sale ADD COLUMN refund_of_id INTEGER REFERENCES sale (id) ON DELETE RESTRICT")
    op.execute("CREATE INDEX ix_sale_refund_of ON sale (refund_of_id) WHERE refund_of_id IS NOT NULL")
    op.create_table(
        "sale_void",
        *_columns(
            "id:int sale_id:int customer_id:int? sold_on:date amount_cents:int item_count:int "
            "on_sale:bool note:str import_key:str? refund_of_id:int? lines_json:str "
            "voided_on:date reason:str"
        ),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sale_void_sale_id", "sale_void", ["sale_id"], unique=True)
    op.create_index("ix_sale_void_customer_id", "sale_void", ["customer_id"])
    op.create_index("ix_sale_void_import_key", "sale_void", ["import_key"])
    op.create_table(
        "sale_correction",
        *_columns(
            "id:int sale_id:int corrected_on:date reason:str old_customer_id:int? "
            "new_customer_id:int? old_sold_on:date new_sold_on:date old_amount_cents:int "
            "new_amount_cents:int old_item_count:int new_item_count:int"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sale_correction_sale_id", "sale_correction", ["sale_id"])


def downgrade() -> None:
    op.drop_table("sale_correction")
    op.drop_table("sale_void")
    op.drop_index("ix_sale_refund_of", table_name="sale")
    with op.batch_alter_table("sale") as batch_op:
        batch_op.drop_column("refund_of_id")
