"""A non-editable install works: the wheel carries templates, plugins, data and translations."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
                   cwd=ROOT, check=True, capture_output=True)
    return next(out.glob("fagkonferanse-*.whl"))


def test_wheel_carries_everything_the_site_needs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "fagkonferanse/templates/base.html",
        "fagkonferanse/templates/stands/index.html",
        "fagkonferanse/static/style.css",
        "fagkonferanse/data/conference_2016.json",
        "fagkonferanse/migrations/alembic.ini",
        "fagkonferanse/migrations/env.py",
        "fagkonferanse/translations/en/LC_MESSAGES/messages.mo",
    ):
        assert required in names, required
    assert any(name.startswith("fagkonferanse/builtin_plugins/") for name in names)
    assert not any(name.startswith("fagkonferanse/instance") or "/tests/" in name for name in names)


def test_installed_wheel_initialises_and_serves_the_conference(wheel, tmp_path):
    unpacked = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(unpacked)
    script = (
        "import fagkonferanse, sys\n"
        "assert fagkonferanse.__file__.startswith(sys.argv[1]), fagkonferanse.__file__\n"
        "from fagkonferanse.cli import main\n"
        "sys.argv = ['fagkonferanse', '--instance', 'inst', 'init']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "app = fagkonferanse.create_app(instance_path='inst')\n"
        "page = app.test_client().get('/stands').get_data(as_text=True)\n"
        "assert 'Trappegangen i 3. etasje' in page, page\n"
        "print('ok')\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("FAGKONFERANSE_")}
    env["PYTHONPATH"] = str(unpacked)
    result = subprocess.run([sys.executable, "-c", script, str(unpacked)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")
