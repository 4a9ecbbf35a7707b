"""The interface language: chosen as the contract says, complete in Vietnamese, and never
changing what scripts read."""

from __future__ import annotations

import ast
import gettext
import importlib.util
import json
import pickle
import re
import string
import unicodedata
from pathlib import Path

import pytest

from movement_cli import i18n
from movement_cli.core import labels

ROOT = Path(__file__).resolve().parents[1]


def _catalog_tool():
    spec = importlib.util.spec_from_file_location("catalog_tool", ROOT / "tools" / "catalog.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


catalog_tool = _catalog_tool()


# --- which language ----------------------------------------------------------------------

@pytest.mark.parametrize(("environ", "config", "expected"), [
    ({}, None, "en"),
    ({"LANG": "vi_VN.UTF-8"}, None, "vi"),
    ({"LC_ALL": "vi_VN", "LANG": "en_US.UTF-8"}, None, "vi"),
    ({"LC_MESSAGES": "vi"}, None, "vi"),
    ({"LANGUAGE": "vi:en", "LANG": "C.UTF-8"}, None, "vi"),
    ({"LANGUAGE": "en", "LANG": "vi_VN.UTF-8"}, None, "en"),
    ({"LANG": "vi_VN.UTF-8"}, "en", "en"),
    ({}, "vi", "vi"),
    ({"MOVEMENT_LANG": "en", "LANG": "vi_VN.UTF-8"}, "vi", "en"),
    ({"MOVEMENT_LANG": "vi"}, "en", "vi"),
])
def test_language_is_movement_lang_then_ui_language_then_locale(environ, config, expected):
    assert i18n.choose(config_language=config, environ=environ) == expected
    assert i18n.current() == expected


def test_a_vietnamese_windows_locale_speaks_vietnamese():
    assert i18n.locale_language({}, windows_language_id=0x042A) == "vi"
    assert i18n.locale_language({}, windows_language_id=0x0409) == "en"


# --- help and Click's own words ----------------------------------------------------------

def test_help_follows_movement_lang_without_a_database(cli, isolated, monkeypatch):
    monkeypatch.setenv("MOVEMENT_LANG", "vi")
    text = cli("--help").stdout
    assert "Cách dùng:" in text and "Tùy chọn:" in text and "Lệnh:" in text
    assert "Hiện hướng dẫn này rồi thoát." in text
    assert "Cài đặt tự hoàn thành lệnh" in text  # Typer's completion options
    assert "Usage:" not in text and "Show this message" not in text
    assert not (isolated / "movement.db").exists()


def test_help_follows_the_locale(cli, monkeypatch):
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    assert "Cách dùng:" in cli("units", "import", "--help").stdout
    monkeypatch.setenv("MOVEMENT_LANG", "en")
    assert "Usage:" in cli("units", "import", "--help").stdout


def _commands(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


def test_help_of_every_command_is_vietnamese(cli, monkeypatch):
    import typer

    from movement_cli.cli.main import app

    monkeypatch.setenv("MOVEMENT_LANG", "vi")
    for path, command in _commands(typer.main.get_command(app)):
        text = cli(*path, "--help").stdout
        assert "Cách dùng:" in text, path
        assert i18n.translate(command.help) != command.help, \
            f"untranslated help of {path}: {HOW_TO_TRANSLATE}"
        first_words = " ".join(i18n.translate(command.help).split()[:4])
        assert first_words in " ".join(text.split()), path
        for param in command.params:
            if getattr(param, "help", None):
                assert param.help not in text, (path, param.help)


def test_a_usage_error_is_vietnamese_and_keeps_its_exit_code(cli, monkeypatch):
    monkeypatch.setenv("MOVEMENT_LANG", "vi")
    result = cli("select", code=2)
    assert "Lỗi: Thiếu tùy chọn '--year'." in result.stderr
    assert "Chạy 'movement select --help' để xem hướng dẫn." in result.stderr
    result = cli("--bogus", code=2)
    assert "Lỗi: Không có tùy chọn: --bogus" in result.stderr
    result = cli("select", "--year", "abc", code=2)
    assert ("Giá trị không hợp lệ cho '--year': 'abc' không phải là số nguyên: hãy viết bằng "
            "chữ số, ví dụ 2024") in result.stderr
    result = cli("select", "--year", "1899", code=2)
    assert "Giá trị không hợp lệ cho '--year': 1899 nằm ngoài khoảng 1900–2999" in result.stderr


def test_a_usage_error_in_english_is_clicks_own(cli):
    result = cli("select", code=2)
    assert "Error: Missing option '--year'." in result.stderr
    assert "Usage: movement select [OPTIONS]" in result.stderr


def test_ui_language_of_the_database_is_spoken_once_it_is_open(cli, db, monkeypatch):
    cli("config", "set", "ui.language", "vi")
    assert "đơn vị đang hoạt động vào ngày" in cli("units", "list").stdout
    # Help and usage errors come before the database is open: they follow the locale.
    assert "Error: Missing option '--year'." in cli("select", code=2).stderr
    monkeypatch.setenv("MOVEMENT_LANG", "en")
    assert "units active on" in cli("units", "list").stdout


def test_ui_language_takes_vi_or_en_only(cli, db):
    result = cli("config", "set", "ui.language", "fr", code=1)
    assert "ui.language: expected one of vi, en" in result.stderr


# --- the catalogue -----------------------------------------------------------------------

HOW_TO_TRANSLATE = ("run `python tools/catalog.py update`, write the Vietnamese of each new "
                    "msgid in src/movement_cli/locale/vi/LC_MESSAGES/movement.po (terms: "
                    "docs/glossary.md), then `python tools/catalog.py compile`")


def test_every_marked_string_has_a_vietnamese_translation():
    assert catalog_tool.missing() == [], HOW_TO_TRANSLATE


def test_the_shipped_mo_is_compiled_from_the_po():
    """Edit the .po, then run `python tools/catalog.py compile`."""
    po = {message.id: message.string for message in catalog_tool.read_po() if message.id}
    with catalog_tool.MO.open("rb") as file:
        compiled = gettext.GNUTranslations(file)._catalog
    shipped = {key: value for key, value in compiled.items() if key}
    expected = {}
    for msgid, msgstr in po.items():
        if isinstance(msgid, tuple):
            for index, text in enumerate(msgstr):
                expected[(msgid[0], index)] = text
        else:
            expected[msgid] = msgstr
    assert shipped == expected, "run `python tools/catalog.py compile`"


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_translations_keep_every_placeholder_and_are_nfc():
    for message in catalog_tool.read_po():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert _fields(text) == _fields(ids[-1]), message.id
            assert unicodedata.normalize("NFC", text) == text, message.id


def test_the_glossary_terms_are_the_catalogues():
    """The catalogue says "cơ sở dữ liệu", never another word for the database, and so on."""
    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", glossary) == glossary
    texts = " ".join(m.string for m in catalog_tool.read_po()
                     if m.id and isinstance(m.string, str)).lower()
    for rejected in ("csdl", "dữ liệu cơ sở", "tiêu chuẩn an toàn", "tuỳ", "uỷ", "hoà"):
        assert not re.search(rf"\b{rejected}\b", texts), rejected
    for term in ("cơ sở dữ liệu", "danh sách đơn vị", "kết quả", "lựa chọn", "xác nhận"):
        assert term in glossary.lower() and term in texts, term


# --- what scripts read -------------------------------------------------------------------

def test_a_deferred_message_is_english_for_scripts_and_translated_for_people():
    message = i18n.N_("Missing option {name}.", name="'--year'")
    assert json.dumps({"message": message}) == '{"message": "Missing option \'--year\'."}'
    assert pickle.loads(pickle.dumps(message)).template == "Missing option {name}."
    i18n.use("vi")
    assert i18n.translate(message) == "Thiếu tùy chọn '--year'."
    assert str(message) == "Missing option '--year'."


def test_labels_follow_the_language_and_the_policy_label():
    assert labels.kind_label("phuong") == "ward"
    assert labels.reason_label("safety_not_met") == "did not meet the ANTT standard"
    assert labels.group_label("nhom_rieng", "Nhóm riêng") == "Nhóm riêng"
    i18n.use("vi")
    assert labels.kind_label("phuong") == "Phường"
    assert labels.class_label("xuat_sac", {"xuat_sac": "Tốt"}) == "Tốt"
    assert labels.group_label("co_quan_dn_csgd", "Cơ quan, doanh nghiệp, cơ sở giáo dục") \
        == "Cơ quan, doanh nghiệp, cơ sở giáo dục"
    assert re.search("tiêu chuẩn ANTT", labels.reason_label("safety_not_met"))


def test_the_vietnamese_readme_has_the_set_up_commands_the_cycle_and_the_cron_line():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    vietnamese = (ROOT / "README.vi.md").read_text(encoding="utf-8")
    assert "README.vi.md" in readme and "docs/glossary.md" in readme
    assert unicodedata.normalize("NFC", vietnamese) == vietnamese
    assert "pip install . && movement demo" in vietnamese
    assert 'pip install ".[test]" && pytest' in vietnamese
    assert "0 7 1 1,4,7,10 * movement --db /srv/movement.db cron" in vietnamese
    for command in ("units import", "assess import", "select --year", "render-plan"):
        assert f"`movement {command}" in vietnamese, command


# --- Vietnamese end to end, and what scripts read ----------------------------------------

@pytest.fixture
def hue_results(cli, hue_2024, tmp_path):
    from test_select import RESULTS_2023

    results = tmp_path / "results-2023.csv"
    results.write_text(RESULTS_2023, encoding="utf-8")
    cli("assess", "import", results)
    return hue_2024


def _both_languages(cli, monkeypatch, *args, code=0):
    """The same run in English and in Vietnamese: (English result, Vietnamese result)."""
    monkeypatch.setenv("MOVEMENT_LANG", "en")
    english = cli(*args, code=code)
    monkeypatch.setenv("MOVEMENT_LANG", "vi")
    vietnamese = cli(*args, code=code)
    return english, vietnamese


BAD_ROSTER = ("code,name,kind,active_from\n"
              "19798,Phường Phước Vĩnh,phuong,2024-13-01\n"
              ",Phường Thuận Hòa,phuong,\n"
              "19800,Xã Hương Phong,Thành phố,\n")


def test_a_bad_rosters_error_lines_are_vietnamese_after_the_same_prefix(cli, db, tmp_path,
                                                                       monkeypatch):
    roster = tmp_path / "roster.csv"
    roster.write_text(BAD_ROSTER, encoding="utf-8")
    english, vietnamese = _both_languages(cli, monkeypatch, "units", "import", roster, code=1)
    en_lines = english.stderr.splitlines()
    vi_lines = vietnamese.stderr.splitlines()
    assert len(en_lines) == len(vi_lines) == 4
    for en, vi in zip(en_lines[:3], vi_lines[:3], strict=True):
        prefix = en.rsplit(": ", 1)[0] if en.count(": ") == 2 else ": ".join(en.split(": ")[:2])
        assert vi.startswith(prefix + ": "), (en, vi)
        assert vi != en
    assert f"{roster}:2: active_from: '2024-13-01' không phải là ngày" in vietnamese.stderr
    assert f"{roster}:3: code: thiếu giá trị" in vietnamese.stderr
    assert f"{roster}:4: kind: 'Thành phố' chưa rõ nghĩa" in vietnamese.stderr
    assert vi_lines[-1] == "lỗi: phát hiện 3 lỗi; không ghi gì"
    english, vietnamese = _both_languages(cli, monkeypatch, "units", "import", roster, "--json",
                                          code=1)
    assert english.stdout == vietnamese.stdout
    assert json.loads(english.stdout)["errors"][1]["message"] == "missing value"


def test_the_unfilled_group_warning_is_vietnamese_and_json_is_the_same(cli, hue_results,
                                                                       monkeypatch):
    args = ("select", "--year", "2024", "--pick", "19798", "--pick", "CQ002", "--dry-run")
    english, vietnamese = _both_languages(cli, monkeypatch, *args, code=3)
    assert "warning: group xa (communes): 0 selected, minimum 1" in english.stderr
    assert "cảnh báo: nhóm chỉ tiêu xa (Xã): đã lựa chọn 0, số tối thiểu 1" in vietnamese.stderr
    english, vietnamese = _both_languages(cli, monkeypatch, *args, "--json", code=3)
    assert english.stdout == vietnamese.stdout


def test_the_status_next_step_is_a_vietnamese_sentence_and_json_is_the_same(cli, hue_results,
                                                                            monkeypatch):
    english, vietnamese = _both_languages(cli, monkeypatch, "status", "--year", "2024")
    assert "Next: select the 2024 model units: movement select --year 2024, by 2024-03-31." \
        in " ".join(english.stdout.split())
    assert ("Bước tiếp theo: lựa chọn đơn vị điển hình năm 2024: movement select --year 2024, "
            "hạn 31/03/2024.") in " ".join(vietnamese.stdout.split())
    assert "Xã 7" in vietnamese.stdout and "commune 7" in english.stdout
    english, vietnamese = _both_languages(cli, monkeypatch, "status", "--year", "2024", "--json")
    assert english.stdout == vietnamese.stdout


def test_the_select_table_ranks_each_groups_eligible_units_and_counts_the_others(cli,
                                                                                 hue_results,
                                                                                 monkeypatch):
    monkeypatch.setenv("MOVEMENT_LANG", "vi")
    result = cli("select", "--year", "2024", "--dry-run")
    rows = [" ".join(line.strip("│ ").split()) for line in result.stdout.splitlines()]
    assert any(row.startswith("Phường │ 1 │ 19798 │ Phường Phước Vĩnh │ Xuất sắc │ 95 │ ✓")
               for row in rows), result.stdout
    assert "Phường │ 2 │ 19750 │ Phường Tây Lộc │ Khá │ 80" in rows, result.stdout
    assert "thứ hạng" in result.stdout and "xếp loại" in result.stdout
    assert "đủ điều kiện" in result.stderr and "chưa có kết quả năm căn cứ" in result.stderr
    assert "co_quan_dn_csgd" not in result.stdout and "safety_not_met" not in result.stderr
    listed = cli("select", "--year", "2024", "--dry-run", "--all")
    assert "Không đủ điều kiện" in listed.stdout and "CQ019" in listed.stdout
    assert "thuộc loại hình không áp dụng tiêu chuẩn ANTT" in listed.stdout


def test_a_confirmed_selection_shows_its_decision_number(cli, hue_results, monkeypatch):
    cli("select", "--year", "2024", "--pick", "19798", "--pick", "CQ002", "--confirm",
        "--decision", "593/KH-UBND", code=3)
    monkeypatch.setenv("MOVEMENT_LANG", "vi")
    result = cli("select", "--year", "2024", "--pick", "19798", "--pick", "CQ002", "--confirm",
                 code=3)
    assert "đã xác nhận; văn bản quyết định 593/KH-UBND" in " ".join(result.stdout.split())
    status = cli("status", "--year", "2024")
    assert "593/KH-UBND" in status.stdout


# --- every string shown to users is marked ------------------------------------------------

SOURCE = ROOT / "src" / "movement_cli"
# The call that carries a message, and which argument is the message.
OUTPUT_CALLS = {"info": 0, "warn": 0, "warning": 0, "error": 0, "progress": 0, "echo": 0,
                "bad": -1}
MESSAGE_LISTS = {"warnings", "problems", "messages", "notes", "reasons", "refusals"}


def _error_classes() -> set[str]:
    """The exception classes a message reaches users through: ours, and the ones we raise
    for Click (ValueError is how the vocabulary reports a word it does not know)."""
    names = {"MovementError", "BadInput", "ValueError", "BadParameter"}
    changed = True
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in SOURCE.rglob("*.py")]
    while changed:
        changed = False
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names and any(
                        getattr(base, "id", getattr(base, "attr", "")) in names
                        for base in node.bases):
                    names.add(node.name)
                    changed = True
    return names


def _is_text(node) -> bool:
    """A literal or f-string with words in it (not a mark: `_()`/`N_()` are calls)."""
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and re.search(r"[^\W\d_]", v.value)
                   for v in node.values)
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(
        re.search(r"[^\W\d_]", node.value))


