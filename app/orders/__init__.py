"""Orders: what an accepted quote becomes (reports read them)."""
