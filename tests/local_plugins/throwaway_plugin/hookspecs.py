"""A hook the throwaway plugin declares, for other plugins to answer."""

from fagkonferanse import hookspec


@hookspec
def throwaway_question(topic):
    """Answer a question about ``topic`` (a string)."""
