"""The one strict YAML reader for the files people write by hand: configuration
(`config load`) and the criteria and policy files.

Safe YAML, and stricter than that, because a silent surprise in these files changes who
is selected or what a document says:
- a key written twice in one mapping is an error (YAML would keep the last one);
- only plain data: text, numbers, true/false, null, dates, lists and mappings — no
  ``!!binary``, ``!!set``, ``!!omap`` or ``!!pairs``;
- a date that does not exist (``2024-02-30``) is an error at its line, not a crash;
- no control characters (beyond tab and line breaks) and no lone surrogates in any text;
- aliases may not expand the document past ``MAX_NODES`` nodes ("billion laughs": a few
  lines that expand to gigabytes), checked before anything is built;
- the file is UTF-8 (with or without BOM), or UTF-16/UTF-32 with a BOM.

Errors are ``YamlProblem`` with the 1-based line (0 when unknown): each caller turns them
into its own ``FILE:ROW: column: message`` report. YAML is imported only when a file is read.
"""

from __future__ import annotations

import codecs
from functools import lru_cache

from movement_cli.i18n import N_, recognise, template_pattern
from movement_cli.text.clean import UNPRINTABLE

# Far beyond any real configuration or criteria file (the bundled ones have a few hundred
# nodes), far below what hurts: a million nodes is a few hundred megabytes once built.
MAX_NODES = 100_000
_FORBIDDEN_TAGS = ("binary", "set", "omap", "pairs")

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


class YamlProblem(ValueError):
    """Why a YAML file cannot be used, and the line where (0: the whole file)."""

    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(N_("line {line}: {message}", line=line, message=message) if line
                         else message)

    def __reduce__(self):
        return (type(self), (self.line, self.message))


# The YAML parser's words (PyYAML's, and libyaml's where the roster reader uses it) for the
# mistakes people make in files they write by hand, as templates, so that they are said in
# the run's language; any other is said as the parser says it. The first that fits is used
# (so "did not find expected key" before "did not find expected {expected}").
_PYYAML_PROBLEMS = (
    N_("mapping values are not allowed here"),
    N_("mapping values are not allowed in this context"),
    N_("did not find expected key"),
    N_("did not find expected {expected}"),
    N_("could not find expected {expected}"),
    N_("expected {expected}, but found {found}"),
    N_("expected {expected}, but got {found}"),
    N_("found character {char} that cannot start any token"),
    N_("found character that cannot start any token"),
    N_("found undefined alias {name}"),
    N_("found undefined alias"),
    N_("found unexpected end of stream"),
    N_("found unknown escape character {char}"),
    N_("found unknown escape character"),
    N_("could not determine a constructor for the tag {tag}"),
)


# Why Python refuses a date, by what it says.
_DATE_REASONS = {str(reason): reason for reason in (N_("day is out of range for month"),
                                                    N_("month must be in 1..12"))}


@lru_cache(maxsize=1)
def _problem_patterns() -> tuple:
    return tuple((template_pattern(m.template), m.template) for m in _PYYAML_PROBLEMS)


def pyyaml_problem(text: str) -> str:
    """PyYAML's description of a problem, as a message in the run's language when it is one
    of the usual ones."""
    return recognise(text, _problem_patterns())


def decode(raw: bytes) -> str:
    """The text of a YAML file: UTF-8, or UTF-16/32 with its BOM; else a YamlProblem that
    names the first line that is not UTF-8."""
    encoding = next((name for bom, name in _BOMS if raw.startswith(bom)), "utf-8")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1 if encoding == "utf-8" else 0
        raise YamlProblem(line, N_("not {encoding} text; save the file as UTF-8",
                                   encoding=encoding.upper().replace("-SIG", ""))) from None


