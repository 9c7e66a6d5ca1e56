"""PDF documents: a real PDF in the tenant's branding, Chinese included, checked like its page."""
import io
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from PIL import Image as PILImage
from pypdf import PdfReader

from app.branding.services import get_branding, logo_folder, save_branding
from app.extensions import db
from app.quotes import services as quotes
from app.quotes.services import LineEntry
from billing.invoice_models import Invoice
from tenants.context import tenant_scope
from tests.billing.conftest import subscribe
from tests.pictures import BROKEN_PNG
from tests.console import console_client
from tests.conftest import client_as
from tests.sales.conftest import customer, owner_id, product


def _png() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (120, 40), (170, 51, 0)).save(out, "PNG")
    return out.getvalue()


def _brand(logo: bytes | None):
    save_branding("连天红家具有限公司", "#aa3300", {"quote_header": "上海市红木路 8 号\n电话 021-5555-0000",
                                              "quote_footer": "报价有效期 30 天，款到发货。"}, logo=logo)


def _quote(app, tenant, logo=None) -> tuple[int, str]:
    with app.test_request_context(), tenant_scope(tenant):
        _brand(logo)
        product("SOFA-1", name="真皮沙发", price="1000.00", tax="13")
        quote = quotes.create_quote({"customer_id": customer("华夏贸易公司").id, "currency": "CNY",
                                     "discount_percent": Decimal("0"), "valid_until": date(2099, 1, 31),
                                     "terms": "款到发货"}, [LineEntry("SOFA-1", Decimal("2"))], owner_id())
        db.session.commit()
        return quote.id, quote.number


def _text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def _is_pdf_download(response, filename):
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f"attachment; filename={filename}"
    assert response.data.startswith(b"%PDF")


def test_the_quote_pdf_carries_the_branding_lines_and_total(app, tenant, owner_client):
    quote_id, number = _quote(app, tenant, logo=_png())
    show = owner_client.get(f"/t/{tenant.slug}/quotes/{quote_id}").get_data(as_text=True)
    assert f'href="/t/{tenant.slug}/quotes/{quote_id}/pdf"' in show
    response = owner_client.get(f"/t/{tenant.slug}/quotes/{quote_id}/pdf")
    _is_pdf_download(response, f"quote-{number}-v1.pdf")
    text = _text(response)
    for expected in (number, "v1", "Quotation", "连天红家具有限公司", "上海市红木路 8 号", "华夏贸易公司",
                     "SOFA-1 真皮沙发", "¥1,000.00", "¥2,000.00", "¥260.00", "¥2,260.00", "款到发货",
                     "报价有效期 30 天"):
        assert expected in text, expected
    assert len(PdfReader(io.BytesIO(response.data)).pages[0].images) == 1  # the logo


def test_a_traditional_chinese_workspace_gets_a_traditional_font_and_labels(app, new_tenant):
    tenant = new_tenant(locale="zh_Hant")
    quote_id, number = _quote(app, tenant)
    response = client_as(app, tenant, "owner").get(f"/t/{tenant.slug}/quotes/{quote_id}/pdf")
    _is_pdf_download(response, f"quote-{number}-v1.pdf")
    assert b"MSung-Light" in response.data  # the labels; the Simplified customer name falls back
    text = _text(response)
    assert "報價單" in text and "华夏贸易公司" in text  # Simplified name: set in STSong-Light
    assert number in text and "NT$" not in text and "¥2,260.00" in text


def _store_unreadable_logo(app, tenant):
    """A logo kept from before uploads were decoded (now such a file is refused at upload)."""
    with app.test_request_context(), tenant_scope(tenant):
        (logo_folder() / "logo-broken.png").write_bytes(BROKEN_PNG)
        branding = get_branding()
        branding.logo_file, branding.logo_type, branding.logo_bytes = ("logo-broken.png", "image/png",
                                                                      len(BROKEN_PNG))
        db.session.commit()


def test_an_unreadable_logo_leaves_it_out_and_the_pdf_still_comes(app, tenant, owner_client):
    quote_id, number = _quote(app, tenant, logo=_png())
    _store_unreadable_logo(app, tenant)
    response = owner_client.get(f"/t/{tenant.slug}/quotes/{quote_id}/pdf")
    _is_pdf_download(response, f"quote-{number}-v1.pdf")
    assert "连天红家具有限公司" in _text(response)


def test_roles_that_cannot_see_the_quote_cannot_download_it(app, tenant):
    quote_id, _number = _quote(app, tenant)
    path = f"/t/{tenant.slug}/quotes/{quote_id}/pdf"
    assert client_as(app, tenant, "service_agent").get(path).status_code == 403
    assert client_as(app, tenant, "sales_rep").get(path).status_code == 404  # sees only own quotes
    assert client_as(app, tenant, "read_only").get(path).status_code == 200
    assert app.test_client().get(path).status_code == 302  # to the log-in page


