"""Finding the criteria files in use, reading them, and checking them against their schema.

The bundled folder comes first, then each locality folder (config ``criteria_dir``) in
order. Files live in one folder per file kind (``selection/hue-593.yaml``); a later file with
the same folder and name (``.yaml`` or ``.yml``) overrides an earlier one.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from movement_cli.criteria.schema import FILE_KINDS, check_document
from movement_cli.errors import BadInput, InputProblem
from movement_cli.i18n import N_, system_words
from movement_cli.resources import bundled
from movement_cli.text import normalize

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class CriteriaFile:
    """A criteria file in use. ``overrides`` is the file it replaces (same folder and name
    in an earlier criteria folder), if any; ``id`` is None when the file cannot be read."""

    path: Path
    kind: str
    id: str | None
    origin: str
    overrides: Path | None = None
    status: str | None = None
    # Model-unit sets: the kinds the set applies to, whether its list is complete, and the
    # official list's size when known.
    applies_to: tuple[str, ...] | None = None
    complete: bool | None = None
    official_size: int | None = None
    listed: int | None = None

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "id": self.id,
            "path": str(self.path.resolve()),
            "origin": self.origin,
            "overrides": str(self.overrides.resolve()) if self.overrides else None,
            "status": self.status,
            "applies_to": list(self.applies_to) if self.applies_to is not None else None,
            "complete": self.complete,
            "official_size": self.official_size,
            "listed": self.listed,
        }


@dataclass(frozen=True)
class Parsed:
    """A file read and parsed: the document (None when unreadable), its problems and the
    SHA-256 of its bytes."""

    data: object
    problems: tuple[InputProblem, ...]
    sha256: str | None


def _normalized(value: object) -> object:
    if isinstance(value, str):
        return normalize(value)
    if isinstance(value, list):
        return [_normalized(item) for item in value]
    if isinstance(value, dict):
        return {_normalized(key): _normalized(item) for key, item in value.items()}
    return value


def read(path: Path) -> Parsed:
    """Read and parse one YAML file; syntax errors carry their line.

    One command loads several criteria kinds, each of which discovers every file: a file is
    parsed once per process and version (its size and modification time), and each caller
    gets its own copy of the data.
    """
    try:
        stat = path.stat()
        version = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        return _read(path)
    parsed = _read_cached(version, path)
    return Parsed(copy.deepcopy(parsed.data), parsed.problems, parsed.sha256)


@lru_cache(maxsize=256)
def _read_cached(version: tuple, path: Path) -> Parsed:
    return _read(path)


def _read(path: Path) -> Parsed:
    from movement_cli import yaml_files

    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Parsed(None, (InputProblem(shown, 0, "", N_("cannot read: {strerror}",
                                                           strerror=system_words(exc))),),
                          None)
    sha256 = hashlib.sha256(raw).hexdigest()
    try:
        data = yaml_files.load(raw)
    except yaml_files.YamlProblem as exc:
        return Parsed(None, (InputProblem(shown, exc.line, "yaml", exc.message),), sha256)
    return Parsed(_normalized(data), (), sha256)


def check_file(path: Path) -> list[InputProblem]:
    """Every problem in one criteria file, as ``FILE: key.path: message`` problems."""
    return checked(Path(path))[1]


def checked(path: Path) -> tuple[Parsed, list[InputProblem]]:
    """The file parsed, and every problem in it."""
    parsed = read(path)
    if parsed.problems:
        return parsed, list(parsed.problems)
    problems = [
        InputProblem(str(path), 0, key, message) for key, message in check_document(parsed.data)
    ]
    kind = parsed.data.get("kind") if isinstance(parsed.data, dict) else None
    folder = path.parent.name
    if folder in FILE_KINDS and isinstance(kind, str) and kind in FILE_KINDS and kind != folder:
        problems.append(
            InputProblem(str(path), 0, "kind", N_("is {kind} but the file is in the folder "
                                                  "{folder}/", kind=kind, folder=folder))
        )
    return parsed, problems


def _expand(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(
                p
                for p in path.rglob("*")
                if p.suffix in SUFFIXES and p.is_file() and not _hidden(p)
            )
        else:
            files.append(path)
    return files


def _hidden(path: Path) -> bool:
    return path.name.startswith((".", "~$"))


def check_paths(paths: Iterable[Path]) -> list[InputProblem]:
    """Check files and folders (every ``.yaml``/``.yml`` below them); an id used by two files
    of the same kind is reported on the later one."""
    problems: list[InputProblem] = []
    ids: dict[tuple[str, str], Path] = {}
    for path in _expand(paths):
        parsed, found = checked(path)
        problems += found
        data = parsed.data
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            key = (str(data.get("kind")), data["id"])
            if key in ids:
                problems.append(
                    InputProblem(str(path), 0, "id", N_("'{id}' is also the id of {value}",
                                                        id=data['id'], value=ids[key]))
                )
            else:
                ids[key] = path
    return problems


def _peek(path: Path) -> dict:
    """What ``criteria list`` shows of a file without checking it: id, status, and for a
    model-unit set its kinds and completeness (None where the file does not say)."""
    data = read(path).data
    if not isinstance(data, dict):
        return {"id": None}

    def text(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) else None

    found: dict = {"id": text("id"), "status": text("status")}
    if data.get("kind") == "model-unit":
        kinds = data.get("applies_to")
        size = data.get("official_size")
        found.update(
            applies_to=tuple(k for k in kinds if isinstance(k, str))
            if isinstance(kinds, list) else None,
            complete=data.get("incomplete") is not True and data.get("status") == "complete",
            official_size=size if isinstance(size, int) and not isinstance(size, bool) else None,
            listed=len(data["items"]) if isinstance(data.get("items"), list) else None,
        )
    return found


def discover(criteria_dirs: Sequence[Path | str] = (),
             kinds: Collection[str] | None = None) -> list[CriteriaFile]:
    """The criteria files in use: bundled ones, then each locality folder's, a later file
    overriding an earlier one with the same folder and name. Sorted by file kind, bundled
    before local. A missing locality folder or a YAML file outside a kind folder is an error.
    ``kinds``: only the files of these kinds (the others are not parsed).
    """
    problems: list[InputProblem] = []
    in_use: dict[tuple[str, str], CriteriaFile] = {}
    roots = [("bundled", bundled("criteria"))] + [("local", Path(d)) for d in criteria_dirs]
    for origin, root in roots:
        if not root.is_dir():
            problems.append(
                InputProblem(
                    str(root), 0, "", N_("criteria folder not found (config key criteria_dir)")
                )
            )
            continue
        here: dict[tuple[str, str], Path] = {}
        for path in _expand([root]):
            relative = path.relative_to(root)
            if len(relative.parts) != 2 or relative.parts[0] not in FILE_KINDS:
                problems.append(
                    InputProblem(
                        str(path),
                        0,
                        "",
                        N_("not in a criteria folder: put it in one of {value}",
                           value=', '.join(f'{kind}/' for kind in FILE_KINDS)),
                    )
                )
                continue
            key = (relative.parts[0], path.stem)
            if key in here:
                problems.append(
                    InputProblem(str(path), 0, "", N_("two files with one name: also {value}",
                                                      value=here[key]))
                )
                continue
            here[key] = path
            if kinds is not None and key[0] not in kinds:
                continue
            previous = in_use.pop(key, None)
            in_use[key] = CriteriaFile(
                path, key[0], origin=origin, overrides=previous.path if previous else None,
                **_peek(path)
            )
    if problems:
        raise BadInput(problems)
    files = list(in_use.values())
    order = {kind: i for i, kind in enumerate(FILE_KINDS)}
    files.sort(key=lambda f: (order[f.kind], f.origin != "bundled"))
    return files
