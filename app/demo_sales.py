"""The demo workspace's sales data: products, a dealer price list, deals across the pipeline,
quotes (draft, sent after approval, accepted into an order), an approval rule, a competitor.

Everything goes through the services a user's clicks would run, so stage history, timeline
entries, order numbers and quoted prices exist as they would in real use. Dates are
relative to today: the demo can be created on any day and its forecast still shows figures.
Runs once, right after app.demo_data.add_demo_data, when the demo tenant is created.
"""
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.approvals import services as approvals
from app.approvals.models import ApprovalRule
from app.auth.models import User
from app.competitors.services import save_competitor, save_swot
from app.contacts.models import Contact
from app.customers.models import Customer
from app.documents.services import quote_file
from app.extensions import db
from app.forecast.rates import set_rate
from app.i18n import workspace_today
from app.job_scope import job_context
from app.opportunities.models import Opportunity
from app.opportunities.services import create_opportunity, move_stage
from app.products.models import Product
from app.products.services import save_price_list, save_product, set_item
from app.quotes import workflow
from app.quotes.services import LineEntry, create_quote
from app.sales.stages import live_stages

TAX_RATE = Decimal("13")
USD_RATE = Decimal("7.10")  # CNY per USD, so deals in USD count in the forecast
PRODUCTS = [
    # code, name, category, unit, CNY list price, USD list price, cost (CNY)
    ("SOFA-01", "真皮三人沙发", "沙发", "套", "12800", "1850", "7200"),
    ("SOFA-02", "布艺转角沙发", "沙发", "套", "8600", "1250", "4800"),
    ("CHAIR-01", "人体工学办公椅", "办公椅", "把", "1680", "240", "860"),
    ("DESK-01", "实木办公桌", "办公桌", "张", "4200", "600", "2300"),
    ("TABLE-01", "胡桃木餐桌", "餐桌", "张", "6800", "980", "3600"),
    ("BED-01", "酒店标准双人床", "床", "张", "3500", "520", "1900"),
]
DEALER_SHARE = Decimal("0.85")  # tier A dealers pay 85% of the CNY list price


def add_demo_sales(tenant) -> None:
    """Call inside the demo tenant's scope, after add_demo_data; flushes, never commits."""
    # Timeline titles and mail are stored as text: write them in the workspace's language;
    # approval and quote mail build their links on BASE_URL, as a job's do.
    with job_context(tenant):
        # recompute_tiers (add_demo_data) updated the tiers behind the session's back:
        # reload, so quotes for the tier A customer get the dealer price list.
        db.session.expire_all()
        _Demo(tenant).build()


