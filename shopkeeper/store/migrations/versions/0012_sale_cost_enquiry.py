"""sale.cost_cents and the enquiry table (issue 14)

What a sale cost the shop, when the owner knows it, so Insights can speak of profit and not only
revenue (null: the shop-wide margin setting stands in). Enquiries: who asked what, by which
channel, when, and when it was answered (the checklist lists the open ones; Insights the
response time). Added in place, nothing to fill.
"""
import sqlalchemy as sa
from alembic import op

revision, down_revision, branch_labels, depends_on = "0012", "0011", None, None


def upgrade() -> None:
    op.add_column("sale", sa.Column("cost_cents", sa.Integer(), nullable=True))
    op.create_index("ix_sale_cost", "sale", ["cost_cents"], sqlite_where=sa.text("cost_cents IS NOT NULL"),
                    postgresql_where=sa.text("cost_cents IS NOT NULL"))
    op.create_table(
        "enquiry",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("customer_id", sa.Integer(), sa.ForeignKey("customer.id", ondelete="SET NULL"), nullable=True),
        sa.Column("name", sa.String(), nullable=False, server_default=""),
        sa.Column("phone", sa.String(), nullable=False, server_default=""),
        sa.Column("what", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False, server_default="phone"),
        sa.Column("asked_on", sa.Date(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answer", sa.String(), nullable=False, server_default=""),
    )
    op.create_index("ix_enquiry_customer_id", "enquiry", ["customer_id"])
    op.create_index("ix_enquiry_asked_on", "enquiry", ["asked_on"])
    op.create_index("ix_enquiry_open", "enquiry", ["answered_on", "asked_on"])


def downgrade() -> None:
    op.drop_index("ix_enquiry_open", "enquiry")
    op.drop_index("ix_enquiry_asked_on", "enquiry")
    op.drop_index("ix_enquiry_customer_id", "enquiry")
    op.drop_table("enquiry")
    op.drop_index("ix_sale_cost", "sale")
    op.drop_column("sale", "cost_cents")
