"""The tenant administration: every route module of the package, on its one blueprint.

create_app registers `bp` from here, so importing this module is what puts the
package's pages in the URL map.
"""
from app.admin import jobs, roles, stages, units, users  # noqa: F401  (each registers its routes on bp)
from app.admin.blueprint import bp

__all__ = ["bp"]
