"""What can be imported: each target names its form, its columns and how rows are matched.

Another module (products, orders) adds a target by appending to TARGETS.
"""
from dataclasses import dataclass, field
from typing import Callable

import sqlalchemy as sa

from app.contacts.forms import ContactForm
from app.contacts.models import Contact
from app.customers.forms import CustomerForm
from app.customers.models import Customer
from app.customers.search import contact_document, customer_document
from app.extensions import db
from app.products.forms import ProductImportForm
from app.products.models import Product
from app.products.search import product_document
from app.products.services import clean_prices
from app.search.builder import vector_literal
from app.search.tokenizer import fold


@dataclass(frozen=True)
class ImportTarget:
    key: str
    model: type
    form: type
    # field name -> header names that map to it automatically (folded: lower case, simplified)
    columns: dict[str, tuple[str, ...]]
    # model attributes a row is matched on, in order of trust
    match_on: tuple[str, ...]
    document: Callable
    code_counter: str | None = None
    code_prefix: str = ""
    extra: dict = field(default_factory=dict)
    # rows with this column set are not matched (None: every row is, e.g. archived products)
    live_column: str | None = "deleted_at"
    # (values, actor_id) -> the row's column values; None: the customer/contact rules
    prepare: Callable | None = None

    def live_filter(self):
        if self.live_column is None:
            return sa.true()
        return getattr(self.model, self.live_column).is_(None)

    def all_columns(self) -> dict[str, tuple[str, ...]]:
        """The standard columns plus the tenant's custom fields (matched by label or key)."""
        from app.customfields.forms import PREFIX
        from app.customfields.models import ENTITIES
        from app.customfields.services import fields_of

        if self.key not in ENTITIES:
            return dict(self.columns)
        custom = {PREFIX + d.key: (fold(d.label), d.key) for d in fields_of(self.key)}
        return {**self.columns, **custom}

    def full_form(self):
        """The target's form, with the tenant's custom fields where the record type has them."""
        from app.customfields.forms import with_custom_fields
        from app.customfields.models import ENTITIES

        return with_custom_fields(self.form, self.key) if self.key in ENTITIES else self.form

    def suggest(self, header: str, columns: dict) -> str | None:
        folded = fold(header.strip())
        for name, synonyms in columns.items():
            if folded == name or folded in synonyms:
                return name
        return None

    def search_vector(self, values: dict) -> str:
        return vector_literal(self.document(_Row(values)))


class _Row:
    """Attribute access over a dict, so a search document function reads it like a model."""

    def __init__(self, values):
        self.__dict__.update(values)

    def __getattr__(self, name):
        return None


CUSTOMERS = ImportTarget(
    key="customers", model=Customer, form=CustomerForm,
    columns={
        "code": ("customer code", "code", "客户编号", "客户代码", "编号"),
        "name": ("customer name", "company", "company name", "客户名称", "名称", "公司名称", "客户"),
        "short_name": ("short name", "简称"),
        "type": ("customer type", "类型"),
        "industry": ("行业",),
        "source": ("来源",),
        "region": ("area", "地区", "区域"),
        "phone": ("telephone", "tel", "电话", "联络电话", "联系电话"),
        "fax": ("传真",),
        "email": ("e-mail", "mail", "邮箱", "电子邮件", "电邮"),
        "website": ("web", "网站", "网址"),
        "bank_name": ("bank", "开户行", "银行"),
        "bank_account": ("account", "银行账号", "账号"),
        "currency": ("币别", "币种", "货币"),
        "payment_method": ("付款方式",),
        "payment_terms": ("付款条件", "账期"),
        "tax_rule": ("税别", "税率规则"),
        "tax_id": ("tax number", "vat", "统一编号", "税号", "统一社会信用代码"),
        "credit_limit": ("信用额度",),
        "credit_rating": ("信用等级",),
        "tags": ("标签",),
        "notes": ("note", "remarks", "备注"),
    },
    match_on=("code", "email", "phone_e164"),
    document=customer_document, code_counter="customer_code", code_prefix="C",
)

CONTACTS = ImportTarget(
    key="contacts", model=Contact, form=ContactForm,
    columns={
        "name": ("contact", "contact name", "联系人", "姓名", "联络人"),
        "customer_code": ("customer code", "客户编号", "客户代码"),
        "title": ("job title", "position", "职称", "职位", "职务"),
        "department": ("dept", "部门"),
        "phone": ("telephone", "tel", "电话"),
        "mobile": ("cell", "mobile phone", "手机", "行动电话"),
        "email": ("e-mail", "mail", "邮箱", "电子邮件"),
        "wechat": ("weixin", "微信"),
        "line_id": ("line",),
        "whatsapp": ("whats app",),
        "birthday": ("birth date", "生日"),
    },
    match_on=("email", "mobile_e164", "phone_e164"),
    document=contact_document,
)

def _prepare_product(values: dict, _actor_id) -> dict:
    price, currency = values.pop("list_price", None), values.pop("currency", None)
    values["list_prices"] = clean_prices({currency: price}) if price is not None else {}
    if values.get("cost") is None:
        values.pop("cost", None)
    return values


PRODUCTS = ImportTarget(
    key="products", model=Product, form=ProductImportForm,
    columns={
        "code": ("product code", "item code", "sku", "产品编号", "产品代码", "料号", "品号", "编号"),
        "name": ("product name", "product", "item", "产品名称", "品名", "名称", "产品"),
        "category": ("产品类别", "类别", "分类"),
        "unit": ("uom", "单位"),
        "description": ("规格", "说明", "描述"),
        "tax_rate": ("tax", "税率"),
        "cost": ("成本",),
        "list_price": ("price", "unit price", "定价", "价格", "单价", "售价"),
        "currency": ("币别", "币种", "货币"),
    },
    match_on=("code",), document=product_document, live_column=None, prepare=_prepare_product,
)

TARGETS = {target.key: target for target in (CUSTOMERS, CONTACTS, PRODUCTS)}


def customer_ids_by_code() -> dict[str, int]:
    rows = db.session.execute(
        sa.select(sa.func.lower(Customer.code), Customer.id).where(Customer.deleted_at.is_(None)))
    return dict(rows.all())
