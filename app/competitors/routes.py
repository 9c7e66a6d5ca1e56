"""The competitors: every route module of the package, on its one blueprint.

create_app registers `bp` from here, so importing this module is what puts the
package's pages in the URL map.
"""
from app.competitors import attachments, views  # noqa: F401  (each registers its routes on bp)
from app.competitors.blueprint import bp

__all__ = ["bp"]
