"""Writing one JSON document: compact for scripts and pipes, indented on a terminal, with long
lists written a slice at a time as their items come.

A document is plain JSON data (dicts, lists, strings, numbers, None), except that the value of
a dict key (or the document itself) may be any other iterable, such as a generator over a
database cursor: it is written as a JSON list without ever being held whole. Everything is
encoded by ``json``'s C encoder (compact) in slices of ``SLICE`` items, so that neither the
pure-Python encoder, which ``indent`` selects, nor a second copy of a national list costs
anything on the path scripts take. Both layouts give the bytes ``json.dumps`` would give for
the same data.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable

SLICE = 2000  # list items encoded per call: large enough to amortise the call, small in memory


def write_json(document, write: Callable[[str], object], *, indent: int | None = None,
               ensure_ascii: bool = False) -> None:
    """Write ``document`` and a newline through ``write``: compact when ``indent`` is None,
    else as ``json.dumps(document, indent=indent)`` lays it out; all-ASCII (``\\u`` escapes)
    with ``ensure_ascii``, for a stream that cannot carry all of Unicode."""
    if indent is None:
        encode = json.JSONEncoder(ensure_ascii=ensure_ascii, separators=(",", ":"),
                                  check_circular=False).encode
    else:
        encode = json.JSONEncoder(ensure_ascii=ensure_ascii, indent=indent).encode
    _Writer(write, encode, indent, ensure_ascii).value(document, 0)
    write("\n")


_NATIVE = (list, tuple, dict, str, bytes)


def _lazy(value) -> bool:
    """Whether ``value`` is a list to stream: iterable, but not one ``json`` encodes itself."""
    return isinstance(value, Iterable) and not isinstance(value, _NATIVE)


def _streams(value) -> bool:
    """Whether ``value`` is, or holds as a dict value at any depth, a list to stream."""
    if _lazy(value):
        return True
    return isinstance(value, dict) and any(_streams(item) for item in value.values())


class _Writer:
    def __init__(self, write: Callable[[str], object], encode: Callable[[object], str],
                 indent: int | None, ensure_ascii: bool = False):
        self.write = write
        self.encode = encode
        self.indent = indent
        self.ensure_ascii = ensure_ascii

    def _nested(self, text: str, level: int) -> str:
        """Text encoded at the top level, moved in to ``level`` (strings in JSON hold no raw
        newline, so every newline is a line break of the layout)."""
        if self.indent is None or level == 0:
            return text
        return text.replace("\n", "\n" + " " * (self.indent * level))

    def _break(self, level: int) -> str:
        return "" if self.indent is None else "\n" + " " * (self.indent * level)

    def value(self, value, level: int) -> None:
        if _lazy(value):
            self.items(iter(value), level)
        elif isinstance(value, dict) and _streams(value):
            self.members(value, level)
        else:
            self.write(self._nested(self.encode(value), level))

    def members(self, document: dict, level: int) -> None:
        colon = ":" if self.indent is None else ": "
        self.write("{")
        for position, (key, item) in enumerate(document.items()):
            self.write(("," if position else "") + self._break(level + 1)
                       + json.dumps(str(key), ensure_ascii=self.ensure_ascii) + colon)
            self.value(item, level + 1)
        self.write(self._break(level) + "}" if document else "}")

    def items(self, items, level: int) -> None:
        wrote = False
        while part := list(itertools.islice(items, SLICE)):
            text = self.encode(part)
            if self.indent is None:
                inner = text[1:-1]
            else:  # "[" + a line per item, one level in + "\n]"
                inner = text[1:-2]
            self.write(("," if wrote else "[") + self._nested(inner, level))
            wrote = True
        self.write((self._break(level) + "]") if wrote else "[]")
