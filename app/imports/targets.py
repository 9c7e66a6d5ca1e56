"""What can be imported: each target names its form, its columns, how rows are matched,
who may import it and what happens around the write.

Another module (orders) adds a target by adding to TARGETS.
"""
from dataclasses import dataclass, field
from typing import Callable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.contacts.forms import ContactForm
from app.contacts.models import Contact
from app.customers.importing import EXTRA_FIELDS, CustomerImportForm, add_extras, owners_of, row_region
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
    """Everything the pipeline needs to know about one kind of record: the pipeline itself
    never asks which target it is handling."""

    key: str
    model: type
    form: type
    # field name -> header names that map to it automatically (folded: lower case, simplified)
    columns: dict[str, tuple[str, ...]]
    # model attributes a row is matched on, in order of trust
    match_on: tuple[str, ...]
    document: Callable
    # the permission module: importing needs its "create", the update policy its "edit"
    module: str = ""
    title: str = ""
    list_endpoint: str = ""
    code_counter: str | None = None
    code_prefix: str = ""
    # match_on columns unique over every row, deleted or not visible ones included
    unique_on: tuple[str, ...] = ()
    # records have owner_id/unit_id: a user matches only those visible_to them
    owned: bool = True
    # rows with this column set are not matched (None: every row is, e.g. archived products)
    live_column: str | None = "deleted_at"
    # column -> (module, action) the importing user needs to map it
    restricted: dict = field(default_factory=dict)
    # (values, context) -> the row's column values ("_extras": what after_write adds)
    prepare: Callable | None = None
    # (context, created {id: extras}, updated {id: extras}) -> None, after the rows are written
    after_write: Callable | None = None
    # row values -> the phone region the row names itself (None: the import's region)
    row_region: Callable | None = None
    # updates never write these columns
    fixed: tuple[str, ...] = ("owner_id", "unit_id", "created_by_id", "code", "tier_is_manual")

    def live_filter(self):
        if self.live_column is None:
            return sa.true()
        return getattr(self.model, self.live_column).is_(None)

    def all_columns(self, user=None) -> dict[str, tuple[str, ...]]:
        """The standard columns plus the tenant's custom fields (matched by label or key);
        given a user, without the columns their role may not import."""
        from app.access.permissions import can
        from app.customfields.forms import PREFIX
        from app.customfields.models import ENTITIES
        from app.customfields.services import fields_of

        columns = dict(self.columns)
        if user is not None:
            columns = {name: synonyms for name, synonyms in columns.items()
                       if name not in self.restricted or can(user, *self.restricted[name])}
        if self.key not in ENTITIES:
            return columns
        custom = {PREFIX + d.key: (fold(d.label), d.key) for d in fields_of(self.key)}
        return {**columns, **custom}

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


def _prepare_customer(values: dict, context) -> dict:
    extras = {name: values.pop(name) for name in list(values)
              if name in EXTRA_FIELDS or name == "contact_phone_e164"}
    owner_id = values.pop("owner_id", None) or context.actor_id
    tier = values.pop("tier", None)
    values.update(owner_id=owner_id, unit_id=context.unit_of(owner_id), tier=tier,
                  tier_is_manual=tier is not None, created_by_id=context.actor_id)
    values["_extras"] = extras if any(extras.values()) else None
    return values


def _after_customers(context, created: dict, updated: dict) -> None:
    """Addresses and contacts from the rows, then sales volumes and tiers."""
    from app.customers.services import recompute_tiers, refresh_sales_volumes

    extras = {cid: ex for cid, ex in {**created, **updated}.items() if ex}
    if extras:
        add_extras(extras, owners_of(list(extras)))
    if "sales_history" in context.mapped:
        refresh_sales_volumes()  # only rows whose volume changes are written
    recompute_tiers()


CUSTOMERS = ImportTarget(
    key="customers", model=Customer, form=CustomerImportForm,
    columns={
        "code": ("customer code", "code", "客户编号", "客户代码", "编号"),
        "name": ("customer name", "company", "company name", "客户名称", "名称", "公司名称", "客户"),
        "short_name": ("short name", "简称"),
        "type": ("customer type", "类型"),
        "industry": ("行业",),
        "source": ("来源",),
        "region": ("area", "地区", "区域"),
        "phone": ("telephone", "tel", "电话", "联络电话", "联系电话", "公司电话"),
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
        "credit_record": ("credit history", "信用记录", "付款记录"),
        "sales_history": ("annual sales", "yearly sales", "年销售额", "销售额",
                          "历史销售额", "年度销售额"),
        "tags": ("标签",),
        "notes": ("note", "remarks", "备注"),
        "address": ("street", "地址", "公司地址", "注册地址", "通讯地址"),
        "city": ("城市", "市"),
        "postal_code": ("postcode", "zip", "zip code", "邮编", "邮政编码", "邮递区号"),
        "country": ("国家", "国别", "国家/地区"),
        "sales_rep": ("sales rep", "salesperson", "owner", "业务员", "业务", "销售员",
                      "负责人", "业务代表", "负责业务"),
        "contact_name": ("contact", "contact person", "联系人", "联络人", "联系人姓名"),
        "contact_phone": ("contact phone", "mobile", "联系人电话", "联系人手机", "手机"),
        "contact_email": ("contact email", "contact e-mail", "联系人邮箱", "联系人电邮"),
    },
    match_on=("code", "email", "phone_e164"), unique_on=("code",),
    document=customer_document, code_counter="customer_code", code_prefix="C",
    module="customers", title=_l("Import customers"), list_endpoint="workspace.customers.index",
    prepare=_prepare_customer, after_write=_after_customers, row_region=row_region,
)


def _prepare_contact(values: dict, context) -> dict:
    code = values.pop("customer_code", None)
    customers = context.lookup("customer_codes", lambda: customer_ids_by_code(context.actor))
    values["customer_id"] = customers.get(code.lower()) if code else None
    values["decision_role"] = values.get("decision_role") or None
    values.update(owner_id=context.actor_id, unit_id=context.unit_of(context.actor_id))
    return values


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
    document=contact_document, module="contacts", title=_l("Import contacts"),
    list_endpoint="workspace.contacts.index", prepare=_prepare_contact,
)


def _prepare_product(values: dict, _context) -> dict:
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
    match_on=("code",), unique_on=("code",), document=product_document, owned=False,
    live_column=None, prepare=_prepare_product, module="products", title=_l("Import products"),
    list_endpoint="workspace.products.index", restricted={"cost": ("margins", "view")},
    fixed=("code",),
)

TARGETS = {target.key: target for target in (CUSTOMERS, CONTACTS, PRODUCTS)}


def customer_ids_by_code(user=None) -> dict[str, int]:
    """{lower-case code: id} of live customers (those visible to user, when given)."""
    from app.access.visibility import visible_to

    query = sa.select(sa.func.lower(Customer.code), Customer.id).where(Customer.deleted_at.is_(None))
    if user is not None:
        query = query.where(visible_to(user, Customer))
    return dict(db.session.execute(query).all())
