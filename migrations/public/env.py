"""Alembic environment for the public history (authoring only; see migrations/README.md)."""
from alembic import context

from app import create_app
from app.db_base import PublicModel
from app.extensions import db

app = create_app()
with app.app_context():
    import app.public_schema  # noqa: F401  (imports every public model)

    with db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=PublicModel.metadata,
            version_table_schema="public",
            include_schemas=True,
            include_name=lambda name, type_, _: type_ != "schema" or name == "public",
        )
        with context.begin_transaction():
            context.run_migrations()
