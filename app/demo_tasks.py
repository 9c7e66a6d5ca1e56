"""The demo workspace's tasks: a day's work for each demo user, one overdue, one repeating,
and a reminder a few minutes after `make run` so the demo shows a reminder firing."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.auth.models import User
from app.customers.models import Customer
from app.extensions import db
from app.i18n import workspace_today
from app.tasks.recurrence import Rule
from app.tasks.services import TaskInput, create_task
from tenants.context import current_tenant

REMINDER_IN = timedelta(minutes=3)


def add_demo_tasks() -> None:
    """Call inside the demo tenant's scope, after the customers exist; flushes, never commits."""
    zone = current_tenant().time_zone or "UTC"
    today = workspace_today()
    users = {u.email.split("@")[0]: u.id for u in db.session.scalars(sa.select(User))}
    customers = db.session.scalars(sa.select(Customer).order_by(Customer.id)).all()
    soon = (datetime.now(ZoneInfo(zone)) + REMINDER_IN).replace(tzinfo=None, second=0,
                                                                microsecond=0)
    day = timedelta(days=1)
    tasks = [
        # who, title, due date, due time, priority, customer, extra
        ("rep", "给连天红回电话确认交期", today, time(16, 0), "high", customers[0],
         {"remind_at": soon + timedelta(minutes=1)}),
        ("rep", "发送新品目录给美居", today - 2 * day, None, "normal", customers[1], {}),
        ("rep", "每周客户回访", today, None, "normal", None, {"rule": Rule("weekly")}),
        ("manager", "审核本周报价", today + day, time(10, 0), "normal", None, {}),
        ("manager", "与陈伟复盘森活的商机", today - day, None, "high", customers[2], {}),
        ("agent", "回访上周投诉的客户", today, None, "normal", customers[3], {}),
        ("admin", "续签物流合同", today + 7 * day, None, "low", None, {}),
    ]
    for who, title, due, clock, priority, customer, extra in tasks:
        create_task(TaskInput(title, users[who], zone, due_date=due, due_time=clock,
                              priority=priority,
                              related=("customer", customer) if customer else None, **extra),
                    users["admin"])
