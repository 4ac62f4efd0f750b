"""fagkonferanse: run a professional conference end to end.

Plugins import :data:`hookimpl` from here: ``from fagkonferanse import hookimpl``, and
:func:`reads_query` for a public page that reads query parameters.
"""

from .app import create_app, plugin_manager
from .hookspecs import hookimpl
from .pagecache import reads_query

__all__ = ["create_app", "hookimpl", "plugin_manager", "reads_query"]
