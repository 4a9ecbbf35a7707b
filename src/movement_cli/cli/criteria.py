"""`movement criteria`: which criteria and policy files are in use, and checking them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from movement_cli.cli.options import Json
from movement_cli.cli.state import Invocation, invocation
from movement_cli.i18n import N_, _

app = typer.Typer(help="List, show and check the criteria and policy files (YAML).",
                  no_args_is_help=True)


def _locality_dirs(run: Invocation) -> list[Path]:
    """The configured criteria_dir when a database exists; none is needed."""
    from movement_cli.workflows.locality import criteria_dirs

    if not run.db_path().is_file():
        return []
    return criteria_dirs(run.open_db(), None)


@app.command("list")
def list_(ctx: typer.Context, json_: Json = False) -> None:
    """List the files in use, bundled and the locality's, and which overrides which.

    Example: movement criteria list
    """
    from movement_cli.criteria import discover

    run = invocation(ctx)
    out = run.out
    files = discover(_locality_dirs(run))
    if json_:
        out.json([f.as_json() for f in files])
        return
    out.table([N_("kind"), N_("id"), N_("origin"), N_("applies to"), N_("complete"), N_("file"),
               N_("overrides")],
              ([f.kind, f.id, f.origin, _applies(f), _completeness(f), str(f.path),
                str(f.overrides or "")] for f in files))


def _applies(file) -> str:
    return ", ".join(file.applies_to) if file.applies_to else ""


def _completeness(file) -> str:
    """"yes", or "no" with how many of the official list it holds: "no (2 of 34 listed)"."""
    if file.complete is None:
        return ""
    if file.complete:
        return _("yes")
    if file.listed is None:
        return _("no")
    if file.official_size:
        return _("no ({listed} of {size} listed)", listed=file.listed, size=file.official_size)
    return _("no ({listed} listed)", listed=file.listed)


@app.command("show")
def show(ctx: typer.Context,
         ident: Annotated[str, typer.Argument(metavar="ID", help="The file's id.")]) -> None:
    """Print one criteria or policy file as it is in use.

    Example: movement criteria show hue-593-2024
    """
    from movement_cli.criteria import discover
    from movement_cli.errors import MovementError

    files = discover(_locality_dirs(invocation(ctx)))
    for file in files:
        if file.id == ident or file.path.stem == ident:
            out = invocation(ctx).out
            out.line(f"# {file.path} ({file.origin})")
            out.line(file.path.read_text(encoding="utf-8-sig", errors="replace").rstrip("\n"))
            return
    raise MovementError(N_("no criteria file with id '{ident}'; known: {value}", ident=ident,
                           value=', '.join(sorted(f.id or f.path.stem for f in files))))


@app.command("check")
def check(ctx: typer.Context,
          path: Annotated[Path | None, typer.Argument(
        help="A file or folder (default: the files in use).", show_default=False)] = None,
          json_: Json = False) -> None:
    """Validate YAML files against their schema; errors as FILE: key.path: message.

    Example: movement criteria check my-criteria/
    """
    from movement_cli.criteria import check_paths, discover
    from movement_cli.errors import BadInput, MovementError

    run = invocation(ctx)
    out = run.out
    if path is not None:
        if not path.exists():
            raise MovementError(N_("{path}: no such file or folder", path=path))
        paths = [path]
    else:
        paths = [f.path for f in discover(_locality_dirs(run))]
    problems = check_paths(paths)
    if problems:
        raise BadInput(problems)
    if json_:
        out.json({"errors": [], "checked": [str(p.absolute()) for p in paths]})
    else:
        out.info(N_("ok: {paths_count} path(s) checked", paths_count=len(paths)))
