"""JSON and YAML files holding a list of objects, one per row."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from movement_cli.errors import BadInput, InputProblem
from movement_cli.i18n import N_, message_of
from movement_cli.ingest.readers.table import (
    HeaderMatcher,
    Table,
    bad,
    cannot_read,
    cell_text,
    in_blocks,
)


def open_objects(path: Path, file: str, headers: HeaderMatcher, *, yaml: bool) -> Table:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise cannot_read(file, error) from None
    items = _load_yaml(data, file) if yaml else _load_json(data, file)
    kind = "YAML" if yaml else "JSON"
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise bad(file, 0, "", _not_a_list(items, kind))
    if not items:
        raise bad(file, 0, "", N_("the {kind} list is empty; there is nothing to read", kind=kind))

    keys: dict[str, int] = {}
    problems: list[InputProblem] = []
    objects: list[dict[str, Any]] = []
    for number, item in enumerate(items, 1):
        obj: dict[str, Any] = {}
        for key, value in item.items():
            name = cell_text(key)
            if isinstance(value, (dict, list)):
                problems.append(
                    InputProblem(
                        file=file,
                        row=number,
                        column=name,
                        message=(
                            N_("the value of {name!r} is a nested {value}; give a single value "
                               "(text, number or date)", name=name,
                               value=N_("list") if isinstance(value, list) else N_("object"))
                        ),
                    )
                )
                continue
            keys.setdefault(name, len(keys))
            obj[name] = value
        objects.append(obj)
    if problems:
        raise BadInput(problems)
    header = list(keys)
    if not headers.names_required(header):
        raise headers.missing_columns(file, 0, header)
    rows = (
        (number, [cell_text(obj.get(key)) for key in header])
        for number, obj in enumerate(objects, 1)
    )
    rows = ((number, row) for number, row in rows if any(row))
    return headers.table(path, file, 0, header, in_blocks(rows), [])


def _not_a_list(items: Any, kind: str) -> str:
    example = '[{"code": "19750", "name": "Phường Tây Lộc", ...}, ...]'
    if kind == "YAML":
        example = "- code: '19750'\n  name: Phường Tây Lộc"
    if isinstance(items, list):
        position = next(i for i, item in enumerate(items, 1) if not isinstance(item, dict))
        found = N_("item {position} is {what}", position=position,
                   what=_kind_of(items[position - 1]))
    else:
        found = N_("the file holds {what}", what=_kind_of(items))
    return N_("expected a list of objects, one per row, but {found}; write it as {example}",
              found=found, example=example)


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return N_("an object")
    if isinstance(value, list):
        return N_("a list")
    if value is None:
        return N_("nothing")
    if isinstance(value, str):
        return N_("text")
    return N_("a single value")


def _load_json(data: bytes, file: str) -> Any:
    import json

    try:
        return json.loads(data)
    except json.JSONDecodeError as error:
        raise bad(
            file,
            0,
            "",
            N_("not valid JSON: {msg} at line {lineno}, column {colno}", msg=error.msg,
               lineno=error.lineno, colno=error.colno),
        ) from None
    except UnicodeDecodeError:
        raise bad(file, 0, "", N_("a JSON file must be UTF-8; save it again as UTF-8")) from None


def _load_yaml(data: bytes, file: str) -> Any:
    import yaml

    try:
        return yaml.load(data, Loader=_text_loader())
    except yaml.MarkedYAMLError as error:
        from movement_cli.yaml_files import pyyaml_problem

        mark = error.problem_mark
        where = N_(" at line {line}, column {column}", line=mark.line + 1,
                   column=mark.column + 1) if mark else ""
        raise bad(file, 0, "", N_("not valid YAML: {problem}{where}",
                                  problem=pyyaml_problem(error.problem or ""),
                                  where=where)) from None
    except yaml.YAMLError as error:
        raise bad(file, 0, "", N_("not valid YAML: {error}", error=message_of(error))) from None


@functools.cache
def _text_loader() -> Any:
    """A safe YAML loader that keeps plain scalars as the text written, except null: a code
    01234 must not become the octal number 668, nor "No" become false."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    keep = {"tag:yaml.org,2002:null", "tag:yaml.org,2002:merge"}
    resolvers = {
        first: [(tag, regexp) for tag, regexp in entries if tag in keep]
        for first, entries in base.yaml_implicit_resolvers.items()
    }
    return type("TextLoader", (base,), {"yaml_implicit_resolvers": resolvers})
