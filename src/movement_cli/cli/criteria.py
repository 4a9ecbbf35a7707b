"""`movement criteria`: which criteria and policy files are in use, and checking them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from movement_cli.cli.output import out

app = typer.Typer(help="List, show and check the criteria and policy files (YAML).",
                  no_args_is_help=True)


def _locality_dirs() -> list[Path]:
    """The configured criteria_dir when a database exists; none is needed."""
    from movement_cli.cli.state import db_path, open_db
    from movement_cli.workflows.locality import criteria_dirs

    if not db_path().is_file():
        return []
    return criteria_dirs(open_db(), None)


@app.command("list")
def list_(json_: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False
          ) -> None:
    """List the files in use, bundled and the locality's, and which overrides which.

    Example: movement criteria list
    """
    from movement_cli.criteria import discover

    files = discover(_locality_dirs())
    if json_:
        out.json([f.as_json() for f in files])
        return
    out.table(["kind", "id", "origin", "file", "overrides"],
              ([f.kind, f.id, f.origin, str(f.path), str(f.overrides or "")] for f in files))


@app.command("show")
def show(ident: Annotated[str, typer.Argument(metavar="ID", help="The file's id.")]) -> None:
    """Print one criteria or policy file as it is in use.

    Example: movement criteria show hue-593-2024
    """
    from movement_cli.criteria import discover
    from movement_cli.errors import MovementError

    files = discover(_locality_dirs())
    for file in files:
        if file.id == ident or file.path.stem == ident:
            print(f"# {file.path} ({file.origin})")
            print(file.path.read_text(encoding="utf-8-sig"), end="")
            return
    raise MovementError(f"no criteria file with id '{ident}'; known: "
                        + ", ".join(sorted(f.id or f.path.stem for f in files)))


@app.command("check")
def check(path: Annotated[Path | None, typer.Argument(
        help="A file or folder (default: the files in use).", show_default=False)] = None,
        json_: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False
        ) -> None:
    """Validate YAML files against their schema; errors as FILE: key.path: message.

    Example: movement criteria check my-criteria/
    """
    from movement_cli.criteria import check_paths, discover
    from movement_cli.errors import BadInput, MovementError

    out.json_mode = json_
    if path is not None:
        if not path.exists():
            raise MovementError(f"{path}: no such file or folder")
        paths = [path]
    else:
        paths = [f.path for f in discover(_locality_dirs())]
    problems = check_paths(paths)
    if problems:
        raise BadInput(problems)
    if json_:
        out.json({"errors": [], "checked": [str(p.absolute()) for p in paths]})
    else:
        out.info(f"ok: {len(paths)} path(s) checked")
