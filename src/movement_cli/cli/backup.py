"""`movement backup`: a checked copy of the live database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from movement_cli.cli.options import Json
from movement_cli.cli.state import invocation
from movement_cli.i18n import N_


def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The copy to write.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    json_: Json = False,
) -> None:
    """Copy the database while others keep using it; check the copy; mode 0600.

    To restore, copy the backup over the database while no movement process runs.

    Example: movement backup /srv/backup/movement-2024-01-02.db
    """
    from movement_cli.workflows.backup import back_up

    run = invocation(ctx)
    out = run.out
    copy = back_up(run.open_db(), file, force=force)
    if json_:
        out.json({"file": str(copy.file), "bytes": copy.bytes, "sha256": copy.sha256,
                  "integrity": copy.integrity})
    else:
        out.info(N_("wrote {file} ({bytes:,} bytes, integrity ok)", file=copy.file,
                    bytes=copy.bytes))
