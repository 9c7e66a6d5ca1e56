"""Plan features: which modules a plan includes, and the one gate that refuses the others.

Billing knows no CRM module: each built module registers its feature at start-up
(app/features.py) and gates its routes: whole blueprints with gate_blueprints()
(checked by gate_request, a before_request hook on the workspace) or one view
with @requires_feature(key). The pricing page lists only registered
(built and gated) features, so a plan's `features` may name modules that do not
exist yet (tickets, forum…) without anyone being sold them.

A tenant has the features of the plan it chose, also during its trial (the trial
tries the plan; only its limits are the Trial plan's). A tenant without a
subscription (made on the command line without one) has every feature.
"""
from dataclasses import dataclass
from functools import wraps

from flask import g, has_app_context, request
from flask_babel import gettext as _
from flask_login import current_user

from billing import subscriptions
from tenants.context import current_tenant


@dataclass(frozen=True)
class Feature:
    key: str
    label: object  # a lazy string: shown in the reader's language


_built: dict[str, Feature] = {}
_gated_blueprints: dict[str, str] = {}  # blueprint name → feature key


class FeatureUnavailable(Exception):
    """The tenant's plan does not include this feature; str() is a message for the user."""

    def __init__(self, key: str):
        self.key = key
        super().__init__(key)

    def __str__(self) -> str:
        return _("Your plan does not include %(feature)s. Upgrade your plan to use it.",
                 feature=feature_label(self.key))


def register_feature(key: str, label) -> Feature:
    """Declare a built feature (registering the same key again replaces it)."""
    _built[key] = Feature(key, label)
    return _built[key]


def built_features() -> list[Feature]:
    return list(_built.values())


def is_built(key: str) -> bool:
    return key in _built


def feature_label(key: str):
    return _built[key].label if key in _built else key


def plan_features(plan) -> list[Feature]:
    """The built features a plan includes, in registration order (what the pricing page lists)."""
    keys = set(plan.features or ())
    return [feature for feature in _built.values() if feature.key in keys]


def has_feature(key: str) -> bool:
    """Whether the current tenant's plan includes the feature (no tenant or no plan: yes)."""
    tenant = current_tenant()
    if tenant is None:
        return True
    return key in _features_of(tenant.id)


def _features_of(tenant_id: int) -> frozenset | set:
    """The plan's feature keys, read once per request (menus ask for every entry)."""
    cache = g.setdefault("plan_features", {}) if has_app_context() else {}
    if tenant_id not in cache:
        subscription = subscriptions.for_tenant(tenant_id)
        cache[tenant_id] = _ALL if subscription is None else frozenset(subscription.plan.features or ())
    return cache[tenant_id]


class _Everything(frozenset):
    """A tenant without a subscription has every feature."""

    def __contains__(self, _key) -> bool:
        return True


_ALL = _Everything()


def check_feature(key: str) -> None:
    if not has_feature(key):
        raise FeatureUnavailable(key)


def requires_feature(key: str):
    """View decorator: FeatureUnavailable (a 403 page with the upgrade link) unless the plan has key.

    Put it under @requires(...), so a visitor who is not logged in is sent to log in first.
    """
    def decorate(view):
        @wraps(view)
        def gated(*args, **kwargs):
            check_feature(key)
            return view(*args, **kwargs)

        gated.required_feature = key
        return gated

    return decorate


def gate_blueprints(key: str, *names: str) -> None:
    """Every route of these blueprints ("workspace.quotes") requires key."""
    for name in names:
        _gated_blueprints[name] = key


def gate_request() -> None:
    """before_request on the workspace: refuse a gated blueprint's routes to plans without it.
    Visitors who are not logged in pass on to the views' @requires, which sends them to log in."""
    key = _gated_blueprints.get(request.blueprint or "")
    if key is not None and current_user.is_authenticated:
        check_feature(key)


def feature_of(endpoint: str, view=None) -> str | None:
    """The feature gating an endpoint ("workspace.quotes.show"), from its blueprint or its view."""
    return _gated_blueprints.get(endpoint.rpartition(".")[0]) or getattr(view, "required_feature", None)


def endpoint_in_plan(endpoint: str, view=None) -> bool:
    """For menus: whether the current plan lets the user open this endpoint."""
    key = feature_of(endpoint, view)
    return key is None or has_feature(key)
