"""Every test runs against a database in its own temporary folder: no test touches a real
database, and "today" is pinned so results do not depend on the calendar."""

from __future__ import annotations

import json
import os
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # typer is imported where a test runs the CLI, so that tests that only
    # read the source (test_layers) run with the standard library and pytest alone
    from typer.testing import Result

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
if not SHARED_DATA.is_dir():  # CI checks out the project alone: use the bundled copy
    SHARED_DATA = Path(__file__).resolve().parents[1] / "examples" / "hue"


# Switches of the test suite itself, not of the tool: they survive the clearing below.
TEST_SWITCHES = {"MOVEMENT_UPDATE_GOLDEN"}


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    # Whatever the developer's shell exports (MOVEMENT_SINGLE_PROCESS, MOVEMENT_LANG, …)
    # must not change what a test sees: clear every variable the tool might read, then set
    # the ones every test relies on.
    for name in os.environ:
        if name.startswith("MOVEMENT_") and name not in TEST_SWITCHES:
            monkeypatch.delenv(name)
    monkeypatch.setenv("MOVEMENT_DB", str(tmp_path / "movement.db"))
    monkeypatch.setenv("MOVEMENT_TODAY", "2024-01-17")
    monkeypatch.setenv("NO_COLOR", "1")
    # English unless a test asks for Vietnamese, whatever the machine's locale.
    for name in ("MOVEMENT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    i18n = sys.modules.get("movement_cli.i18n")  # only a test that ran the tool set a language
    if i18n is not None:
        i18n.use("en")


@cache
def movement_command():
    """The Click command tree of `movement`, built once for the whole session: Typer's
    CliRunner.invoke rebuilds it on every call, which took about a third of the suite's
    time. Commands keep no state of their own (each run's state is on its Click context),
    so one tree serves every call."""
    import typer

    from movement_cli.cli.main import app

    return typer.main.get_command(app)


def commands_under(command, path=()):
    """(path, command) of ``command`` and of every command and group below it."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from commands_under(sub, (*path, name))


@pytest.fixture
def two_cpus(monkeypatch):
    """Readers in other processes on any Linux machine, a one-CPU one included."""
    from movement_cli.ingest import pipeline

    monkeypatch.setattr(pipeline, "_second_cpu", lambda: True)


def invoke(args: list[str], input: str | None = None) -> Result:
    """What `typer.testing.CliRunner.invoke` does, on the command built once."""
    from typer.testing import CliRunner, Result

    runner = CliRunner()
    command = movement_command()
    exit_code, exception, exc_info = 0, None, None
    with runner.isolation(input=input) as (stdout, stderr, output):
        try:
            command.main(args=args, prog_name="movement")
        except SystemExit as exc:
            exit_code = exc.code if isinstance(exc.code, int) else (exc.code is not None)
            if exit_code:
                exception, exc_info = exc, sys.exc_info()
        except Exception as exc:
            exit_code, exception, exc_info = 1, exc, sys.exc_info()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        streams = stdout.getvalue(), stderr.getvalue(), output.getvalue()
    return Result(runner, *streams, return_value=None, exit_code=exit_code,
                  exception=exception, exc_info=exc_info)


class Cli:
    """Runs `movement` in-process and keeps stdout and stderr apart."""

    def __call__(self, *args: str, code: int | None = 0, input: str | None = None):
        result = invoke([str(a) for a in args], input=input)
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


@pytest.fixture
def selected_2024(cli, hue_2024, tmp_path):
    """Huế's roster, its two units' 2023 results and the 2024 selection Huế made, confirmed
    (Kế hoạch 593/KH-UBND): Phường Phước Vĩnh and the Women's Union."""
    results = tmp_path / "results-2023.csv"
    results.write_text("code,year,safety,class,score\n19798,2023,dat,xuat_sac,95\n"
                       "CQ002,2023,dat,xuat_sac,92\n", encoding="utf-8")
    cli("assess", "import", results)
    cli("select", "--year", "2024", "--pick", "19798", "--pick", "CQ002", "--confirm",
        "--decision", "593/KH-UBND", code=3)
    return hue_2024


def every_row(db: Path) -> dict:
    """Every row of every table: what a failed run must leave as it was."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: conn.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}
    finally:
        conn.close()


# Windows-1258 has precomposed letters for â ă ê ô ơ ư đ and a few toned ones (à á è é …);
# every other tone is a combining mark after the letter.
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str, *, precomposed: bool = True) -> bytes:
    """Text as Windows-1258 writes it: tones as combining marks after the letter (and, with
    ``precomposed``, the toned letters the code page has as one byte)."""
    import unicodedata

    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        if precomposed:
            try:
                out += char.encode("cp1258")
                continue
            except UnicodeEncodeError:
                pass
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        tones = "".join(c for c in decomposed if c in TONE_MARKS)
        out += (base + tones).encode("cp1258")
    return bytes(out)
