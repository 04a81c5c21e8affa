"""Marking messages for translation in framework-free code.

Services write `N_("Message")`: the text stays English in the domain, the extractor collects it, and the web
layer translates it when it reaches a person (`_(error.message)`).
"""


def N_(message: str) -> str:  # the conventional gettext marker name
    """Mark `message` for extraction; returns it unchanged."""
    return message
