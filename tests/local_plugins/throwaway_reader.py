"""Answers the hook the throwaway plugin declares: one plugin reaching another through a hook."""

from fagkonferanse import hookimpl

requires_plugins = ["throwaway_plugin"]


@hookimpl(optionalhook=True)
def throwaway_question(topic):
    return f"svar om {topic}"
