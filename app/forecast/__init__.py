"""Sales forecast: weighted, committed and best case by period and dimension, in one currency."""