def _invoice(app, tenant, owner_client) -> tuple[int, str]:
    subscribe(app, tenant, "trialing")
    owner_client.post(f"/t/{tenant.slug}/billing/pay")  # manual gateway: an open invoice
    with app.app_context():
        invoice = db.session.scalars(sa.select(Invoice).join(Invoice.lines).where(
            Invoice.billed_to == tenant.name).order_by(Invoice.id.desc())).first()
        return invoice.id, invoice.number


def test_the_invoice_pdf_has_number_billed_to_total_and_payment_instructions(app, new_tenant):
    tenant = new_tenant(name="红木家具有限公司")
    owner = client_as(app, tenant, "owner")
    invoice_id, number = _invoice(app, tenant, owner)
    page = owner.get(f"/t/{tenant.slug}/billing/invoices/{invoice_id}").get_data(as_text=True)
    assert f'href="/t/{tenant.slug}/billing/invoices/{invoice_id}/pdf"' in page
    response = owner.get(f"/t/{tenant.slug}/billing/invoices/{invoice_id}/pdf")
    _is_pdf_download(response, f"invoice-{number}.pdf")
    text = _text(response)
    for expected in (number, "Invoice", "红木家具有限公司", "Kehu CRM", "¥199.00", "¥11.94", "¥210.94",
                     app.config["BILLING_BANK_DETAILS"].splitlines()[0], f"invoice number {number}"):
        assert expected in text, expected


def test_only_admins_get_the_invoice_pdf_and_never_another_tenants(app, new_tenant):
    tenant, other = new_tenant(), new_tenant()
    invoice_id, _number = _invoice(app, tenant, client_as(app, tenant, "owner"))
    other_owner = client_as(app, other, "owner")
    _other_id, _ = _invoice(app, other, other_owner)
    path = f"/t/{tenant.slug}/billing/invoices/{invoice_id}/pdf"
    for role in ("sales_manager", "sales_rep", "read_only"):
        assert client_as(app, tenant, role).get(path).status_code == 403, role
    # Another tenant's admin: not through its own workspace, not through this one.
    assert other_owner.get(f"/t/{other.slug}/billing/invoices/{invoice_id}/pdf").status_code == 404
    assert other_owner.get(path).status_code == 302  # an anonymous visitor there: to the log-in page
    assert client_as(app, tenant, "admin").get(path).status_code == 200


def test_a_canceled_tenant_can_still_download_its_invoices(app, tenant, owner_client):
    invoice_id, number = _invoice(app, tenant, owner_client)
    with app.app_context():
        from tenants.models import Tenant
        db.session.get(Tenant, tenant.id).status = "canceled"
        db.session.commit()
    response = owner_client.get(f"/t/{tenant.slug}/billing/invoices/{invoice_id}/pdf")
    _is_pdf_download(response, f"invoice-{number}.pdf")


def test_provider_staff_download_a_tenants_invoice_from_the_console(app, new_tenant):
    tenant, other = new_tenant(name="華夏貿易"), new_tenant()
    invoice_id, number = _invoice(app, tenant, client_as(app, tenant, "owner"))
    console = console_client(app, "support")
    page = console.get(f"/provider/tenants/{tenant.id}").get_data(as_text=True)
    assert f'href="/provider/tenants/{tenant.id}/invoices/{invoice_id}/pdf"' in page
    response = console.get(f"/provider/tenants/{tenant.id}/invoices/{invoice_id}/pdf")
    _is_pdf_download(response, f"invoice-{number}.pdf")
    assert number in _text(response) and "華夏貿易" in _text(response)
    subscribe(app, other, "trialing")
    assert console.get(f"/provider/tenants/{other.id}/invoices/{invoice_id}/pdf").status_code == 404
    tenant_owner = client_as(app, tenant, "owner")
    assert tenant_owner.get(f"/provider/tenants/{tenant.id}/invoices/{invoice_id}/pdf").status_code == 302


def test_sending_a_quote_attaches_its_pdf(app, tenant, owner_client):
    import email
    import email.policy
    from pathlib import Path

    quote_id, number = _quote(app, tenant)
    base = f"/t/{tenant.slug}/quotes/{quote_id}"
    assert owner_client.post(f"{base}/submit").status_code in (302, 303)
    sent = owner_client.post(f"{base}/send", data={"to": "buyer@huaxia.example", "message": "请查收"})
    assert sent.status_code in (302, 303)
    mails = sorted(Path(app.config["MAIL_SINK_DIR"]).glob("*-buyer_at_huaxia.example.eml"))
    message = email.message_from_bytes(mails[-1].read_bytes(), policy=email.policy.default)
    assert "请查收" in message.get_body(preferencelist=("plain",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"quote-{number}-v1.pdf"
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(attachment.get_content())).pages)
    assert number in pdf_text and "华夏贸易公司" in pdf_text and "¥2,260.00" in pdf_text
