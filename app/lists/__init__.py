"""List pages shared by every module: columns, filters, sort, keyset pages, saved views."""
