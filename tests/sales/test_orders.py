"""Order pages: reached from the menu, the customer and the accepted quote; filtered, paged, visible
to whom the quote was."""
import re
from datetime import date, datetime, timezone
from decimal import Decimal as D

from app.extensions import db
from app.forecast.rates import set_rate
from app.orders.models import Order
from app.quotes import services as quotes, workflow
from app.quotes.services import LineEntry
from tenants.context import tenant_scope
from tests.conftest import add_user, client_as, login
from tests.sales.conftest import customer, owner_id, product


def accepted_order(client_record, *entries, actor_id=None, currency="CNY", discount="0",
                   ordered_at: datetime | None = None) -> Order:
    """An order made the way users make one: quote, approval, the customer accepts."""
    actor_id = actor_id or owner_id()
    quote = quotes.create_quote(
        {"customer_id": client_record.id, "currency": currency, "discount_percent": D(discount),
         "valid_until": date(2099, 1, 31)}, list(entries), actor_id)
    workflow.submit(quote, actor_id)
    order = workflow.accept(quote, actor_id)
    if ordered_at is not None:
        order.ordered_at = ordered_at
    db.session.flush()
    return order


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _numbers(page: str) -> list[str]:
    table = page.split('data-testid="orders"', 1)[1].split("</table>", 1)[0]
    return re.findall(r">(SO\d{6})</a>", table)


def test_an_accepted_quote_leads_to_its_order_and_back(app, tenant, owner_client):
    with app.test_request_context(), tenant_scope(tenant):
        product("SOFA-1", "真皮沙发", price="1000")
        buyer = customer("连天红家具")
        order = accepted_order(buyer, LineEntry("SOFA-1", D("2")), discount="10")
        ids = (order.id, order.quote_id, buyer.id)
        db.session.commit()
    order_id, quote_id, customer_id = ids
    base = f"/t/{tenant.slug}"
    order_url = f"{base}/orders/{order_id}"
    quote_page = _html(owner_client.get(f"{base}/quotes/{quote_id}"))
    assert 'data-testid="order-link"' in quote_page and f'href="{order_url}"' in quote_page
    page = _html(owner_client.get(order_url))
    assert "Order SO000001" in page and "真皮沙发" in page and "SOFA-1" in page
    assert f'href="{base}/quotes/{quote_id}"' in page and "Q000001 v1" in page
    assert f'href="{base}/customers/{customer_id}"' in page and "连天红家具" in page
    # 2 × 1000 = 2000, less 10% = 1800 net, 13% tax = 234: the quote's figures, kept.
    assert "−CN¥200.00" in page
    assert re.search(r'data-testid="subtotal">CN¥1,800.00<', page)
    assert re.search(r'data-testid="total">CN¥2,034.00<', page)
    customer_page = _html(owner_client.get(f"{base}/customers/{customer_id}"))
    assert f'href="{order_url}"' in customer_page
    assert f'href="{base}/orders/?customer={customer_id}"' in customer_page
    menu = _html(owner_client.get(f"{base}/"))
    assert f'href="{base}/orders/"' in menu


