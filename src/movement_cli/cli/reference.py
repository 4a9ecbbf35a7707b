"""The CLI reference in the README, generated from the commands' own help.

    python -m movement_cli.cli.reference README.md   # rewrite the block in place

A test fails when the README's block differs from what this generates.
"""

from __future__ import annotations

import sys
from pathlib import Path

BEGIN = "<!-- cli-reference:begin -->"
END = "<!-- cli-reference:end -->"


def _walk(command, ctx, path):
    yield path, command.get_help(ctx).rstrip()
    for name in getattr(command, "list_commands", lambda _ctx: [])(ctx):
        sub = command.get_command(ctx, name)
        if sub is None or getattr(sub, "hidden", False):
            continue
        sub_ctx = sub.context_class(sub, info_name=name, parent=ctx)
        yield from _walk(sub, sub_ctx, [*path, name])


def generate() -> str:
    import typer

    from movement_cli.cli.main import app

    command = typer.main.get_command(app)
    ctx = command.context_class(command, info_name="movement", terminal_width=100,
                                max_content_width=100)
    parts = []
    for path, text in _walk(command, ctx, ["movement"]):
        parts.append(f"### `{' '.join(path)}`\n\n```text\n{text}\n```\n")
    return "\n".join(parts)


def block() -> str:
    return f"{BEGIN}\n{generate()}{END}"


def rewrite(readme: Path) -> bool:
    text = readme.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    new = text[:start] + block() + text[end:]
    changed = new != text
    if changed:
        readme.write_text(new, encoding="utf-8")
    return changed


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    print("rewrote" if rewrite(target) else "unchanged", target)
