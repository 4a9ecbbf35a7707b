"""Every test runs against a database in its own temporary folder: no test touches a real
database, and "today" is pinned so results do not depend on the calendar."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
if not SHARED_DATA.is_dir():  # CI checks out the project alone: use the bundled copy
    SHARED_DATA = Path(__file__).resolve().parents[1] / "examples" / "hue"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("MOVEMENT_DB", str(tmp_path / "movement.db"))
    monkeypatch.setenv("MOVEMENT_TODAY", "2024-01-17")
    monkeypatch.delenv("MOVEMENT_LOG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    yield tmp_path


class Cli:
    """Runs `movement` in-process and keeps stdout and stderr apart."""

    def __init__(self):
        from movement_cli.cli.main import app

        self.app = app
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int | None = 0, input: str | None = None):
        result = self.runner.invoke(self.app, [str(a) for a in args], input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        if code is not None:
            assert result.exit_code == code, (
                f"exit {result.exit_code} != {code}\nstdout:\n{result.stdout}\n"
                f"stderr:\n{result.stderr}"
            )
        return result

    def json(self, *args: str, code: int | None = 0):
        result = self(*args, "--json", code=code)
        return json.loads(result.stdout)


@pytest.fixture
def cli():
    return Cli()


@pytest.fixture
def db(cli):
    cli("init")
    return Path(os.environ["MOVEMENT_DB"])


def hue_file(name: str) -> Path:
    return SHARED_DATA / name


@pytest.fixture
def hue_2024(cli, db):
    """The Huế 2024 roster imported as ../shared/data/README.md says."""
    cli("units", "import", hue_file("hue-2024-authorities.csv"))
    cli("units", "import", hue_file("hue-2024-communes.csv"), "--as-of", "2021-07-01")
    cli("units", "import", hue_file("hue-2024-agencies.csv"), "--as-of", "2021-07-01")
    return db
