"""The product catalogue: every route module of the package, on its one blueprint.

create_app registers `bp` from here, so importing this module is what puts the
package's pages in the URL map.
"""
from app.products import (  # noqa: F401  (each registers its routes on bp)
    export, price_list_views, views)
from app.products.blueprint import bp

__all__ = ["bp"]
