"""One strict YAML reader for what people write by hand — `config load` and the criteria
files: duplicate and conflicting keys, non-data tags, impossible dates, control characters,
lone surrogates, other encodings and alias bombs are errors with a line, never a crash."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

BUNDLED = Path(__file__).resolve().parents[1] / "criteria"
POLICY = (BUNDLED / "selection" / "hue-593.yaml").read_text(encoding="utf-8")


def _bomb(levels: int = 9) -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


BAD_CONFIG = {
    "duplicate key": ("authority:\n  name: A\n  name: B\n", 3, "written twice"),
    "nested and dotted": ("authority:\n  name: A\nauthority.name: B\n", 0, "given twice"),
    "binary": ("authority.name: !!binary aGVsbG8=\n", 1, "!!binary"),
    "set": ("recipients: !!set {a, b}\n", 1, "!!set"),
    "escape sequence": ('authority.name: "\\e[31mUBND"\n', 1, "U+001B"),
    "NUL": ('signer.name: "A\\0B"\n', 1, "U+0000"),
    "C1 control": ('signer.name: "A\\x9bB"\n', 1, "U+009B"),
    "lone surrogate": ('signer.name: "\\ud800"\n', 1, "U+D800"),
    "recursive alias": ("recipients: &r [a, *r]\n", 1, "contains it"),
    "alias bomb": (_bomb(), 6, "aliases expand"),
    "impossible date": ("signer.name: 2024-02-30\n", 1, "not a date that exists"),
}


@pytest.mark.parametrize("case", list(BAD_CONFIG))
def test_config_load_refuses_what_yaml_would_silently_accept(cli, db, tmp_path, case):
    text, line, message = BAD_CONFIG[case]
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    result = cli("config", "load", path, code=1)
    assert time.monotonic() - started < 5
    assert message in result.stderr
    where = f"{path}:{line}: " if line else f"{path}: "
    assert where in result.stderr
    assert cli.json("config", "show") == {}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-32"])
def test_config_load_reads_utf8_and_unicode_with_a_bom(cli, db, tmp_path, encoding):
    path = tmp_path / "config.yaml"
    path.write_text("authority:\n  name: ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ\n", encoding=encoding)
    cli("config", "load", path)
    assert cli.json("config", "show") == {"authority.name": "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ"}


@pytest.mark.parametrize("raw", [
    "authority:\n  name: Phú Vang Đông\n".encode("cp1258"),
    "authority.name: A\nsigner.name: Nguyễn Văn A\n".encode("utf-16-le"),  # no BOM
    b"authority.name: A\nsigner.name: \xff\xfe\n",
])
def test_config_load_of_a_file_that_is_not_utf8_is_an_error(cli, db, tmp_path, raw):
    path = tmp_path / "config.yaml"
    path.write_bytes(raw)
    result = cli("config", "load", path, code=1)
    assert str(path) in result.stderr and ("UTF-8" in result.stderr or "YAML" in result.stderr
                                           or "yaml" in result.stderr)
    assert cli.json("config", "show") == {}


def test_config_paths_must_be_folders_that_exist(cli, db, tmp_path):
    result = cli("config", "set", "criteria_dir", tmp_path / "nowhere", code=1)
    assert "nowhere" in result.stderr and "not a folder" in result.stderr
    path = tmp_path / "config.yaml"
    path.write_text("templates_dir: missing-folder\n", encoding="utf-8")
    result = cli("config", "load", path, code=1)
    assert "templates_dir" in result.stderr
    assert cli.json("config", "show") == {}
    # documents_dir is written to: a missing folder is made when needed, a file is refused.
    cli("config", "set", "documents_dir", tmp_path / "later")
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    assert "is a file" in cli("config", "set", "documents_dir", tmp_path / "a-file",
                              code=1).stderr


BAD_POLICY = {
    "duplicate key": POLICY.replace("kind: selection\n", "kind: selection\nkind: selection\n"),
    "impossible date": POLICY.replace("valid_from: 2026-01-01", "valid_from: 2026-02-30"),
    "impossible quoted date": POLICY.replace("valid_from: 2026-01-01",
                                             "valid_from: '2026-13-01'"),
    "binary": POLICY.replace("version: 1", "version: !!binary MQ=="),
    "escape": POLICY.replace("version: 1", 'version: 1\ntitle: "\\e]0;owned\\a"'),
    "alias bomb": POLICY + "x_bomb:\n" + "".join("  " + line + "\n"
                                                 for line in _bomb().splitlines()),
}


@pytest.mark.parametrize("case", list(BAD_POLICY))
def test_criteria_check_refuses_bad_yaml_with_a_message(cli, tmp_path, case):
    path = tmp_path / "selection" / "local.yaml"
    path.parent.mkdir()
    path.write_text(BAD_POLICY[case], encoding="utf-8")
    started = time.monotonic()
    result = cli("criteria", "check", path, code=1)
    assert time.monotonic() - started < 5
    assert str(path) in result.stderr
    assert "\x1b" not in result.stderr


@pytest.mark.parametrize("case", ["impossible date", "alias bomb", "duplicate key"])
def test_select_with_a_broken_local_policy_is_an_error_that_names_it(cli, hue_2024, tmp_path,
                                                                        case):
    local = tmp_path / "criteria"
    (local / "selection").mkdir(parents=True)
    path = local / "selection" / "hue-593.yaml"
    path.write_text(BAD_POLICY[case], encoding="utf-8")
    cli("config", "set", "criteria_dir", local)
    result = cli("select", "--year", "2024", "--dry-run", code=1)
    assert str(path) in result.stderr


# --- libyaml reads what it can, PyYAML's own parser says what is wrong ---------------------

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize("path", sorted([*BUNDLED.rglob("*.yaml"), *EXAMPLES.rglob("*.yaml")]),
                         ids=lambda path: path.name)
def test_a_bundled_file_reads_the_same_through_libyaml_and_pyyamls_own_parser(path):
    import yaml

    from movement_cli.yaml_files import _loaders, decode

    pure, fast = _loaders()
    if fast is None:
        pytest.skip("PyYAML built without libyaml")
    text = decode(path.read_bytes())
    assert yaml.load(text, Loader=fast) == yaml.load(text, Loader=pure)  # noqa: S506


def _read(text: str):
    """What the strict reader makes of ``text``: its data, or its problem (line, words)."""
    from movement_cli import yaml_files

    try:
        return yaml_files.load(text)
    except yaml_files.YamlProblem as problem:
        return problem.line, str(problem)


@pytest.mark.parametrize("text", [case[0] for case in BAD_CONFIG.values()]
                         + [POLICY, _bomb(), "a: 1\n\tb: 2\n", "a: [1, 2\n", "a: *x\n",
                            "a: 2024-02-30\n", '"\\ud800": 1\n'],
                         ids=[*BAD_CONFIG, "policy", "bomb", "tab", "unclosed", "undefined alias",
                              "no such day", "lone surrogate"])
def test_a_file_reads_the_same_whether_libyaml_reads_it_first_or_not(text, monkeypatch):
    from movement_cli import yaml_files

    pure, fast = yaml_files._loaders()
    if fast is None:
        pytest.skip("PyYAML built without libyaml")
    both = _read(text)
    monkeypatch.setattr(yaml_files, "_loaders", lambda: (pure, None))
    assert both == _read(text)
