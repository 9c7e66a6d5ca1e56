"""Sales process: pipeline stages (opportunities, quotes and forecasts build on them)."""
