"""Alembic environment: migrations run on the connection the register opens (never from a
configuration file), so that `notice-extractor` can bring any register up to date itself."""

from __future__ import annotations

from alembic import context

from extractor.register.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
