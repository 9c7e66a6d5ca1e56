"""The customers: every route module of the package, on its one blueprint.

create_app registers `bp` from here, so importing this module is what puts the
package's pages in the URL map.
"""
from app.customers import (  # noqa: F401  (each registers its routes on bp)
    addresses, list_actions, views)
from app.customers.blueprint import bp

__all__ = ["bp"]