def test_the_list_filters_by_customer_owner_dates_and_currency_newest_first(app, tenant,
                                                                            owner_client):
    rep_id = add_user(app, tenant, "sales_rep", name="Rep Wang")
    shanghai_half_past_midnight = datetime(2024, 4, 30, 16, 30, tzinfo=timezone.utc)
    with app.test_request_context(), tenant_scope(tenant):
        product("SOFA-1", price="1000")
        set_rate("USD", D("7.2"))
        first, second = customer("连天红家具"), customer("Acme Trading")
        accepted_order(first, LineEntry("SOFA-1", D("1")),
                       ordered_at=datetime(2024, 3, 1, 2, tzinfo=timezone.utc))   # SO000001
        accepted_order(second, LineEntry("SOFA-1", D("1"), D("150")), currency="USD",
                       ordered_at=shanghai_half_past_midnight)                    # SO000002
        accepted_order(first, LineEntry("SOFA-1", D("3")), actor_id=rep_id,
                       ordered_at=datetime(2024, 6, 1, 2, tzinfo=timezone.utc))   # SO000003
        first_id = first.id
        db.session.commit()
    base = f"/t/{tenant.slug}/orders/?"
    assert _numbers(_html(owner_client.get(base))) == ["SO000003", "SO000002", "SO000001"]
    by_customer = _html(owner_client.get(base + f"customer={first_id}"))
    assert _numbers(by_customer) == ["SO000003", "SO000001"]
    assert "Orders of 连天红家具" in by_customer
    assert _numbers(_html(owner_client.get(base + "customer_name=acme"))) == ["SO000002"]
    assert _numbers(_html(owner_client.get(base + f"owner={rep_id}"))) == ["SO000003"]
    assert _numbers(_html(owner_client.get(base + "currency=USD"))) == ["SO000002"]
    # Days are the workspace's (Asia/Shanghai): 16:30 UTC on 30 April is 1 May there.
    may = _html(owner_client.get(base + "ordered_from=2024-05-01&ordered_to=2024-05-31"))
    assert _numbers(may) == ["SO000002"]
    assert _numbers(_html(owner_client.get(base + "ordered_to=2024-04-30"))) == ["SO000001"]
    assert _numbers(_html(owner_client.get(base + "sort=total"))) == [
        "SO000002", "SO000001", "SO000003"]  # 169.50 USD, 1,130 CNY, 3,390 CNY: by amount
    bad = owner_client.get(base + "ordered_from=yesterday&owner=me")
    assert bad.status_code == 200 and len(_numbers(bad.get_data(as_text=True))) == 3
    # The order list has no search box; a ?q= typed into the address is ignored.
    assert _numbers(_html(owner_client.get(base + "q=acme"))) == ["SO000003", "SO000002",
                                                                  "SO000001"]


def test_the_list_is_paged_like_the_other_lists(app, tenant, owner_client, monkeypatch):
    monkeypatch.setattr("app.lists.page.PAGE_SIZE", 2)
    with app.test_request_context(), tenant_scope(tenant):
        product("SOFA-1", price="1000")
        buyer = customer()
        for day in (1, 2, 3):
            accepted_order(buyer, LineEntry("SOFA-1", D(day)),
                           ordered_at=datetime(2024, 5, day, 4, tzinfo=timezone.utc))
        db.session.commit()
    first_page = _html(owner_client.get(f"/t/{tenant.slug}/orders/"))
    assert _numbers(first_page) == ["SO000003", "SO000002"] and "3 found" in first_page
    next_link = re.search(r'data-testid="next-page" href="\?([^"]+)"', first_page).group(1)
    second_page = _html(owner_client.get(f"/t/{tenant.slug}/orders/?" + next_link.replace("&amp;", "&")))
    assert _numbers(second_page) == ["SO000001"] and 'data-testid="next-page"' not in second_page


def test_a_sales_rep_sees_only_the_orders_of_their_own_quotes(app, tenant):
    rep_email = f"rep@{tenant.slug}.example"
    rep_id = add_user(app, tenant, "sales_rep", rep_email)
    with app.test_request_context(), tenant_scope(tenant):
        product("SOFA-1", price="1000")
        buyer = customer()
        theirs = accepted_order(buyer, LineEntry("SOFA-1", D("1")), actor_id=rep_id)
        others = accepted_order(buyer, LineEntry("SOFA-1", D("2")))
        ids = (theirs.id, others.id, buyer.id)
        db.session.commit()
    theirs_id, others_id, customer_id = ids
    rep = app.test_client()
    assert login(rep, tenant, email=rep_email).status_code == 302
    base = f"/t/{tenant.slug}"
    assert _numbers(_html(rep.get(f"{base}/orders/"))) == ["SO000001"]
    assert rep.get(f"{base}/orders/{theirs_id}").status_code == 200
    assert rep.get(f"{base}/orders/{others_id}").status_code == 404
    assert rep.get(f"{base}/orders/?customer={customer_id}").status_code == 200


def test_a_role_without_sales_sees_no_orders_anywhere(app, tenant):
    with app.test_request_context(), tenant_scope(tenant):
        product("SOFA-1", price="1000")
        buyer = customer()
        accepted_order(buyer, LineEntry("SOFA-1", D("1")))
        customer_id = buyer.id
        db.session.commit()
    client = client_as(app, tenant, "call_center_agent")  # sees every customer, no sales
    base = f"/t/{tenant.slug}"
    assert client.get(f"{base}/orders/").status_code == 403
    assert f'href="{base}/orders/"' not in _html(client.get(f"{base}/"))
    customer_page = _html(client.get(f"{base}/customers/{customer_id}"))
    assert 'data-testid="orders"' not in customer_page and "/orders/" not in customer_page
