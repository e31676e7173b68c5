"""Storing parsed reports in SQL (SQLite or PostgreSQL) and reading them back as DataFrames.

``govreports.db.engine.connect`` opens and migrates; ``govreports.db.load`` stores reports; ``govreports.db.query`` reads views;
``govreports.db.checks`` runs the cross-year rules. Only this package touches SQLAlchemy.
"""

from .engine import connect, init_db

__all__ = ["connect", "init_db"]
