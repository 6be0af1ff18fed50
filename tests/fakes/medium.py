"""Fake medium server (being written)."""
