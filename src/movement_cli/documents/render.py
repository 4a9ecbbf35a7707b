"""Rendering a document from its template: docx through docxtpl, Markdown through Jinja.

Templates are found by file name in a list of folders, first match wins: the locality's
``templates_dir`` first, then the bundled ones. jinja2 and docxtpl are imported only when a
document is rendered, so the CLI starts fast.

Each template is read and compiled once per process: docx template bytes are kept by path
(and reloaded when the file changes), and the Jinja environment used for docx caches the
compiled template of every XML part, which docxtpl would otherwise compile on every render.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from movement_cli.documents.formatting import output_name
from movement_cli.errors import MovementError
from movement_cli.i18n import N_, message_of

FORMATS = ("docx", "md")
# Context keys that come from the configuration, for the hint in a missing-value error.
CONFIG_KEYS = {
    "issuer": "authority",
    "authority": "authority",
    "signer": "signer",
    "recipients": "recipients",
}

_docx_sources: dict[str, tuple[int, int, bytes]] = {}
_docx_env: Any = None
_md_envs: dict[tuple[str, ...], Any] = {}
_undefined: Any = None


def template_dirs(templates_dir: str | os.PathLike | None = None) -> list[Path]:
    """The folders searched for templates: the locality's ``templates_dir`` (if any), then
    the bundled templates."""
    from movement_cli.resources import bundled

    dirs = [Path(templates_dir).expanduser()] if templates_dir else []
    return dirs + [bundled("templates")]


def template_file_name(doc: str, fmt: str) -> str:
    return f"{doc}.docx" if fmt == "docx" else f"{doc}.md.j2"


def find_template(name: str, dirs: list[Path]) -> Path:
    for folder in dirs:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(d) for d in dirs) or N_("(no folder)")
    raise MovementError(N_("template {name}: not found in {searched}", name=name,
                           searched=searched))


def output_path(
    out_dir: str | os.PathLike,
    year: int,
    doc: str,
    fmt: str,
    code: str | None = None,
    name: str | None = None,
    *,
    distinguish: bool = False,
) -> Path:
    """Where a document goes: ``out_dir/{year}-{doc}[-{code}-{slug}].{fmt}``, always inside
    ``out_dir`` whatever the code and name hold."""
    folder = Path(out_dir).resolve()
    path = (folder / output_name(year, doc, code, name, fmt, distinguish=distinguish)).resolve()
    if path.parent != folder:
        raise MovementError(N_("refusing to write {path}: outside {folder}", path=path,
                               folder=folder))
    return path


def render(
    doc: str,
    context: dict,
    fmt: str,
    out_path: str | os.PathLike,
    template_dirs: list[Path],
) -> Path:
    """Render ``doc`` with ``context`` as ``fmt`` ("docx" or "md") into ``out_path``.

    The document is rendered in memory and written through a temporary file in the same
    folder, then moved into place: an error leaves neither a partial file nor a stray
    temporary one. A value the template needs that the context lacks raises MovementError
    "template NAME: missing value 'KEY'".
    """
    out = Path(out_path)
    with all_or_none() as write:
        write(out, render_bytes(doc, context, fmt, template_dirs))
    return out


def render_bytes(doc: str, context: dict, fmt: str, template_dirs: list[Path]) -> bytes:
    """The file ``render`` would write, as bytes."""
    if fmt not in FORMATS:
        raise MovementError(N_("unknown format {fmt!r}: use docx or md", fmt=fmt))
    name = template_file_name(doc, fmt)
    dirs = [Path(d) for d in template_dirs]
    if fmt == "docx":
        return _render_docx(name, find_template(name, dirs), context)
    find_template(name, dirs)
    return _render_md(name, dirs, context).encode("utf-8")


@contextmanager
def all_or_none() -> Iterator[Callable[[Path, bytes], None]]:
    """Files written through the yielded ``write(path, data)`` appear together when the block
    ends without an error, or not at all.

    Each is first written to a temporary file beside its place; at the end, once every place
    is checked to be free of a folder, all are moved in by renames. On an error the temporary
    files are removed, and a file that existed before keeps its old content: a failed
    re-render does not leave a set of documents half old, half new.
    """
    staged: list[tuple[str, Path]] = []

    def write(path: Path, data: bytes) -> None:
        staged.append((_write_temporary(path, data), path))

    try:
        yield write
        for _, path in staged:
            if path.is_dir():
                raise MovementError(N_("cannot write {path}: a folder has that name", path=path))
    except BaseException:
        for temporary, _ in staged:
            _remove(temporary)
        raise
    moved = 0
    try:
        for temporary, path in staged:
            os.replace(temporary, path)
            moved += 1
    finally:
        for temporary, _ in staged[moved:]:
            _remove(temporary)


def render_text(doc: str, context: dict, template_dirs: list[Path]) -> str:
    """The Markdown rendering as a string (for review and tests)."""
    name = template_file_name(doc, "md")
    dirs = [Path(d) for d in template_dirs]
    find_template(name, dirs)
    return _render_md(name, dirs, context)


def _undefined_class() -> Any:
    """StrictUndefined whose message names the full key path of the missing value."""
    global _undefined
    if _undefined is None:
        from jinja2 import StrictUndefined
        from jinja2.utils import missing

        class MissingValue(StrictUndefined):
            __slots__ = ()

            @property
            def _undefined_message(self) -> str:
                if self._undefined_hint:
                    return self._undefined_hint
                key = str(self._undefined_name)
                owner = self._undefined_obj
                if owner is not missing:
                    path = getattr(owner, "key_path", None)
                    if isinstance(self._undefined_name, int):
                        key = f"{path or ''}[{key}]"
                    elif path:
                        key = f"{path}.{key}"
                return N_("missing value '{key}'", key=key)

        _undefined = MissingValue
    return _undefined


def _template_error(name: str, exc: Exception) -> MovementError:
    from jinja2 import TemplateSyntaxError, UndefinedError

    if isinstance(exc, UndefinedError):
        message = str(exc)
        match = re.search(r"missing value '([^']+)'", message)
        hint = ""
        if match:
            key = match.group(1)
            message = N_("missing value '{key}'", key=key)
            head, _, rest = key.partition(".")
            if head in CONFIG_KEYS:
                config_key = ".".join(filter(None, (CONFIG_KEYS[head], rest)))
                hint = N_(" (set it with: movement config set {config_key} ...)",
                          config_key=config_key)
            else:
                hint = N_(" (the template uses a value the tool does not provide: check it)")
        return MovementError(N_("template {name}: {message}{hint}", name=name, message=message,
                                hint=hint))
    if isinstance(exc, TemplateSyntaxError):
        where = ""
        around = getattr(exc, "docx_context", None)
        if around is not None:
            text = " ".join(" ".join(around).split())
            where = N_(" near “{text}”", text=text[:120])
        elif exc.lineno:
            where = N_(" (line {line})", line=exc.lineno)
        return MovementError(N_("template {name}: syntax error{where}: {message}", name=name,
                                where=where, message=exc.message))
    return MovementError(N_("template {name}: {exc}", name=name, exc=message_of(exc)))


def _md_env(dirs: list[Path]) -> Any:
    key = tuple(str(d) for d in dirs)
    env = _md_envs.get(key)
    if env is None:
        from jinja2 import Environment, FileSystemLoader

        env = Environment(
            loader=FileSystemLoader([str(d) for d in dirs]),
            undefined=_undefined_class(),
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        _md_envs[key] = env
    return env


def _render_md(name: str, dirs: list[Path], context: dict) -> str:
    from jinja2 import TemplateError, TemplateNotFound

    env = _md_env(dirs)
    try:
        return env.get_template(name).render(context)
    except TemplateNotFound as exc:
        raise MovementError(N_("template {name}: includes {name2}, which is not found", name=name,
                               name2=exc.name)) from exc
    except TemplateError as exc:
        raise _template_error(name, exc) from exc


def _docx_environment() -> Any:
    """The Jinja environment for docx: autoescaped (values become XML text), strict, and
    caching the compiled template of each XML source docxtpl hands it."""
    global _docx_env
    if _docx_env is None:
        from jinja2 import Environment

        class CompilingOnce(Environment):
            def __init__(self, **options: Any):
                super().__init__(**options)
                self.compiled: dict[str, Any] = {}

            def from_string(self, source, globals=None, template_class=None):  # noqa: A002
                if globals is not None or template_class is not None or not isinstance(source, str):
                    return super().from_string(source, globals, template_class)
                template = self.compiled.get(source)
                if template is None:
                    if len(self.compiled) >= 256:
                        self.compiled.clear()
                    template = super().from_string(source)
                    self.compiled[source] = template
                return template

        _docx_env = CompilingOnce(autoescape=True, undefined=_undefined_class())
    return _docx_env


def _docx_source(path: Path) -> bytes:
    stat = path.stat()
    key = str(path.resolve())
    cached = _docx_sources.get(key)
    if cached and cached[0] == stat.st_mtime_ns and cached[1] == stat.st_size:
        return cached[2]
    data = path.read_bytes()
    _docx_sources[key] = (stat.st_mtime_ns, stat.st_size, data)
    return data


def _render_docx(name: str, path: Path, context: dict) -> bytes:
    import zipfile

    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    try:
        template = DocxTemplate(io.BytesIO(_docx_source(path)))
        template.render(context, _docx_environment())
        buffer = io.BytesIO()
        template.save(buffer)
    except TemplateError as exc:
        raise _template_error(name, exc) from exc
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise MovementError(N_("template {name}: not a usable Word document ({exc})", name=name,
                               exc=message_of(exc))) from exc
    return buffer.getvalue()


def _write_temporary(path: Path, data: bytes) -> str:
    """Write ``data`` to a new temporary file in ``path``'s folder; return its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o666 & ~_umask())
    except BaseException:
        _remove(temporary)
        raise
    return temporary


def _remove(name: str) -> None:
    try:
        os.unlink(name)
    except FileNotFoundError:
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
