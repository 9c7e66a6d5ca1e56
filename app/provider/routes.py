"""The provider console: every route module of the package, on its one blueprint.

create_app registers `bp` from here, so importing this module is what puts the
package's pages in the URL map.
"""
from app.provider import (  # noqa: F401  (each registers its routes on bp)
    billing_views, dashboard_views, jobs_views, plan_views, rate_views, support_views, tenant_views, views)
from app.provider.blueprint import bp

__all__ = ["bp"]