class _Demo:
    def __init__(self, tenant):
        self.tenant = tenant
        self.today = workspace_today()
        self.manager = self._user("manager@demo.example")
        self.rep = self._user("rep@demo.example")
        customers = db.session.scalars(sa.select(Customer).order_by(Customer.id)).all()
        # add_demo_data's order: 连天红 (tier A), 美居, 森活, 譽豐, Acme, 金陵
        self.lth, self.meiju, self.senhuo, self.yufeng, self.acme, self.jinling = customers
        stages = live_stages()
        self.open_stages = [s for s in stages if s.outcome == "open"]
        self.won = next(s for s in stages if s.outcome == "won")
        self.lost = next(s for s in stages if s.outcome == "lost")

    @staticmethod
    def _user(email: str) -> User:
        return db.session.scalars(sa.select(User).where(User.email == email)).one()

    def build(self) -> None:
        set_rate("USD", USD_RATE)
        products = self._products()
        db.session.add(ApprovalRule(document_type="quote", metric="discount_percent",
                                    threshold=Decimal("15"), approver="unit_manager"))
        deals = self._deals(products)
        self._quotes(deals)
        self._competitor(deals)

    def _products(self) -> dict[str, Product]:
        products = {}
        for code, name, category, unit, cny, usd, cost in PRODUCTS:
            products[code] = save_product(None, {
                "code": code, "name": name, "category": category, "unit": unit,
                "list_prices": {"CNY": Decimal(cny), "USD": Decimal(usd)},
                "cost": Decimal(cost), "tax_rate": TAX_RATE})
        dealer = save_price_list(None, "经销商价（A 级客户）", "CNY", "A")
        for code, _name, _category, _unit, cny, _usd, _cost in PRODUCTS:
            set_item(dealer, code, Decimal(cny) * DEALER_SHARE)
        return products

    def _deal(self, name, customer, owner, amount, currency, days, stage_index, product,
              next_step=None) -> Opportunity:
        """A deal created in the first stage and moved stage by stage up to stage_index, so
        its stage history shows each step."""
        contact_ids = db.session.scalars(sa.select(Contact.id).where(
            Contact.customer_id == customer.id)).all()
        deal = create_opportunity({
            "name": name, "customer_id": customer.id, "owner_id": owner.id, "unit_id": None,
            "amount": Decimal(amount), "currency": currency,
            "expected_close": self.today + timedelta(days=days), "probability": None,
            "source": "展会", "next_step": next_step, "product_id": product.id,
            "won_lost_reason": None, "stage_id": self.open_stages[0].id,
            "contact_ids": contact_ids}, owner.id)
        for stage in self.open_stages[1:stage_index + 1]:
            move_stage(deal, stage.id, owner.id)
        return deal

    def _deals(self, products) -> dict[str, Opportunity]:
        qualify, needs, proposal, negotiation = 0, 1, 2, 3
        deals = {
            # won when its quote is accepted (below)
            "chairs": self._deal("连天红总部办公椅批量采购", self.lth, self.manager, "88000", "CNY",
                                 5, proposal, products["CHAIR-01"]),
            "sofas": self._deal("南京路旗舰店沙发换新", self.lth, self.manager, "256000", "CNY",
                                20, negotiation, products["SOFA-01"], "本周内确认面料和交货批次"),
            "showroom": self._deal("美居样板间软装项目", self.meiju, self.rep, "128000", "CNY",
                                   35, proposal, products["SOFA-02"], "跟进报价，约客户看样"),
            "dining": self._deal("台北门店餐桌系列", self.senhuo, self.manager, "42000", "USD",
                                 50, needs, products["TABLE-01"], "寄送木材样板"),
            "hotel": self._deal("Acme Singapore guest-room beds", self.acme, self.manager,
                                "180000", "USD", 80, needs, products["BED-01"],
                                "Site visit to the hotel"),
            "reexport": self._deal("譽豐转口订单（东南亚）", self.yufeng, self.rep, "35000", "USD",
                                   110, qualify, products["SOFA-02"], "了解目标市场和认证要求"),
            "jinling": self._deal("金陵酒店客房家具更新", self.jinling, self.rep, "320000", "CNY",
                                  150, qualify, products["BED-01"], "约采购部见面"),
            "office": self._deal("美居办公区家具", self.meiju, self.rep, "58000", "CNY", 10,
                                 needs, products["DESK-01"]),
        }
        move_stage(deals["office"], self.lost.id, self.rep.id,
                   "价格比本地工厂高约 15%，客户选择了对方")
        return deals

    def _quote(self, customer, owner, deal, lines, discount="0", terms=None):
        contact = db.session.scalars(sa.select(Contact).where(
            Contact.customer_id == customer.id)).first()
        return create_quote({
            "customer_id": customer.id, "contact_id": contact.id if contact else None,
            "opportunity_id": deal.id, "currency": "CNY",
            "valid_until": self.today + timedelta(days=30),
            "terms": terms or "含税价；预付 30%，发货前付清余款；交货期 30 天。",
            "discount_percent": Decimal(discount)},
            [LineEntry(code, Decimal(quantity)) for code, quantity in lines], owner.id)

    def _send(self, quote, customer, owner) -> None:
        workflow.send(quote, customer.email, "您好，附件是我们的报价，请查收。", owner.id,
                      pdf=quote_file(quote, self.tenant))

    def _quotes(self, deals) -> None:
        # Accepted: sent to the tier A customer at dealer prices, accepted → an order, deal won.
        chairs = self._quote(self.lth, self.manager, deals["chairs"],
                             [("CHAIR-01", "40"), ("DESK-01", "10")], discount="5")
        workflow.submit(chairs, self.manager.id)  # 5% is under the rule: approved at once
        self._send(chairs, self.lth, self.manager)
        workflow.accept(chairs, self.manager.id)
        # Sent: an 18% discount trips the rule, so the rep's unit manager approves it first.
        showroom = self._quote(self.meiju, self.rep, deals["showroom"],
                               [("SOFA-02", "6"), ("SOFA-01", "2"), ("TABLE-01", "3")],
                               discount="18")
        workflow.submit(showroom, self.rep.id)
        for request in approvals.requests_for("quote", showroom.id):
            approvals.decide(request, self.manager, True, "同意：样板间项目，后续有批量订单")
        self._send(showroom, self.meiju, self.rep)
        # Draft: the same customer's chairs were quoted before, so the price history shows.
        self._quote(self.lth, self.manager, deals["sofas"], [("SOFA-01", "12"), ("CHAIR-01", "20")])

    def _competitor(self, deals) -> None:
        senya = save_competitor(None, {
            "name": "森雅家具", "website": "https://senya.example",
            "products": "布艺沙发、办公家具、酒店家具", "strengths": "价格低，交货快",
            "weaknesses": "面料选择少，售后网点少", "price_position": "lower",
            "notes": "华东地区的本地工厂，常以低价参与门店和酒店项目。"})
        save_swot(deals["sofas"].id, senya.id, {
            "strengths": "真皮工艺和十年质保；客户门店已在用我们的产品",
            "weaknesses": "交货周期比对方长约两周",
            "opportunities": "客户明年计划再开两家门店",
            "threats": "对方报价低约 12%",
            "strategy": "强调质保和售后，提供样品试用，分两批交货缩短首批周期"})
        save_swot(deals["office"].id, senya.id, {
            "threats": "对方报价低约 15%", "strategy": "以后此类项目提早提供经销商价"})
