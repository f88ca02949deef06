"""covering indexes for the checklist and lookup on a large shop (found by `python3 dev.py bench`)

- customer(first_purchase_on, second_purchase_on) replaces ix_customer_first_purchase_on:
  second-sale candidates who already came back are skipped inside the index, without reading
  their customer row;
- sale(customer_id, sold_on, amount_cents, item_count, on_sale) replaces ix_sale_customer_day:
  the first day's items and "on sale" come from the index too;
- contact(customer_id, contacted_on, outcome, purpose) replaces ix_contact_customer_day, so the
  "already called" and "do not contact" checks never read the contact rows;
- customer_phone(customer_id, id, raw) replaces ix_customer_phone_customer_id: a customer's first
  phone without reading the phone row;
- promise(status, due_on) replaces ix_promise_status: open promises due by a day, in order.

Only CREATE/DROP INDEX: no table is recreated, so the customer_fts triggers of 0003 stay.
"""
from alembic import op

revision, down_revision, branch_labels, depends_on = "0004", "0003", None, None


def upgrade() -> None:
    op.create_index("ix_customer_first_second", "customer", ["first_purchase_on", "second_purchase_on"])
    op.drop_index("ix_customer_first_purchase_on", table_name="customer")
    op.drop_index("ix_sale_customer_day", table_name="sale")
    op.create_index("ix_sale_customer_day", "sale", ["customer_id", "sold_on", "amount_cents", "item_count", "on_sale"])
    op.drop_index("ix_contact_customer_day", table_name="contact")
    op.create_index("ix_contact_customer_day", "contact", ["customer_id", "contacted_on", "outcome", "purpose"])
    op.drop_index("ix_customer_phone_customer_id", table_name="customer_phone")
    op.create_index("ix_customer_phone_customer_first", "customer_phone", ["customer_id", "id", "raw"])
    op.drop_index("ix_promise_status", table_name="promise")
    op.create_index("ix_promise_status_due", "promise", ["status", "due_on"])


def downgrade() -> None:
    op.drop_index("ix_promise_status_due", table_name="promise")
    op.create_index("ix_promise_status", "promise", ["status"])
    op.drop_index("ix_customer_phone_customer_first", table_name="customer_phone")
    op.create_index("ix_customer_phone_customer_id", "customer_phone", ["customer_id"])
    op.drop_index("ix_contact_customer_day", table_name="contact")
    op.create_index("ix_contact_customer_day", "contact", ["customer_id", "contacted_on"])
    op.drop_index("ix_sale_customer_day", table_name="sale")
    op.create_index("ix_sale_customer_day", "sale", ["customer_id", "sold_on", "amount_cents"])
    op.create_index("ix_customer_first_purchase_on", "customer", ["first_purchase_on"])
    op.drop_index("ix_customer_first_second", table_name="customer")
