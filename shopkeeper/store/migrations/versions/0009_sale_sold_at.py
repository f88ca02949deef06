"""sale.sold_at: the instant of a sale, when its import knew it

Tills and online shops export a time and a zone with every sale (issue 15). The sale's day
(sold_on) is the day it was in the shop's time zone; sold_at keeps the instant itself, as UTC
ISO text ("2025-10-07T07:50:26Z"), so a later change of zone or an hour-of-day view can use it.
Null for sales typed in the app or imported with a date only. Added in place, nothing to fill.
"""
import sqlalchemy as sa
from alembic import op

revision, down_revision, branch_labels, depends_on = "0009", "0007", None, None


def upgrade() -> None:
    op.add_column("sale", sa.Column("sold_at", sa.String(), nullable=True))


def downgrade() -> None:
    op.drop_column("sale", "sold_at")
