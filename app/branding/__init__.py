"""The tenant's brand image: name, logo, colour, e-mail footer, call and quotation texts."""
