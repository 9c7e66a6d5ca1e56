"""A little demo data for the demo workspace: stores, customers, contacts, a timeline."""
from decimal import Decimal

import sqlalchemy as sa

from app.auth.models import User
from app.contacts.services import create_contact
from app.customers.services import create_customer, recompute_tiers
from app.extensions import db
from app.org.services import create_unit, set_manager
from app.timeline.services import add_entry

CUSTOMERS = [
    # name, type, industry, region, phone, e-mail, sales volume, contact, mobile
    ("上海连天红家具有限公司", "customer", "家具零售", "华东", "021-6234 5678", "buy@lth.example",
     "1280000", "王建国", "138 0013 8000"),
    ("杭州美居装饰工程有限公司", "customer", "室内装修", "华东", "0571-8765 4321", "info@meiju.example",
     "640000", "李美华", "139 5712 3456"),
    ("臺北森活家居股份有限公司", "customer", "家居", "台湾", "+886 2 2345 6789", "sales@senhuo.example",
     "890000", "陳志明", "+886 912 345 678"),
    ("香港譽豐貿易有限公司", "partner", "贸易", "香港", "+852 2345 6789", "trade@yufeng.example",
     "310000", "黃家豪", "+852 9123 4567"),
    ("Acme Hospitality Group", "prospect", "Hotels", "Singapore", "+65 6123 4567",
     "purchasing@acme-hotels.example", "0", "Grace Tan", "+65 9123 4567"),
    ("南京金陵酒店用品公司", "prospect", "酒店用品", "华东", "025-8432 1098", None, "0", "赵强",
     "137 1234 5678"),
]


def add_demo_data(owner_id: int) -> None:
    head = create_unit("总部", "head_office", None)
    east = create_unit("华东区", "region", head.id)
    store = create_unit("上海南京路门店", "store", east.id)
    create_unit("台北门店", "store", head.id)
    manager = db.session.scalars(sa.select(User).where(User.email == "manager@demo.example")).one()
    rep = db.session.scalars(sa.select(User).where(User.email == "rep@demo.example")).one()
    manager.unit_id, rep.unit_id = east.id, store.id
    set_manager(east, manager.id)
    for index, row in enumerate(CUSTOMERS):
        name, kind, industry, region, phone, email, volume, contact, mobile = row
        owner = rep if index % 2 else manager
        customer = create_customer({
            "name": name, "type": kind, "industry": industry, "region": region, "phone": phone,
            "email": email, "sales_history": Decimal(volume), "sales_volume": Decimal(volume), "tags": ["展会"] if index < 3 else [],
        }, owner.id, owner.unit_id)
        create_contact({"name": contact, "mobile": mobile, "customer_code": customer.code,
                        "is_primary": True}, owner.id, owner.unit_id)
        add_entry(customer_id=customer.id, kind="meeting", user_id=owner.id,
                  title="展会上初次见面，索取了产品目录")
        add_entry(customer_id=customer.id, kind="call", user_id=owner_id,
                  title="电话回访：对新款办公椅感兴趣")
    recompute_tiers()
