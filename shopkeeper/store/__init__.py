"""Persistence: the SQLite file, its tables, queries and migrations. Never imports Textual."""
