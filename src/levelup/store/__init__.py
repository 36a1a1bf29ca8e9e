"""The one gateway to the database: tables, engine, and repository functions."""
