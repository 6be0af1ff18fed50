"""Fake platform servers for the tests: real HTTP on 127.0.0.1, stateful, strict."""
