"""What goes on a document: the tenant's letterhead, each document as PDF bytes and a file name."""
from io import BytesIO

from flask import send_file

from app.branding.services import get_branding, logo_path
from app.contacts.models import Contact
from app.customers.models import Customer
from app.documents import pdf
from app.downloads import handed_out
from app.extensions import db
from billing import bank

# Who bills the tenant for its subscription, as the printable invoice says.
ISSUER = "Kehu CRM"


def letterhead(tenant, *, quote_texts: bool) -> pdf.Letterhead:
    """The current tenant's branding (call inside its scope); the registry's name when none is set.

    Quotation header and footer texts belong on quotes only: an invoice is Kehu CRM's bill.
    """
    branding = get_branding()
    return pdf.Letterhead(company=branding.company_name or tenant.name, logo=logo_path(branding),
                          header=branding.quote_header if quote_texts else "",
                          footer=branding.quote_footer if quote_texts else "",
                          color=branding.primary_color)


def invoice_file(invoice, tenant) -> tuple[bytes, str]:
    """The invoice as PDF; an open invoice not billed by Stripe carries the bank-transfer details."""
    manual_and_open = invoice.status == "open" and not invoice.stripe_invoice_id
    bank_details = bank.details_for(invoice.currency) if manual_and_open else None
    data = pdf.invoice_pdf(invoice, letterhead(tenant, quote_texts=False), issuer=ISSUER,
                           bank_details=bank_details)
    return data, f"invoice-{invoice.number}.pdf"


def quote_file(quote, tenant) -> tuple[bytes, str]:
    customer = db.session.get(Customer, quote.customer_id)
    contact = db.session.get(Contact, quote.contact_id) if quote.contact_id else None
    data = pdf.quote_pdf(quote, letterhead(tenant, quote_texts=True), customer_name=customer.name,
                         contact_name=contact.name if contact else None)
    return data, f"quote-{quote.number}-v{quote.version}.pdf"


def send_pdf(data: bytes, filename: str):
    """A download (Content-Disposition: attachment), never shown inline from our origin."""
    handed_out("pdf", filename)
    return send_file(BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=filename,
                     max_age=0)
