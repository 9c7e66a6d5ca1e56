"""Starting a tenant's "export all my data" job from the provider console.

The same job the tenant's admins start (app/export): the zip is built in the
background and the download link is e-mailed to the workspace's owner, the
account the export is requested for; provider staff never download it.
"""
import sqlalchemy as sa
from flask_babel import gettext as _

from app.auth.models import User
from app.export import services as exports
from app.extensions import db
from tenants.context import tenant_scope


class ExportRefused(ValueError):
    """The export cannot start; the message is for the staff member."""


def _recipient() -> User | None:
    """The oldest active owner of the current tenant (else its oldest active admin)."""
    users = db.session.scalars(sa.select(User).where(User.active).order_by(User.id)).all()
    owners = [u for u in users if u.role.is_owner] or [u for u in users if u.role.allows("admin", "admin")]
    return owners[0] if owners else None


def start_export(tenant) -> tuple[int, str]:
    """Queue the export for the tenant's owner; returns (export number, e-mail it goes to)."""
    with tenant_scope(tenant):
        if exports.pending_job() is not None:
            raise ExportRefused(_("An export of this workspace is already being built."))
        owner = _recipient()
        if owner is None:
            raise ExportRefused(_("This workspace has no active owner to send the export to."))
        job = exports.request_export(owner)
        return job.id, owner.email