def load(raw: bytes | str) -> object:
    """The data of a YAML document, read strictly (see the module's docstring)."""
    import yaml

    text = decode(raw) if isinstance(raw, bytes) else raw
    fast = _loaders()[1]
    if fast is not None:
        # libyaml reads a file several times faster. Whatever it finds wrong, the file is
        # read again below, by the Python parser, whose words and lines are the ones said.
        try:
            return yaml.load(text, Loader=fast)  # noqa: S506 - a CSafeLoader subclass
        except Exception:  # noqa: BLE001, S110 - every problem is said by the second reading
            pass
    try:
        return yaml.load(text, Loader=_loaders()[0])  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = pyyaml_problem(exc.problem or exc.context or "") or N_("not valid YAML")
        if mark is None:
            raise YamlProblem(0, reason) from None
        raise YamlProblem(mark.line + 1, N_("{reason} (column {column})", reason=reason,
                                            column=mark.column + 1)) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(0, N_("not valid YAML: {reason}", reason=str(exc))) from None
    except RecursionError:
        raise YamlProblem(0, N_("nested too deeply")) from None


def _line(node) -> int:
    return node.start_mark.line + 1 if node.start_mark else 0


@lru_cache(maxsize=1)
def _loaders() -> tuple[type, type | None]:
    """The strict loader on PyYAML's Python parser, and on libyaml's when PyYAML was built
    with it (None otherwise): the same checks, made by the same constructors."""
    import yaml

    class Strict:
        """Safe YAML, strictly: see the module's docstring."""

        def get_single_data(self):
            # The whole document is composed before anything is built: its size is
            # checked in between (libyaml's parser composes it in C, so this is the one
            # place both parsers pass through).
            node = self.get_single_node()
            if node is None:
                return None
            _check_size(node)
            return self.construct_document(node)

        def construct_scalar(self, node):
            value = super().construct_scalar(node)
            bad = UNPRINTABLE.search(value) if isinstance(value, str) else None
            if bad:
                raise YamlProblem(_line(node), N_(
                    "control character or invalid text U+{code:04X} in {value}; remove it",
                    code=ord(bad.group()), value=ascii(value[:40])))
            return value

    def construct_mapping(loader, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if not isinstance(key, (str, int, float, bool)):
                continue
            if key in seen:
                raise YamlProblem(_line(key_node),
                                  N_("key '{key}' is written twice in this mapping", key=key))
            seen.add(key)
        return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)

    def construct_timestamp(loader, node):
        try:
            return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
        except (ValueError, OverflowError) as exc:
            reason = _DATE_REASONS.get(str(exc), str(exc))
            raise YamlProblem(_line(node), N_("{value} is not a date that exists ({reason})",
                                              value=repr(node.value), reason=reason)) from None

    def refuse(loader, node):
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise YamlProblem(_line(node), N_("{tag} values are not accepted here; write plain "
                                          "text, numbers, dates, lists or mappings", tag=tag))

    def strict(base: type) -> type:
        loader = type(f"Strict{base.__name__}", (Strict, base), {})
        loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                               construct_mapping)
        loader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)
        for tag in _FORBIDDEN_TAGS:
            loader.add_constructor(f"tag:yaml.org,2002:{tag}", refuse)
        return loader

    fast = getattr(yaml, "CSafeLoader", None)
    return strict(yaml.SafeLoader), (strict(fast) if fast is not None else None)


def _check_size(root) -> None:
    """Refuse a document whose aliases would expand it past MAX_NODES: each node's expanded
    size is counted once (a node reached again through an alias adds its size again
    without being walked again), so the check itself stays linear in the file."""
    if root is None:
        return
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if not children_done:
            if id(node) in open_nodes:
                raise YamlProblem(_line(node), N_("an alias refers to a value that contains it"))
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        open_nodes.discard(id(node))
        size = 1 + sum(sizes[id(child)] for child in children)
        sizes[id(node)] = size
        if size > MAX_NODES:
            raise YamlProblem(_line(node), N_("aliases expand this document past {count:,} "
                                              "values; write the values out instead of "
                                              "repeating anchors", count=MAX_NODES))


def _children(node) -> list:
    value = node.value
    if not isinstance(value, list):
        return []
    if value and isinstance(value[0], tuple):
        return [part for pair in value for part in pair]
    return value
