"""Quotes: numbers, default prices, totals stored, versions, price history, send, accept, bad input."""
from datetime import date, datetime, timezone
from decimal import Decimal as D

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.orders.models import Order, OrderLine
from app.products import services as products
from app.quotes import services, workflow
from app.quotes.history import price_history
from app.quotes.models import Quote, QuoteLine
from app.quotes.services import LineEntry
from app.timeline.models import TimelineEntry
from tests.mailbox import latest_mail
from tests.sales.conftest import customer, owner_id, product


def quote_for(client, *entries, discount="0", currency="CNY"):
    values = {"customer_id": client.id, "currency": currency, "discount_percent": D(discount),
              "valid_until": date(2099, 1, 31), "terms": "款到发货"}
    return services.create_quote(values, list(entries), owner_id())


def test_numbers_are_gap_free_and_prices_come_from_the_tier_list(scope):
    product("SOFA-1", price="1000.00")
    dealer = products.save_price_list(None, "Dealer", "CNY", "A")
    products.set_item(dealer, "SOFA-1", D("800"))
    first = quote_for(customer("A", tier="A"), LineEntry("sofa-1", D("2")))
    second = quote_for(customer("B"), LineEntry("SOFA-1", D("1"), D("950"), D("10")))
    assert (first.number, second.number) == ("Q000001", "Q000002")
    assert first.lines[0].unit_price == D("800.00") and first.total == D("1808.00")
    assert second.lines[0].net_amount == D("855.00") and second.tax_amount == D("111.15")
    assert second.total == D("966.15")
    kinds = db.session.scalars(sa.select(TimelineEntry.kind).where(
        TimelineEntry.customer_id == first.customer_id)).all()
    assert "quote" in kinds


@pytest.mark.parametrize("entry, field, words", [
    (LineEntry("SOFA-1", D("-2")), "quantity", "more than zero"),
    (LineEntry("SOFA-1", D("1"), D("10"), D("120")), "discount_percent", "between 0 and 100"),
    (LineEntry("NOPE", D("1")), "code", "No product has the code NOPE"),
])
def test_bad_lines_are_refused_with_the_line_named(scope, entry, field, words):
    product("SOFA-1")
    with pytest.raises(services.QuoteError) as caught:
        quote_for(customer(), LineEntry("SOFA-1", D("1")), entry)
    assert (caught.value.field, caught.value.line) == (field, 1)
    assert words in str(caught.value.message)


def test_a_product_without_a_price_in_the_quote_currency_needs_one_typed(scope):
    from app.forecast.rates import set_rate

    product("SOFA-1", price="1000")
    with pytest.raises(services.QuoteError) as caught:
        quote_for(customer(), LineEntry("SOFA-1", D("1")), currency="USD")
    assert caught.value.field == "currency"  # no USD rate yet
    set_rate("USD", D("7.2"))
    with pytest.raises(services.QuoteError) as caught:
        quote_for(customer(), LineEntry("SOFA-1", D("1")), currency="USD")
    assert "no price in USD" in str(caught.value.message)
    assert quote_for(customer("B"), LineEntry("SOFA-1", D("1"), D("140")), currency="USD").total


def test_editing_an_approved_quote_creates_a_new_version_and_keeps_the_old(scope):
    product("SOFA-1", price="1000")
    quote = quote_for(customer(), LineEntry("SOFA-1", D("1")))
    workflow.submit(quote, owner_id())           # no rules: approved at once
    assert quote.status == "approved"
    values = {"customer_id": quote.customer_id, "currency": "CNY", "discount_percent": D("5")}
    revised = services.edit_quote(quote, values, [LineEntry("SOFA-1", D("3"))], owner_id())
    assert (revised.number, revised.version, revised.status) == (quote.number, 2, "draft")
    assert (quote.status, quote.is_current, quote.total) == ("approved", False, D("1130.00"))
    assert revised.total == D("3220.50")           # 3000 − 5% = 2850, tax 13% = 370.50
    with pytest.raises(services.QuoteError):
        services.edit_quote(quote, values, [], owner_id())  # old versions do not change
    same = services.edit_quote(revised, values, [LineEntry("SOFA-1", D("2"))], owner_id())
    assert same.id == revised.id                   # a draft is edited in place
    assert [v.version for v in services.versions_of(quote)] == [2, 1]


def test_archiving_a_product_leaves_open_quotes_unchanged(scope):
    sofa = product("SOFA-1", price="1000")
    quote = quote_for(customer(), LineEntry("SOFA-1", D("1")))
    products.archive(sofa)
    values = {"customer_id": quote.customer_id, "currency": "CNY", "discount_percent": D("0")}
    kept = services.edit_quote(quote, values, [LineEntry("SOFA-1", D("2"))], owner_id())
    assert kept.lines[0].code == "SOFA-1" and kept.lines[0].name == "真皮沙发"
    with pytest.raises(services.QuoteError) as caught:
        quote_for(customer("B"), LineEntry("SOFA-1", D("1")))
    assert "archived" in str(caught.value.message)


