"""The tenant administration pages under /t/<slug>/admin/: users, units, roles, log-ins,
pipeline stages (the blueprint is app/admin/blueprint.py, its pages app/admin/routes.py)."""
