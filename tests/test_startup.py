"""Start-up: a command pays only for what it uses (issue 17; the times are bench_startup's).

The package face loads its names when first used, heavy libraries are imported where they are
used (a PDF, an upload, a calendar), and the console script pauses the garbage collector until
the application is built. These tests pin the behaviour behind the figures, never a time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import types
from importlib import import_module

import fagkonferanse

# Libraries that only rendering, uploads, exports or requests need: none is loaded by a command
# that renders nothing.
HEAVY = ("weasyprint", "alembic", "huey", "icalendar", "email_validator", "fontTools", "PIL", "pypdfium2",
         "qrcode", "rich", "sqlalchemy.dialects.postgresql")


def run_python(code: str, *args: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("FAGKONFERANSE_")}
    return subprocess.run([sys.executable, "-c", code, *args], env=environment, capture_output=True, text=True,
                          timeout=120)


def test_every_name_of_the_face_is_the_object_its_module_defines():
    sources = {name.partition(" as ")[2] or name: (module, name.partition(" as ")[0])
               for module, names in fagkonferanse._SOURCES.items() for name in names}
    assert sorted(sources) == sorted(fagkonferanse.__all__)
    for name, (module, attribute) in sources.items():
        value = getattr(fagkonferanse, name)
        assert not isinstance(value, types.ModuleType), name
        assert value is getattr(import_module(module, "fagkonferanse"), attribute), name
    assert set(fagkonferanse.__all__) <= set(dir(fagkonferanse))


def test_stands_stays_the_function_after_its_subpackage_is_imported():
    result = run_python("import fagkonferanse.stands.models, fagkonferanse\n"
                        "from fagkonferanse import stands\n"
                        "print(stands.__module__, fagkonferanse.stands is stands)")
    assert result.stdout.split() == ["fagkonferanse.stands.services", "True"], result.stderr


def test_an_unknown_name_is_an_attribute_error():
    try:
        fagkonferanse.no_such_name  # noqa: B018
    except AttributeError as error:
        assert str(error) == "module 'fagkonferanse' has no attribute 'no_such_name'"
    else:
        raise AssertionError("no AttributeError")


def test_importing_the_face_loads_neither_flask_nor_the_database_layer():
    result = run_python("import sys, fagkonferanse\n"
                        "print(sorted(name for name in ('flask', 'sqlalchemy', 'weasyprint') if name in sys.modules))")
    assert result.stdout.strip() == "[]", result.stderr


def test_a_command_loads_no_heavy_library_and_collects_garbage_again(tmp_path):
    code = ("import atexit, gc, sys\n"
            f"heavy = {HEAVY!r}\n"
            "atexit.register(lambda: print('loaded:', sorted(name for name in heavy if name in sys.modules),"
            " 'gc:', gc.isenabled(), file=sys.stderr))\n"
            "sys.argv[0] = 'fagkonferanse'\n"
            "from fagkonferanse.__main__ import main\n"
            "main()\n")
    result = run_python(code, "--instance", str(tmp_path / "instance"), "plugins")
    assert result.returncode == 0, result.stderr
    assert "fagkonferanse_plugins.badges" not in result.stdout  # listed by short name
    assert "badges  [built-in]" in result.stdout
    assert result.stderr.strip().splitlines()[-1] == "loaded: [] gc: True"


def test_another_package_s_flask_command_is_still_there(tmp_path):
    command = [os.path.join(os.path.dirname(sys.executable), "fagkonferanse"), "--instance", str(tmp_path / "i")]
    limiter = subprocess.run([*command, "limiter", "--help"], capture_output=True, text=True, timeout=120)
    assert limiter.returncode == 0, limiter.stderr
    assert "Flask-Limiter" in limiter.stdout
    unknown = subprocess.run([*command, "no-such-command"], capture_output=True, text=True, timeout=120)
    assert unknown.returncode == 2
    assert "No such command 'no-such-command'" in unknown.stderr
