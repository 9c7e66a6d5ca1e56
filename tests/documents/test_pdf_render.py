"""Quote and invoice PDFs as a reader shows them, in all three languages: poppler renders each
page (pdftoppm) and reads its text back (pdftotext), both through the fonts' CMaps, so a font
paired with the wrong CMap shows up as missing text and a blank title.

`make test` installs poppler and a Chinese font (`make pdf-deps`)."""
import html
import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from PIL import Image

from app.extensions import db
from app.quotes import services as quotes
from app.quotes.services import LineEntry
from billing.invoice_models import Invoice
from tenants.context import tenant_scope
from tests.billing.conftest import subscribe
from tests.conftest import client_as
from tests.sales.conftest import customer, owner_id, product

DPI = 216  # three pixels per PDF point: small 9-point figures still leave dark pixels
SCALE = DPI / 72  # pdftotext's boxes are in points
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')

LANGUAGES = [
    # locale, currency, the quote's title, the invoice's title, the currency sign
    ("en", "USD", "Quotation", "Invoice", "$"),
    ("zh_Hans", "CNY", "报价单", "账单", "¥"),
    ("zh_Hant", "TWD", "報價單", "帳單", "$"),  # zh_Hant writes TWD as "$"
]


def _poppler(*args) -> None:
    assert shutil.which(args[0]), f"{args[0]} is missing: run `make pdf-deps` (poppler-utils, poppler-data, a CJK font)"
    errors = subprocess.run(args, capture_output=True, check=True).stderr.decode()
    assert "Error" not in errors, errors  # e.g. "Unknown CMap 'UniGB-UCS2-H' for … 'Adobe-CNS1'"


def _read(data: bytes, folder):
    """(the first page's words with their boxes, its text, its bitmap) as poppler sees them."""
    pdf, boxes, bitmap = folder / "doc.pdf", folder / "words.html", folder / "page"
    pdf.write_bytes(data)
    _poppler("pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), str(boxes))
    words = [(html.unescape(m[5]), tuple(float(v) for v in m.groups()[:4]))
             for m in WORD.finditer(boxes.read_text())]
    _poppler("pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf), str(bitmap))
    return words, " ".join(word for word, _box in words), Image.open(folder / "page.png").convert("L")


def _ink(image, box) -> int:
    """Dark pixels inside a word's box: its glyphs were drawn."""
    x0, y0, x1, y1 = (round(v * SCALE) for v in box)
    return sum(1 for pixel in image.crop((x0, y0, x1 + 1, y1 + 1)).get_flattened_data() if pixel < 128)


def _assert_drawn(data: bytes, folder, title: str, sign: str) -> str:
    words, text, image = _read(data, folder)
    boxes = [box for word, box in words if word == title]
    assert boxes, f"{title!r} not in {text!r}"
    assert _ink(image, boxes[0]) > 20, f"{title!r} is blank on the page"
    assert "?" not in text, text
    assert any(word.startswith(sign) and _ink(image, box) > 10 for word, box in words), text
    return text


def _quote(app, tenant, currency) -> int:
    with app.test_request_context(), tenant_scope(tenant):
        product("SOFA-1", name="真皮沙發", price=None, tax="0", list_prices={currency: Decimal("28821.60")})
        quote = quotes.create_quote({"customer_id": customer("華夏貿易").id, "currency": currency,
                                     "discount_percent": Decimal("10"), "valid_until": date(2099, 1, 31),
                                     "terms": ""}, [LineEntry("SOFA-1", Decimal("20"))], owner_id())
        db.session.commit()
        return quote.id


@pytest.mark.parametrize("locale,currency,title,_invoice_title,sign", LANGUAGES)
def test_the_quote_pdf_renders_its_text_and_discount(app, new_tenant, tmp_path, locale, currency, title,
                                                     _invoice_title, sign):
    tenant = new_tenant(locale=locale, currency=currency)
    quote_id = _quote(app, tenant, currency)
    response = client_as(app, tenant, "owner").get(f"/t/{tenant.slug}/quotes/{quote_id}/pdf")
    assert response.status_code == 200
    text = _assert_drawn(response.data, tmp_path, title, sign)
    assert "華夏貿易" in text and "SOFA-1" in text
    # 10% of 20 × 28,821.60 = 57,643.20, with a minus the fonts have
    assert re.search(rf"-{re.escape(sign)}57,643\.20", text), text


@pytest.mark.parametrize("locale,currency,_quote_title,title,sign", LANGUAGES)
def test_the_invoice_pdf_renders_its_text(app, new_tenant, tmp_path, locale, currency, _quote_title, title,
                                          sign):
    tenant = new_tenant(locale=locale, currency=currency, name="華夏貿易")
    owner = client_as(app, tenant, "owner")
    subscribe(app, tenant, "trialing", currency=currency)
    assert owner.post(f"/t/{tenant.slug}/billing/pay").status_code == 302  # manual: an open invoice
    with app.app_context():
        invoice_id = db.session.scalars(sa.select(Invoice.id).where(
            Invoice.billed_to == "華夏貿易").order_by(Invoice.id.desc())).first()
    response = owner.get(f"/t/{tenant.slug}/billing/invoices/{invoice_id}/pdf")
    assert response.status_code == 200
    text = _assert_drawn(response.data, tmp_path, title, sign)
    assert "華夏貿易" in text
