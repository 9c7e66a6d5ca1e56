"""Who may use the tenant's admin pages (audit log, export, branding): the Administer
permission on the admin module, through the one permission check."""
from app.access.permissions import can, requires


def is_tenant_admin(user) -> bool:
    return can(user, "admin", "admin")


admin_required = requires("admin", "admin")
