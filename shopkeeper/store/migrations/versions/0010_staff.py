"""staff: who works in the shop, and who recorded each sale, correction, promise, contact, referral, feedback

Several people share one shop (issue 12): `staff` holds their names and unique initials (retired,
never deleted, so the history keeps its initials), and each table of things people record gets a
nullable staff_id (NULL: nobody said who was at the till, as everything recorded before). A voided
sale keeps who sold it (staff_id) and who voided it (voided_by_id). Columns added in place.
"""
import sqlalchemy as sa
from alembic import op

revision, down_revision, branch_labels, depends_on = "0010", "0009", None, None

RECORDED_BY = ("sale", "sale_void", "sale_correction", "promise", "referral", "contact", "feedback")


def upgrade() -> None:
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("initials", sa.String(), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_staff_initials", "staff", ["initials"], unique=True)
    for table in RECORDED_BY:
        op.add_column(table, sa.Column("staff_id", sa.Integer(), nullable=True))
    op.add_column("sale_void", sa.Column("voided_by_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sale_void") as batch_op:
        batch_op.drop_column("voided_by_id")
    for table in RECORDED_BY:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("staff_id")
    op.drop_index("ix_staff_initials", table_name="staff")
    op.drop_table("staff")
