"""Printable documents (quotes, invoices) as PDF files in the tenant's branding."""
