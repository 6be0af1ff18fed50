"""Entry points of the group crosspost.targets that crosspost must refuse, one line each."""