def _messages(call: ast.Call, errors: set[str]):
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    args = call.args
    if name in OUTPUT_CALLS and args:
        yield args[OUTPUT_CALLS[name]]
    elif name in errors and args:
        yield args[0]
    elif name == "InputProblem":
        yield from args[3:4]
        yield from (k.value for k in call.keywords if k.arg == "message")
    elif name == "PickProblem":
        yield from args[3:4]
    elif name == "append" and args and isinstance(func, ast.Attribute):
        owner = getattr(func.value, "attr", getattr(func.value, "id", ""))
        if isinstance(args[0], ast.Tuple) and len(args[0].elts) == 2 and (
                owner in MESSAGE_LISTS or owner == "out"):
            yield args[0].elts[1]  # (where, message), as the criteria checks collect them
        elif owner in MESSAGE_LISTS:
            yield args[0]
    elif name == "table":
        for node in args[:1]:
            if isinstance(node, ast.List):
                yield from node.elts
        yield from (k.value for k in call.keywords if k.arg == "title")


def test_every_string_shown_to_users_is_marked():
    """Messages, warnings, row errors, exception messages, table headings and progress
    labels go through `_()`, `N_()` or `ngettext()` (help texts are read from the command
    tree itself, see tools/catalog.py). The ground `text` package speaks English only: its
    two messages are translated by pattern in cli/language.py."""
    errors = _error_classes()
    unmarked = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if relative.startswith("text/") or relative in ("i18n.py", "cli/reference.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                for message in _messages(node, errors):
                    if _is_text(message):
                        unmarked.append(f"{relative}:{message.lineno}: {ast.unparse(message)}")
    assert unmarked == [], ("mark these with N_() (below the CLI) or _() (in the CLI), then "
                            + HOW_TO_TRANSLATE)
