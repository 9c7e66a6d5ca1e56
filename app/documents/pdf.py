"""PDF documents with reportlab: one function per document, each returning the file's bytes.

Chinese needs no font file: reportlab's built-in CID fonts (STSong-Light for
Simplified, MSung-Light for Traditional) name Adobe's Asian fonts, which PDF
readers supply. Both also carry Latin letters and digits, so one font serves a
whole document. Each font must name the CMap of its own character collection
(GB for STSong, CNS for MSung), and every text must use characters the fonts
have (`_printable`). Amounts and dates are formatted for the current language with
Babel, as on the printable pages. Every text from users goes through
Paragraph markup escaped.
"""
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from flask_babel import format_currency, format_date, get_locale, gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import CIDEncoding, UnicodeCIDFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

SIMPLIFIED, TRADITIONAL = "STSong-Light", "MSung-Light"
# The CMap each font's text is encoded with: Unicode (UCS-2) to the CIDs of the
# font's own character collection (Adobe-GB1, Adobe-CNS1).
CMAPS = {SIMPLIFIED: "UniGB-UCS2-H", TRADITIONAL: "UniCNS-UCS2-H"}


def _cid_font(face: str) -> UnicodeCIDFont:
    """reportlab pairs MSung-Light with the GB CMap, so readers look Traditional glyphs up by
    Simplified CIDs: poppler draws nothing, MuPDF the wrong characters. Name the right CMap."""
    font = UnicodeCIDFont(face)
    font.encodingName, font.encoding = CMAPS[face], CIDEncoding(CMAPS[face])
    return font


for _font in (SIMPLIFIED, TRADITIONAL):
    pdfmetrics.registerFont(_cid_font(_font))
# Characters texts may contain that the CID fonts lack (a reader shows "?" or nothing):
# the minus sign U+2212 (Babel writes it in some locales' negative amounts) becomes "-".
_PRINTABLE = str.maketrans({"\u2212": "-"})
LOGO_BOX = (40 * mm, 16 * mm)  # the logo is scaled to fit, keeping its proportions
WIDTH = A4[0] - 36 * mm


@dataclass
class Letterhead:
    """The tenant's branding as documents show it."""

    company: str
    logo: Path | None = None
    header: str = ""
    footer: str = ""
    color: str = "#1f5fa8"


def invoice_pdf(invoice, letterhead: Letterhead, *, issuer: str, bank_details: str | None) -> bytes:
    """The invoice: number, dates, lines, tax, total; bank_details: how to pay (manual invoices)."""
    s = _Styles()
    money = lambda amount: format_currency(amount, invoice.currency)  # noqa: E731
    dates = [_("Issued") + ": " + format_date(invoice.issued_at, "long")]
    if invoice.due_at:
        dates.append(_("Due") + ": " + format_date(invoice.due_at, "long"))
    if invoice.paid_at:
        dates.append(_("Paid") + ": " + format_date(invoice.paid_at, "long"))
    story = [_masthead(s, letterhead, _("Invoice"), [invoice.number, *dates]),
             s.para(_("Issued by") + ": " + issuer), s.para(_("Billed to") + ": " + invoice.billed_to),
             Spacer(1, 4 * mm)]
    rows = [[line.description, str(line.quantity), money(line.unit_amount), money(line.amount)]
            for line in invoice.lines]
    rate = f"{(invoice.tax_rate * 100).normalize():f}"
    totals = [(_("Subtotal"), money(invoice.subtotal)), (_("Tax (%(rate)s%%)", rate=rate), money(invoice.tax)),
              (_("Total"), money(invoice.total))]
    header = [_("Description"), _("Quantity"), _("Unit price"), _("Amount")]
    story.append(_lines(s, header, rows, totals, widths=(0.52, 0.12, 0.18, 0.18), numeric_from=1))
    if bank_details:
        story += [Spacer(1, 6 * mm), s.para(bank_details),
                  s.para(_("Please quote the invoice number %(number)s with your transfer.",
                           number=invoice.number))]
    return _build(story, letterhead, title=_("Invoice %(number)s", number=invoice.number))


