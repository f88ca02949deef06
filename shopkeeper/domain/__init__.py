"""Pure rules of the shop: dataclasses and functions with no SQL, no Textual and no clock."""
