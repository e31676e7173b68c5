"""Storing parsed reports in SQL (SQLite or PostgreSQL) and reading them back as DataFrames.

``db.engine.connect`` opens and migrates; ``db.load`` stores reports; ``db.query`` reads views;
``db.checks`` runs the cross-year rules. Only this package touches SQLAlchemy.
"""
