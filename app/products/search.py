"""How products are found by the search builder: by code or name, Chinese included."""
from flask_babel import lazy_gettext as _l

from app.products.models import Product
from app.search.builder import SearchSpec, register
from app.search.tokenizer import tokens


def product_document(product) -> dict[str, list[str]]:
    return {
        "A": tokens(product.code) + tokens(product.name),
        "C": tokens(product.category) + tokens(product.description),
    }


register(SearchSpec(
    Product, "product", product_document, label=_l("Products"), module="products",
    title=lambda p: f"{p.code} {p.name}",
    link=lambda p: ("workspace.products.show", {"product_id": p.id}),
    subtitle=lambda p: p.category or ""))
