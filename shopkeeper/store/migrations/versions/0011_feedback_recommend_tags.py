"""feedback.would_recommend and feedback.complaint; customer_tag: free tags on customers (issue 14)

"Would you recommend us?" is yes (True), no (False) or not asked (NULL); a yes makes the customer
an advocate (level 3), like a testimonial. A complaint (or a score of 2 or less) puts "answer this
feedback" on the checklist until a contact closes it. Tags ("wholesale", "tea club") are a small
table of (customer, tag), kept as typed and folded to lower case for filtering. Nothing to fill.
"""
import sqlalchemy as sa
from alembic import op

revision, down_revision, branch_labels, depends_on = "0011", "0010", None, None


def upgrade() -> None:
    op.add_column("feedback", sa.Column("would_recommend", sa.Boolean(), nullable=True))
    op.add_column("feedback", sa.Column("complaint", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "customer_tag",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("customer_id", sa.Integer(), sa.ForeignKey("customer.id", ondelete="CASCADE"), nullable=False),
        sa.Column("tag", sa.String(), nullable=False),
        sa.Column("tag_fold", sa.String(), nullable=False),
        sa.UniqueConstraint("customer_id", "tag_fold", name="uq_customer_tag"),
    )
    op.create_index("ix_customer_tag_fold", "customer_tag", ["tag_fold", "customer_id"])


def downgrade() -> None:
    op.drop_index("ix_customer_tag_fold", table_name="customer_tag")
    op.drop_table("customer_tag")
    with op.batch_alter_table("feedback") as batch:
        batch.drop_column("complaint")
        batch.drop_column("would_recommend")