def test_price_history_counts_sent_prices_last_lowest_average(app, scope):
    sofa = product("SOFA-1", price="1000")
    buyer, other = customer("A"), customer("B")
    prices = [(buyer, "900"), (buyer, "950"), (other, "800"), (buyer, "990")]
    for day, (client, price) in enumerate(prices, start=1):
        quote = quote_for(client, LineEntry("SOFA-1", D("1"), D(price)))
        workflow.submit(quote, owner_id())
        workflow.send(quote, "buyer@x.example", "", owner_id())
        db.session.execute(sa.update(QuoteLine).where(QuoteLine.quote_id == quote.id).values(
            quoted_at=datetime(2026, 10, day, tzinfo=timezone.utc)))
    quote_for(buyer, LineEntry("SOFA-1", D("1"), D("1"))).lines  # a draft: not quoted yet
    history = price_history(sofa.id, buyer.id)["CNY"]
    mine, everyone = history["customer"], history["overall"]
    assert (mine.count, mine.last, mine.last_at.day) == (3, D("990.00"), 4)
    assert (mine.lowest, mine.lowest_at.day, mine.average) == (D("900.00"), 1, D("946.67"))
    assert (everyone.count, everyone.lowest, everyone.lowest_at.day) == (4, D("800.00"), 3)
    assert everyone.average == D("910.00")


def test_sending_mails_the_quote_and_logs_it_then_acceptance_makes_an_order(app, scope):
    product("SOFA-1", price="1000")
    quote = quote_for(customer(), LineEntry("SOFA-1", D("2")))
    with pytest.raises(services.QuoteError):
        workflow.send(quote, "buyer@x.example", "", owner_id())   # a draft cannot be sent
    workflow.submit(quote, owner_id())
    workflow.send(quote, "buyer@x.example", "请查收", owner_id())
    assert latest_mail(app, "buyer@x.example") is None  # not before the sending is committed
    db.session.commit()
    mail = latest_mail(app, "buyer@x.example")
    assert "Q000001 v1" in mail and "请查收" in mail and "真皮沙发" in mail and "款到发货" in mail
    logged = db.session.scalars(sa.select(TimelineEntry).where(TimelineEntry.kind == "email")).one()
    assert "buyer@x.example" in logged.title and logged.ref_id == quote.id
    order = workflow.accept(quote, owner_id())
    assert quote.status == "accepted" and order.number == "SO000001"
    assert order.total == quote.total == D("2260.00")
    lines = db.session.scalars(sa.select(OrderLine).where(OrderLine.order_id == order.id)).all()
    assert [(l.code, l.quantity) for l in lines] == [("SOFA-1", D("2.000"))]
    with pytest.raises(services.QuoteError):
        services.edit_quote(quote, {"customer_id": quote.customer_id, "currency": "CNY"}, [],
                            owner_id())


def test_quotes_past_their_validity_expire(scope):
    product("SOFA-1")
    quote = quote_for(customer(), LineEntry("SOFA-1", D("1")))
    workflow.submit(quote, owner_id())
    quote.valid_until = date(2020, 1, 1)
    db.session.flush()
    assert services.expire_due(date.today()) == 1
    db.session.refresh(quote)
    assert quote.status == "expired"


def test_the_editor_shows_bad_lines_again_with_422_and_saves_nothing(app, tenant, owner_client):
    from tenants.context import tenant_scope

    with app.test_request_context(), tenant_scope(tenant):
        product("SOFA-1")
        code = customer().code
        db.session.commit()
    form = {"customer_code": code, "currency": "CNY", "discount_percent": "0", "contact": "0",
            "line_code": ["SOFA-1", "SOFA-1"], "line_quantity": ["1", "-3"],
            "line_price": ["", ""], "line_discount": ["", "150"]}
    response = owner_client.post(f"/t/{tenant.slug}/quotes/new", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="-3"' in page and "more than zero" in page
    form.update(line_quantity=["1", "3"], discount_percent="101")
    assert owner_client.post(f"/t/{tenant.slug}/quotes/new", data=form).status_code == 422
    form.update(discount_percent="0", line_discount=["", "10"])
    saved = owner_client.post(f"/t/{tenant.slug}/quotes/new", data=form)
    assert saved.status_code == 302
    page = owner_client.get(saved.location).get_data(as_text=True)
    assert "Q000001 v1" in page  # the rejected attempts used no number
    printable = owner_client.get(saved.location + "/print").get_data(as_text=True)
    assert "Quotation" in printable and "SOFA-1" in printable
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Quote)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Order)) == 0
