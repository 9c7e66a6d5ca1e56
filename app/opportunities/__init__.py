"""Opportunities through the pipeline stages, with their stage history."""
