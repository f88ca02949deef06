"""big_visit: the kept big visits behind the checklist's "thank for a big order"

Finding the week's big visits from the sales read every earlier visit of everyone who came that
week (~99,000 rows, about a second on a 1,000,000-sale shop) on each checklist. The table holds
only the visits that are big (store/big_visits.py), kept exact by every write with the other
per-customer figures, and is filled here from the sales.
"""
import sqlalchemy as sa
from alembic import op

revision, down_revision, branch_labels, depends_on = "0013", "0012", None, None


def upgrade() -> None:
    from sqlmodel import Session

    from shopkeeper.store.big_visits import BIG_MIN_VISITS, refresh_big_visits

    op.create_table(
        "big_visit",
        sa.Column("customer_id", sa.Integer(), sa.ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("sold_on", sa.Date(), primary_key=True),
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("usual_x2_cents", sa.Integer(), nullable=False),
        sa.Column("visits_before", sa.Integer(), nullable=False),
    )
    op.create_index("ix_big_visit_sold_on", "big_visit", ["sold_on"])
    bind = op.get_bind()
    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM customer WHERE visit_days > :n ORDER BY id"),
                                          {"n": BIG_MIN_VISITS})]
    with Session(bind=bind) as session:  # joins the migration's transaction; committed with it
        refresh_big_visits(session, ids)


def downgrade() -> None:
    op.drop_index("ix_big_visit_sold_on", "big_visit")
    op.drop_table("big_visit")
