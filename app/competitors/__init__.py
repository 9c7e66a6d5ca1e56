"""Competitor profiles, per-opportunity SWOT and the win/loss report per competitor."""
