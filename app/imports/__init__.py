"""The one import pipeline: read a CSV/Excel file, map columns, validate, dedupe, write."""
