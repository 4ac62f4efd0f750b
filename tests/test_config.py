"""Configuration comes from the instance folder and the environment, in that order."""

from __future__ import annotations

import pytest

from fagkonferanse import create_app
from fagkonferanse.config import ConfigError


def test_defaults_use_sqlite_in_the_instance_and_generate_a_secret_key(tmp_path, monkeypatch):
    for name in ("FAGKONFERANSE_DATABASE_URL", "FAGKONFERANSE_SECRET_KEY", "FAGKONFERANSE_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    app = create_app(instance_path=tmp_path)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'fagkonferanse.db'}"
    key = (tmp_path / "secret_key").read_text().strip()
    assert app.config["SECRET_KEY"] == key and len(key) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert create_app(instance_path=tmp_path).config["SECRET_KEY"] == key  # kept, not regenerated


def test_config_toml_then_environment(tmp_path, monkeypatch):
    (tmp_path / "config.toml").write_text(
        'base_url = "https://konferanse.example.no/"\ndatabase_url = "sqlite:///from-toml.db"\n'
    )
    app = create_app(instance_path=tmp_path)
    assert app.config["BASE_URL"] == "https://konferanse.example.no"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///from-toml.db"
    monkeypatch.setenv("FAGKONFERANSE_DATABASE_URL", "sqlite:///from-env.db")
    monkeypatch.setenv("FAGKONFERANSE_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("FAGKONFERANSE_BASE_URL", "https://env.example.no")
    app = create_app(instance_path=tmp_path)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///from-env.db"
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["BASE_URL"] == "https://env.example.no"


def test_config_py_is_read_too(tmp_path):
    (tmp_path / "config.py").write_text('BASE_URL = "https://py.example.no"\n')
    assert create_app(instance_path=tmp_path).config["BASE_URL"] == "https://py.example.no"


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("config.toml", "base_url = [", "config.toml"),
        ("config.toml", 'base_url = "ftp://x"', "BASE_URL must start with http"),
        ("config.py", "BASE_URL = undefined_name", "config.py: NameError"),
        ("config.toml", 'plugin_folders = "not-a-list"', "PLUGIN_FOLDERS must be a list"),
        ("config.toml", 'sqlite_synchronous = "off"', "SQLITE_SYNCHRONOUS must be one of normal, full, extra"),
        # "now minus 10**12 hours" overflowed on every print-centre visit; 0 or less deletes at once.
        ("config.toml", "print_job_keep_hours = 1e12", r"PRINT_JOB_KEEP_HOURS must be a number of hours above 0 "
                                                       r"and at most 8784 \(a year\), not 1000000000000.0"),
        ("config.toml", "print_job_keep_hours = 0", "PRINT_JOB_KEEP_HOURS must be a number of hours above 0"),
        ("config.toml", 'print_job_keep_hours = "ett døgn"', "PRINT_JOB_KEEP_HOURS must be a number of hours"),
        ("config.toml", "print_job_keep_hours = nan", "PRINT_JOB_KEEP_HOURS must be a number of hours"),
    ],
)
def test_broken_config_names_the_problem(tmp_path, filename, content, message):
    (tmp_path / filename).write_text(content)
    with pytest.raises(ConfigError, match=message):
        create_app(instance_path=tmp_path)


@pytest.mark.parametrize(("setting", "pragma"), [(None, 1), ("full", 2), ("EXTRA", 3)])
def test_sqlite_commits_wait_for_the_disk_only_when_asked(tmp_path, monkeypatch, setting, pragma):
    """``normal`` (1) by default: commits survive a killed server; ``full``/``extra`` also a power cut."""
    from fagkonferanse.extensions import db

    monkeypatch.delenv("FAGKONFERANSE_DATABASE_URL", raising=False)
    monkeypatch.delenv("FAGKONFERANSE_SQLITE_SYNCHRONOUS", raising=False)
    if setting:
        (tmp_path / "config.toml").write_text(f'sqlite_synchronous = "{setting}"\n')
    app = create_app(instance_path=tmp_path)
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == pragma
        db.engine.dispose()
