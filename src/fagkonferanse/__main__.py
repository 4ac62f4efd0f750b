"""The ``fagkonferanse`` command (and ``python -m fagkonferanse``), before anything heavy is imported.

Start-up makes hundreds of thousands of objects (modules, classes, mapped models, compiled routes)
and frees almost none, yet the garbage collector walks them again and again while they are made:
measured here, 0.1–0.3 s of a 0.8 s command. So collection is paused before the first import and
resumed, with those objects frozen out of later passes, once the application is built
(``cli.end_of_start_up``). That is why this module imports nothing at the top.
"""

from __future__ import annotations

import gc


def main() -> None:
    """Console-script entry point."""
    gc.disable()
    from .cli import main as run_command

    run_command()


if __name__ == "__main__":
    main()
