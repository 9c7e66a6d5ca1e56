"""The two declarative bases: public (shared) tables and tenant tables.

PublicModel tables live in the public schema and are always schema-qualified.
TenantModel tables are unqualified: they resolve to whatever tenant schema the
tenancy module has put on the current transaction, and to nothing otherwise.
"""
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class PublicModel(DeclarativeBase):
    metadata = MetaData(schema="public", naming_convention=NAMING_CONVENTION)


class TenantModel(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
