"""Fake forummagnum server (being written)."""