def quote_pdf(quote, letterhead: Letterhead, *, customer_name: str, contact_name: str | None) -> bytes:
    """The quotation: number and version, dates, customer, lines, discount, tax, total, terms."""
    s = _Styles()
    money = lambda amount: format_currency(amount, quote.currency)  # noqa: E731
    # "Q000123 v2": a middle dot between them has no glyph in the CID fonts.
    meta = [quote.label, format_date(quote.created_at)]
    if quote.valid_until:
        meta.append(_("Valid until %(date)s", date=format_date(quote.valid_until)))
    story = [_masthead(s, letterhead, _("Quotation"), meta), s.para(customer_name, bold=True)]
    if contact_name:
        story.append(s.para(contact_name))
    story.append(Spacer(1, 4 * mm))
    rows = [[str(line.position), f"{line.code} {line.name}",
             f"{_quantity(line.quantity)} {line.unit or ''}".strip(), money(line.unit_price),
             f"{line.discount_percent}", money(line.net_amount)] for line in quote.lines]
    totals = [(_("Subtotal"), money(quote.subtotal))]
    if quote.discount_amount:
        totals.append((f"{_('Discount')} ({quote.discount_percent}%)", "-" + money(quote.discount_amount)))
    totals += [(_("Tax"), money(quote.tax_amount)), (_("Total"), money(quote.total))]
    header = ["#", _("Product"), _("Quantity"), _("Unit price"), _("Discount (%%)").replace("%%", "%"), _("Net")]
    story.append(_lines(s, header, rows, totals, widths=(0.06, 0.36, 0.13, 0.16, 0.12, 0.17),
                         numeric_from=2))
    if quote.terms:
        story += [Spacer(1, 5 * mm), s.para(_("Terms"), bold=True), s.para(quote.terms)]
    if letterhead.footer:
        story += [Spacer(1, 8 * mm), s.para(letterhead.footer, "small")]
    return _build(story, letterhead, title=_("Quotation %(label)s", label=quote.label))


class _Styles:
    """Paragraph styles, each text set in the font that fits it.

    A Traditional Chinese workspace gets MSung-Light, but only for texts Big5 can
    encode: a Simplified name (连天红) has no glyphs there and is set in STSong-Light,
    which covers both scripts.
    """

    SIZES = {"body": (10, 14), "small": (8, 11), "cell": (9, 12), "company": (13, 18), "title": (18, 24)}

    def __init__(self):
        self.traditional = str(get_locale()) == "zh_Hant"
        self._cache: dict[tuple, ParagraphStyle] = {}

    def font_for(self, text: str) -> str:
        if self.traditional:
            try:
                text.encode("big5")
                return TRADITIONAL
            except UnicodeEncodeError:
                pass
        return SIMPLIFIED

    def para(self, text: str, kind: str = "body", *, right: bool = False, bold: bool = False) -> Paragraph:
        """A paragraph of plain text: escaped, line breaks kept."""
        key = (kind, self.font_for(text), right)
        if key not in self._cache:
            size, leading = self.SIZES[kind]
            self._cache[key] = ParagraphStyle(f"{kind}-{key[1]}-{right}", fontName=key[1], fontSize=size,
                                              leading=leading, alignment=TA_RIGHT if right else TA_LEFT)
        markup = escape(_printable(text)).replace("\n", "<br/>")
        return Paragraph(f"<b>{markup}</b>" if bold else markup, self._cache[key])


def _printable(text: str) -> str:
    return text.translate(_PRINTABLE)


def _masthead(s: _Styles, letterhead: Letterhead, title: str, meta: list[str]) -> Table:
    """Logo, company and header text on the left; the document's title, number and dates on the right."""
    left = [flowable for flowable in (_logo(letterhead.logo),) if flowable is not None]
    left.append(s.para(letterhead.company, "company", bold=True))
    if letterhead.header:
        left.append(s.para(letterhead.header, "small"))
    right = [s.para(title, "title", right=True)] + [s.para(line, right=True) for line in meta]
    table = Table([[left, right]], colWidths=[WIDTH * 0.6, WIDTH * 0.4])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 2, colors.HexColor(letterhead.color)),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 4 * mm),
    ]))
    return table


def _logo(path: Path | None) -> Image | None:
    """The logo scaled into LOGO_BOX; None when there is none or it cannot be read as an image."""
    if path is None:
        return None
    try:
        width, height = ImageReader(str(path)).getSize()
    except (OSError, ValueError):
        return None  # a damaged logo must not cost the customer their document
    scale = min(LOGO_BOX[0] / width, LOGO_BOX[1] / height)
    image = Image(str(path), width=width * scale, height=height * scale)
    image.hAlign = "LEFT"
    return image


def _lines(s: _Styles, header: list[str], rows: list[list], totals: list[tuple[str, str]], widths,
           numeric_from: int) -> Table:
    """The lines table (columns from numeric_from on right-aligned), its header repeated on every
    page, and the totals under the last column."""
    columns = len(header)
    texts = [header, *rows] + [[label] + [""] * (columns - 2) + [value] for label, value in totals]
    first_total = 1 + len(rows)
    data = [[s.para(text, "cell", right=col >= numeric_from or row >= first_total, bold=row == 0)
             for col, text in enumerate(cells)] for row, cells in enumerate(texts)]
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, first_total - 1), 0.25, colors.lightgrey),
        ("LINEABOVE", (0, first_total), (-1, first_total), 0.8, colors.black),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
    ]
    for row in range(first_total, len(data)):
        style.append(("SPAN", (0, row), (columns - 2, row)))
    table = Table(data, colWidths=[WIDTH * w for w in widths], repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _quantity(value) -> str:
    """2.500 → 2.5, as the printable page shows quantities."""
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


def _build(story: list, letterhead: Letterhead, *, title: str) -> bytes:
    out = BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=title, author=letterhead.company)
    doc.build(story)
    return out.getvalue()
