"""`movement config`: the locality's authority, signer, recipients and folders."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from movement_cli.cli.options import Json
from movement_cli.cli.state import invocation
from movement_cli.i18n import N_

app = typer.Typer(help="Set the authority, signer, recipients and the locality's folders.",
                  no_args_is_help=True)

# Not the shared --scope: here it names the unit a value is set for, not a filter.
ScopeOption = Annotated[str | None, typer.Option(
    "--scope", help="Set or read the value for this scope (unit code) only.",
    show_default=False)]


def _scope(db, scope: str | None) -> str | None:
    from movement_cli.errors import MovementError
    from movement_cli.store.units import is_known
    from movement_cli.text import normalize

    if scope is None:
        return None
    scope = normalize(scope)
    if not is_known(db.conn, scope):
        raise MovementError(N_("--scope: no unit with code '{scope}'", scope=scope))
    return scope


@app.command("set")
def set_(ctx: typer.Context,
         key: Annotated[str, typer.Argument(help="e.g. authority.name")],
         value: Annotated[str, typer.Argument(help="The value (lists: '/' or ';' separated).")],
         scope: ScopeOption = None) -> None:
    """Set one value.

    Example: movement config set authority.name "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ"
    """
    from movement_cli.config_keys import check_key, parse_value
    from movement_cli.store import config as store

    key = check_key(key)
    run = invocation(ctx)
    db = run.open_db()
    with db.write():
        changed = store.set_values(db, _scope(db, scope), {key: parse_value(key, value,
                                                                            Path.cwd())})
    run.out.info(N_("{key} set", key=key) if changed else N_("{key} unchanged", key=key))


@app.command("get")
def get(ctx: typer.Context,
        key: Annotated[str, typer.Argument(help="e.g. signer.title")],
        scope: ScopeOption = None) -> None:
    """Print one value (the scope's, else the global one).

    Example: movement config get signer.title --scope 474
    """
    from movement_cli.config_keys import check_key
    from movement_cli.errors import MovementError
    from movement_cli.store import config as store

    key = check_key(key)
    db = invocation(ctx).open_db()
    values = store.get_all(db, _scope(db, scope))
    if key not in values:
        raise MovementError(N_("{key} is not set; set it with: movement config set {key} VALUE",
                               key=key))
    value = values[key]
    invocation(ctx).out.line("\n".join(value) if isinstance(value, list) else value)


@app.command("show")
def show(ctx: typer.Context, scope: ScopeOption = None, json_: Json = False) -> None:
    """Show the effective configuration (scoped values over global ones).

    Example: movement config show --json
    """
    from movement_cli.store import config as store

    run = invocation(ctx)
    out = run.out
    db = run.open_db()
    values = store.get_all(db, _scope(db, scope))
    if json_:
        out.json(values)
        return
    out.table([N_("key"), N_("value")], ((k, " / ".join(v) if isinstance(v, list) else v)
                                 for k, v in values.items()))


@app.command("load")
def load(ctx: typer.Context,
         file: Annotated[Path, typer.Argument(help="A YAML mapping of keys to values.")],
         scope: ScopeOption = None) -> None:
    """Load values from a YAML file (nested or dotted keys).

    Example: movement config load authority.yaml
    """
    from movement_cli.config_keys import read_config_file
    from movement_cli.store import config as store

    values = read_config_file(file)
    run = invocation(ctx)
    db = run.open_db()
    with db.write():
        changed = store.set_values(db, _scope(db, scope), values)
    run.out.info(N_("loaded {file}: {changed} value(s) changed", file=file, changed=changed))
