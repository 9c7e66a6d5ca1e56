"""Honest plans: /pricing sells only features that are built and gated, and a plan without a
feature is refused on every route of its module, with a page that says so."""
import re
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.approvals.models import ApprovalRule
from app.features import BUILT
from app.extensions import db
from app.quotes import services as quotes
from app.quotes.models import Quote
from app.quotes.services import LineEntry
from billing.features import built_features, feature_of, is_built
from tenants.context import tenant_scope
from tests.access.test_matrix import request_for, workspace_rules
from tests.billing.conftest import on_small_plan, subscribe
from tests.conftest import client_as
from tests.sales.conftest import customer, owner_id, product

NOT_BUILT = ("Service requests", "Knowledge base", "Mail campaigns", "Call center",
             "Customer forum", "Reports", "REST API and webhooks", "ERP connector")
REFUSED = "does not include"


def _gated_rules(app, key):
    return [rule for rule in workspace_rules(app)
            if feature_of(rule.endpoint, app.view_functions[rule.endpoint]) == key]


def test_pricing_lists_only_features_that_are_built_and_gated(app, client):
    page = client.get("/pricing").get_data(as_text=True)
    listed = set(re.findall(r'data-feature="([a-z_]+)"', page))
    assert listed == {"customers", "contacts", "pipeline", "approvals", "tasks"}
    for key in listed:
        assert is_built(key) and _gated_rules(app, key), f"{key} is sold but not gated"
    for name in NOT_BUILT:
        assert name not in page, name
    # Approvals are sold with Enterprise only, as the plans say
    enterprise = page[page.index('data-testid="price-enterprise"'):]
    professional = page[page.index('data-testid="price-professional"'):page.index('data-testid="price-enterprise"')]
    assert 'data-feature="approvals"' in enterprise and 'data-feature="approvals"' not in professional


@pytest.mark.parametrize("key", [key for key, _label, _blueprints in BUILT])
def test_a_plan_without_a_feature_is_refused_on_every_route_of_its_module(app, new_tenant, key):
    tenant = new_tenant()
    on_small_plan(app, tenant, features=[f.key for f in built_features() if f.key != key])
    owner = client_as(app, tenant, "owner")
    rules = _gated_rules(app, key)
    assert rules
    for rule in rules:
        method, path = request_for(rule, tenant.slug)
        response = owner.open(path, method=method)
        assert response.status_code == 403, f"{method} {path}: {response.status_code}"
        page = response.get_data(as_text=True)
        assert REFUSED in page and f'href="/t/{tenant.slug}/billing/"' in page, path


def test_a_plan_with_the_feature_opens_its_module(app, new_tenant):
    tenant = new_tenant()
    subscribe(app, tenant, "active", plan_key="enterprise")
    owner = client_as(app, tenant, "owner")
    assert owner.get(f"/t/{tenant.slug}/approvals/").status_code == 200
    assert 'href="/t/{}/approvals/"'.format(tenant.slug) in owner.get(f"/t/{tenant.slug}/").get_data(as_text=True)


def _quote_with_big_discount(app, tenant) -> int:
    with app.test_request_context(), tenant_scope(tenant):
        db.session.add(ApprovalRule(document_type="quote", metric="discount_percent",
                                    threshold=Decimal("5"), approver="role",
                                    role_id=_role_id("sales_manager")))
        product("SOFA-1", name="真皮沙发", price="1000.00", tax="13")
        quote = quotes.create_quote({"customer_id": customer("华夏贸易公司").id, "currency": "CNY",
                                     "discount_percent": Decimal("20"), "valid_until": date(2099, 1, 31),
                                     "terms": ""}, [LineEntry("SOFA-1", Decimal("2"))], owner_id())
        db.session.commit()
        return quote.id


def _role_id(key):
    from app.access.models import Role

    return db.session.scalars(sa.select(Role.id).where(Role.key == key)).one()


def test_approvals_sold_with_enterprise_only_are_closed_on_professional(app, new_tenant):
    tenant = new_tenant()
    subscribe(app, tenant, "active", plan_key="professional")
    owner = client_as(app, tenant, "owner")
    refused = owner.get(f"/t/{tenant.slug}/approvals/")
    assert refused.status_code == 403
    assert "Your plan does not include Approval workflows." in refused.get_data(as_text=True)
    home = owner.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert f'href="/t/{tenant.slug}/approvals/"' not in home  # no menu entry
    # A rule left from an earlier plan asks nobody: the quote is approved at once.
    quote_id = _quote_with_big_discount(app, tenant)
    page = owner.get(f"/t/{tenant.slug}/quotes/{quote_id}").get_data(as_text=True)
    assert "Submit for approval" not in page and 'data-testid="approvals"' not in page
    assert owner.post(f"/t/{tenant.slug}/quotes/{quote_id}/submit").status_code in (302, 303)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(Quote, quote_id).status == "approved"


def test_a_sales_rep_refused_a_module_is_told_to_ask_the_administrator(app, new_tenant):
    tenant = new_tenant()
    subscribe(app, tenant, "active", plan_key="professional")
    rep = client_as(app, tenant, "sales_manager")
    page = rep.get(f"/t/{tenant.slug}/approvals/").get_data(as_text=True)
    assert "Your administrator can change the plan." in page and "/billing/" not in page


def test_the_provider_plan_editor_marks_features_not_built(app):
    from tests.console import console_client

    page = console_client(app, "owner").get("/provider/plans/enterprise").get_data(as_text=True)
    marked = re.findall(r'id="f-([a-z_]+)"[^<]*><label[^>]*>[^<]*<span class="text-muted small" data-testid="not-built">',
                        page)
    assert "approvals" not in marked and "pipeline" not in marked
    assert {"tickets", "knowledge_base", "call_center", "forum", "api"} <= set(marked)


def test_search_offers_no_results_from_modules_the_plan_lacks(app, new_tenant):
    tenant = new_tenant()
    on_small_plan(app, tenant, features=["customers", "contacts"])  # no sales pipeline
    with app.test_request_context(), tenant_scope(tenant):
        product("ZEBRA-1", name="Zebra sofa", price="1000.00")
        customer("Zebra Trading")
        db.session.commit()
    page = client_as(app, tenant, "owner").get(f"/t/{tenant.slug}/search/?q=zebra").get_data(as_text=True)
    assert "Zebra Trading" in page and f"/t/{tenant.slug}/customers/" in page
    assert "ZEBRA-1" not in page and f"/t/{tenant.slug}/products/" not in page


def test_a_page_first_drawn_for_a_plan_without_a_feature_still_shows_it_to_a_plan_with_it(app, new_tenant):
    """Templates are compiled once per process: the plan test must be asked at every rendering."""
    professional, enterprise = new_tenant(), new_tenant()
    subscribe(app, professional, "active", plan_key="professional")
    subscribe(app, enterprise, "active", plan_key="enterprise")
    pages = {}
    for tenant in (professional, enterprise):
        quote_id = _quote_with_big_discount(app, tenant)
        pages[tenant.slug] = client_as(app, tenant, "owner").get(
            f"/t/{tenant.slug}/quotes/{quote_id}").get_data(as_text=True)
    assert 'data-testid="approvals"' not in pages[professional.slug]
    assert 'data-testid="approvals"' in pages[enterprise.slug]
