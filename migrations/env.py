"""Alembic environment for Flask-Migrate: runs against the application's engine and metadata."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name and not config.attributes.get("skip_logging_config"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

db = current_app.extensions["migrate"].db


def _options(connection=None) -> dict:
    dialect = connection.dialect.name if connection is not None else db.engine.dialect.name
    return {
        "target_metadata": db.metadata,
        "compare_type": True,
        # SQLite cannot ALTER most things: batch mode copies the table instead.
        "render_as_batch": dialect == "sqlite",
        **current_app.extensions["migrate"].configure_args,
    }


def run_migrations_offline() -> None:
    context.configure(url=db.engine.url.render_as_string(hide_password=False), literal_binds=True, **_options())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty(context_, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    with db.engine.connect() as connection:
        context.configure(connection=connection, process_revision_directives=skip_empty, **_options(connection))
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
