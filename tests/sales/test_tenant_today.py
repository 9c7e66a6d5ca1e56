""""Today" is the tenant's calendar day: a deal won at 07:00 in Shanghai is dated that day.

07:00 in Shanghai is 23:00 UTC the day before, the date a UTC server's clock gives.
time-machine moves the process's time zone to UTC as well, as on a server.
"""
from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import time_machine

from app.opportunities import services
from tests.conftest import login
from tests.sales.conftest import customer, owner_id, stage

SEVEN_IN_SHANGHAI = datetime(2026, 3, 9, 23, 0, tzinfo=ZoneInfo("UTC"))


def test_a_deal_won_early_morning_in_shanghai_is_dated_that_day(scope):
    assert scope.time_zone == "Asia/Shanghai"
    with time_machine.travel(SEVEN_IN_SHANGHAI, tick=False):
        assert date.today() == date(2026, 3, 9)  # the server's day
        opportunity = services.create_opportunity(
            {"name": "百套沙发", "customer_id": customer().id, "amount": D("1000"),
             "currency": "CNY", "stage_id": stage(1).id, "probability": None,
             "expected_close": date(2026, 4, 1)}, owner_id())
        services.move_stage(opportunity, stage("won").id, owner_id())
    assert opportunity.closed_on == date(2026, 3, 10)


def test_a_list_export_is_named_after_the_tenants_day(app, tenant):
    client = app.test_client()
    with time_machine.travel(SEVEN_IN_SHANGHAI, tick=False):
        login(client, tenant)
        response = client.get(f"/t/{tenant.slug}/customers/export?format=csv")
    assert response.status_code == 200
    assert "customers-2026-03-10.csv" in response.headers["Content-Disposition"]
