"""A class the entry point names, that is not a crosspost target."""


class NotATarget:
    """Has the name an entry point expects; derives from nothing of crosspost's."""
