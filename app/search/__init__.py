"""The one search builder of the app: tokens, tsvectors, ranked queries (works for Chinese)."""
