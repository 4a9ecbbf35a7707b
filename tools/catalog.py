"""The message catalogue, kept with Babel (a development tool, not a runtime dependency).

    python tools/catalog.py update    # extract every marked string into the .po
    python tools/catalog.py compile   # the .mo that ships inside the package
    python tools/catalog.py check     # exit 1 when a string lacks its translation

What is extracted: the strings of ``src/movement_cli`` marked with ``_``, ``N_`` or
``ngettext`` (Babel's Python extractor), and every help text of the command tree (command
docstrings, ``help=`` of options and arguments), read from the tree itself so that a new
option's help can never be left out. Tests run the same extraction.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "movement_cli"
PO = PACKAGE / "locale" / "vi" / "LC_MESSAGES" / "movement.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _tree_help_texts():
    """(English help text, where) for every help text of ``movement``'s command tree."""
    sys.path.insert(0, str(ROOT / "src"))
    import typer

    from movement_cli.cli.language import help_texts
    from movement_cli.cli.main import app

    for owner, attribute, text in help_texts(typer.main.get_command(app)):
        yield text, f"{type(owner).__name__} {getattr(owner, 'name', '')} {attribute}"


def extract():
    """A Babel catalogue template of every user-facing string."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    template = Catalog(project="movement", domain="movement", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE, keywords=KEYWORDS, comment_tags=("Translators:",),
            strip_comment_tags=True):
        template.add(message, locations=[(f"src/movement_cli/{filename}", lineno)],
                     auto_comments=comments, context=context)
    for text, where in _tree_help_texts():
        existing = template.get(text)
        if existing is None:
            template.add(text, auto_comments=[f"help: {where}"])
    return template


def read_po():
    from babel.messages.pofile import read_po

    with PO.open("rb") as file:
        return read_po(file, locale="vi", domain="movement")


def update() -> None:
    """Add new strings to the .po (untranslated), drop strings the code no longer has."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = read_po() if PO.exists() else Catalog(
        locale="vi", domain="movement", project="movement", fuzzy=False,
        header_comment="# Vietnamese messages of movement. Terms as fixed in docs/glossary.md.\n#",
        last_translator="movement", language_team="movement")
    catalog.update(extract(), no_fuzzy_matching=True, update_creation_date=False)
    PO.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, ignore_obsolete=True,
             include_lineno=False)
    PO.write_bytes(buffer.getvalue())


def compiled(catalog) -> bytes:
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def compile_mo() -> None:
    MO.write_bytes(compiled(read_po()))


def missing() -> list[str]:
    """The extracted strings that the .po does not translate."""
    catalog = read_po()
    problems = []
    for message in extract():
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        strings = entry.string if entry is not None else None
        if isinstance(strings, tuple):
            strings = strings[0]
        if entry is None or not strings or entry.fuzzy:
            problems.append(message.id if isinstance(message.id, str) else message.id[0])
    return problems


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "check"
    if action == "update":
        update()
        print(f"updated {PO.relative_to(ROOT)}")
    elif action == "compile":
        compile_mo()
        print(f"compiled {MO.relative_to(ROOT)}")
    elif action == "check":
        gaps = missing()
        for gap in gaps:
            print(f"untranslated: {gap!r}")
        sys.exit(1 if gaps else 0)
    else:
        sys.exit(f"unknown action {action!r}: update, compile or check")
