"""fagkonferanse: run a professional conference end to end.

Plugins import :data:`hookimpl` from here: ``from fagkonferanse import hookimpl``.
"""

from .app import create_app, plugin_manager
from .hookspecs import hookimpl

__all__ = ["create_app", "hookimpl", "plugin_manager"]
