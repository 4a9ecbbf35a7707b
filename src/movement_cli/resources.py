"""Where the bundled criteria, templates and examples live.

In a wheel they are inside the package (``movement_cli/_bundled``); in a source checkout
(editable install, tests) they are the top-level folders of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """The bundled folder ``criteria``, ``templates`` or ``examples``."""
    inside = _PACKAGE / "_bundled" / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent.parent / name
