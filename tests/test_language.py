"""The interface language: chosen as the contract says, complete in Vietnamese, and never
changing what scripts read."""

from __future__ import annotations

import ast
import gettext
import importlib.util
import json
import pickle
import re
import shutil
import string
import unicodedata
from pathlib import Path

import pytest

from conftest import commands_under
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


def test_help_of_every_command_is_vietnamese(cli, monkeypatch):
    import typer

    from movement_cli.cli.main import app

    monkeypatch.setenv("MOVEMENT_LANG", "vi")
    # A tree of its own: the session's one (conftest) has its help put in the language of
    # the runs before.
    for path, command in commands_under(typer.main.get_command(app)):
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
    # Help needs no database: it follows MOVEMENT_LANG and the locale only.
    assert "Usage:" in cli("select", "--help").stdout
    monkeypatch.setenv("MOVEMENT_LANG", "en")
    assert "units active on" in cli("units", "list").stdout


@pytest.mark.parametrize("args", [
    ("select",),                        # a missing option, found in the command's context
    ("select", "--year", "abc"),        # a bad value
    ("--bogus", "status"),              # an unknown root option, before any context exists
    ("bogus-command",),                 # an unknown command
    ("units", "import"),                # a missing argument
    ("select", "--year", "2024", "--date", "2024-01-01"),  # an option the command lacks
])
def test_a_usage_error_follows_ui_language_of_the_database(cli, db, monkeypatch, args):
    """The command line is read before any database is open; a usage error then reads the
    database's ui.language by itself, in the contract's order: MOVEMENT_LANG, ui.language,
    the locale."""
    english = cli(*args, code=2).stderr
    assert "Error:" in english and "Usage:" in english
    cli("config", "set", "ui.language", "vi")
    vietnamese = cli(*args, code=2).stderr
    assert "Lỗi:" in vietnamese and "Cách dùng:" in vietnamese, vietnamese
    assert "[OPTIONS]" not in vietnamese and "Error" not in vietnamese
    monkeypatch.setenv("MOVEMENT_LANG", "en")  # MOVEMENT_LANG comes first
    assert cli(*args, code=2).stderr == english
    monkeypatch.delenv("MOVEMENT_LANG")
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")  # ui.language comes before the locale
    cli("config", "set", "ui.language", "en")
    assert cli(*args, code=2).stderr == english


def test_a_usage_error_reads_the_database_given_with_db(cli, tmp_path, monkeypatch):
    other = tmp_path / "other.db"
    cli("--db", other, "init")
    cli("--db", other, "config", "set", "ui.language", "vi")
    assert "Lỗi: Thiếu tùy chọn '--year'." in cli("--db", other, "select", code=2).stderr
    assert "Lỗi: Thiếu tùy chọn '--year'." in cli("select", "--db", other, code=2).stderr
    assert "Lỗi: Không có tùy chọn: --bogus" in cli(f"--db={other}", "--bogus", code=2).stderr
    assert "Error: Missing option '--year'." in cli("select", code=2).stderr  # ./movement.db
    monkeypatch.setenv("MOVEMENT_DB", str(other))
    assert "Lỗi: Thiếu tùy chọn '--year'." in cli("select", code=2).stderr
    # Reading it changed nothing beside the database (no -wal or -shm left by the read).
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("other.db")) == [
        "other.db", "other.db.lock"]


def test_a_usage_error_creates_no_file_beside_a_database_copied_with_its_wal(cli, tmp_path):
    """A database copied with its write-ahead log but not the -shm beside it (a backup, a
    synced folder): reading ui.language for a usage error must not create the -shm."""
    import sqlite3

    cli("init")
    cli("config", "set", "ui.language", "vi")
    writer = sqlite3.connect(tmp_path / "movement.db")
    writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # ui.language in the file itself
    writer.execute("UPDATE config SET value = value")  # and a write left in the log
    writer.commit()
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("movement.db", "movement.db-wal"):
        shutil.copyfile(tmp_path / name, copy / name)
    writer.close()
    result = cli("--db", copy / "movement.db", "select", code=2)
    assert "Lỗi: Thiếu tùy chọn '--year'." in result.stderr
    assert sorted(p.name for p in copy.iterdir()) == ["movement.db", "movement.db-wal"]


@pytest.mark.parametrize("content", [None, b"", b"not a database at all", b"SQLite format 3\0"])
def test_a_usage_error_without_a_readable_database_follows_the_locale(cli, tmp_path,
                                                                      monkeypatch, content):
    path = tmp_path / "movement.db"
    if content is not None:
        path.write_bytes(content)
    assert "Error: Missing option '--year'." in cli("select", code=2).stderr
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    assert "Lỗi: Thiếu tùy chọn '--year'." in cli("select", code=2).stderr
    assert (path.read_bytes() if content is not None else None) == content
    assert not path.with_name("movement.db-wal").exists()


def test_an_error_before_the_database_is_open_follows_ui_language(cli, db, monkeypatch):
    cli("config", "set", "ui.language", "vi")
    result = cli("units", "import", "missing.csv", code=1)
    assert "không có tệp này" in result.stderr and "lỗi:" in result.stderr
    result = cli("cron", "--date", "2024-13-40", code=2)  # refused before the database opens
    assert "--date: '2024-13-40' không phải là ngày" in result.stderr
    assert "Xem 'movement cron --help'." in result.stderr


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
MARKS = {"_", "N_", "ngettext"}
# The call that carries a message, and which argument is the message.
OUTPUT_CALLS = {"info": 0, "warn": 0, "warning": 0, "error": 0, "progress": 0, "echo": 0,
                "bad": -1, "on_wait": 0}
MESSAGE_LISTS = {"warnings", "problems", "messages", "notes", "reasons", "refusals"}
# Keywords (of any call) and parameters (their defaults) whose text is shown: a progress
# bar's unit, a table's title, a hint inside a message.
MESSAGE_KEYWORDS = {"message", "unit", "title", "description", "hint", "why", "what", "label"}

# Modules the scan leaves out, and why:
SKIPPED_MODULES = {
    # The ground text package speaks English only (it imports nothing of ours): its two
    # messages are translated by pattern in cli/language.py.
    "text/",
    # Errors of a programmer calling i18n wrongly, never of a user.
    "i18n.py",
    # Writes the README's command reference, which is English by design.
    "cli/reference.py",
}
# Module-level tables the scan leaves out, and why: (module, assigned name).
SKIPPED_TABLES = {
    # The English names beside the Vietnamese ones: labels.py picks one by the language.
    ("core/labels.py", "KIND_NAMES"), ("core/labels.py", "SUBTYPE_NAMES"),
    ("core/labels.py", "CLASS_NAMES"), ("core/labels.py", "SAFETY_NAMES"),
    ("core/labels.py", "GROUP_NAMES"), ("core/labels.py", "REASON_LABELS"),
    # The migrations' names, stored in the database's schema_migrations table.
    ("store/migrations.py", "MIGRATIONS"),
    # What each configuration key means, for readers of the code; never printed.
    ("config_keys.py", "TEXT_KEYS"), ("config_keys.py", "LIST_KEYS"),
    ("config_keys.py", "PATH_KEYS"), ("config_keys.py", "CHOICE_KEYS"),
}
# Texts that look like English words and are not messages: (module, exact text).
SKIPPED_TEXTS = {
    # Answers of a recognition sheet written without accents ("không đạt", "chưa đạt").
    ("ingest/recognition.py", "khong dat"), ("ingest/recognition.py", "chua dat"),
    # The column of a `FILE:ROW: column:` prefix for a cell without a header ("column B"):
    # scripts read the prefix, so it never changes with the language.
    ("ingest/readers/table.py", "column {}"),
    # The first line of the demo's illustrative criteria files: file content, not a message.
    ("workflows/demo.py",
     "# MINH HỌA — written by movement demo; not the Ministry's model-unit list.\n{}"),
}

# Words that make a text English prose even beside Vietnamese words ("'Bản' needs its
# accent"); Vietnamese text without them is the documents' and sheets' own wording, or a
# Vietnamese header name, which are Vietnamese in every language.
ENGLISH_WORDS = frozenset(
    "the a is are was were be been not no nothing none of and or for with by in on at "
    "as it its this that these from than into each every any one only more less has have "
    "had does cannot can must should would will write give use expected missing unknown "
    "already needs need".split())
VIETNAMESE = re.compile("[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữự"
                        "ỳýỷỹỵ]", re.IGNORECASE)
# SQL (the store's room): a text with an upper-case keyword of it.
SQL = re.compile(r"\b(SELECT|FROM|WHERE|JOIN|CASE|WHEN|THEN|ELSE|END|COALESCE|IS|NULL|NOT|AND|"
                 r"OR|IN|ON|DESC|ASC|COUNT|ORDER|GROUP|BY|SAVEPOINT|RELEASE|ROLLBACK|INSERT|"
                 r"UPDATE|DELETE|CREATE|DROP|EXISTS|PRAGMA|VALUES|CAST|AS|TABLE|INDEX)\b")
# Codes, JSON keys, column names, key paths and file names, alone or in a list: no word of
# them is separated from the next by a space.
CODES = re.compile(r"\s*\(?[\w.*{}()/-]+(\s*,\s*[\w.*{}()/-]+)*\)?\s*", re.ASCII)
# Typed, never translated: a command line or an option; a log line's key=value pairs.
COMMAND = re.compile(r"\s*(movement\b|--\w)")
LOG_LINE = re.compile(r"\b\w+=")


def _template(node) -> str:
    """A literal's text; an f-string's with each replacement field as `{}`."""
    if isinstance(node, ast.Constant):
        return node.value
    return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)


def is_prose(text: str) -> bool:
    """Whether a text reads as English words for people: two words at least (a replacement
    field counts as one: "{} breaks"), and not one of the things above."""
    if (SQL.search(text) or CODES.fullmatch(text) or COMMAND.match(text)
            or LOG_LINE.search(text) or "://" in text or text.lstrip().startswith("<")):
        return False
    spaced = re.sub(r"\{[^{}]*\}", "x", text)
    words = re.findall(r"[^\W\d_]+", re.sub(r"\{[^{}]*\}", " ", text))
    if not any(len(word) > 1 for word in words) or all(word[0].isupper() for word in words):
        return False  # a unit ("{} s"), a proper name ("Times New Roman")
    if not re.search(r"[^\W\d_][\w'’.,;:)!?]*\s+[(\"“'‘]?[^\W\d_]", spaced):
        return False
    if VIETNAMESE.search(text):
        return any(word.lower() in ENGLISH_WORDS for word in words)
    return True


def _error_classes(trees) -> set[str]:
    """The exception classes a message reaches users through: ours, and the ones we raise
    for Click (ValueError is how the vocabulary reports a word it does not know)."""
    names = {"MovementError", "BadInput", "ValueError", "BadParameter", "YamlProblem",
             "LockTimeout"}
    changed = True
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
    if isinstance(node, ast.BoolOp):
        return any(_is_text(value) for value in node.values)
    if isinstance(node, ast.IfExp):
        return _is_text(node.body) or _is_text(node.orelse)
    if isinstance(node, ast.JoinedStr):  # a word of two letters at least: not "U+{code}"
        return any(isinstance(v, ast.Constant) and re.search(r"[^\W\d_]{2}", v.value)
                   for v in node.values)
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(
        re.search(r"[^\W\d_]", node.value))


def _typed(node) -> bool:
    """Whether every text in ``node`` (a value filled into a message) is typed rather than
    read: a command line, an option, a code or a key (see CODES, COMMAND)."""
    texts = [_template(sub) for sub in ast.walk(node) if isinstance(sub, ast.JoinedStr) or (
        isinstance(sub, ast.Constant) and isinstance(sub.value, str))]
    return all(COMMAND.match(text) or CODES.fullmatch(text) for text in texts)


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _messages(call: ast.Call, errors: set[str], error_class: bool):
    """The arguments of ``call`` that are shown to people."""
    name = _call_name(call)
    args = call.args
    if name in MARKS:
        # A value filled into a message is shown as it is: text in it must be marked too.
        yield from (k.value for k in call.keywords)
        return
    yield from (k.value for k in call.keywords if k.arg in MESSAGE_KEYWORDS)
    if name in OUTPUT_CALLS and args:
        yield args[OUTPUT_CALLS[name]]
    elif name in errors and args:
        yield args[0]
    elif name == "__init__" and error_class and args:
        yield args[0]  # super().__init__(message) in an error class
    elif name == "InputProblem":
        yield from args[3:4]
    elif name == "PickProblem":
        yield from args[3:4]
    elif name in ("OneOf", "Const", "Text", "Integer"):  # criteria specs: what, why, hint
        yield from args[1:2]
    elif name == "append" and args and isinstance(call.func, ast.Attribute):
        owner = getattr(call.func.value, "attr", getattr(call.func.value, "id", ""))
        if isinstance(args[0], ast.Tuple) and len(args[0].elts) == 2 and (
                owner in MESSAGE_LISTS or owner == "out"):
            yield args[0].elts[1]  # (where, message), as the criteria checks collect them
        elif owner in MESSAGE_LISTS:
            yield args[0]
    elif name == "table":
        for node in args[:1]:
            if isinstance(node, ast.List):
                yield from node.elts


def _not_shown(tree) -> set[int]:
    """The nodes (by id) of texts that are not shown to people: docstrings; help texts
    (extracted from the command tree, see tools/catalog.py); the templates of `_()`,
    `N_()`, `ngettext()`; what other libraries' messages are compared with or matched
    against (`"field larger than field limit" in str(exc)`, `.startswith(...)`, regular
    expressions); assertion messages; the tables of SKIPPED_TABLES."""
    skipped: set[int] = set()

    def skip(node) -> None:
        skipped.update(id(sub) for sub in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skip(body[0].value)
        elif isinstance(node, ast.Call):
            name = _call_name(node)
            if name in MARKS:
                for argument in node.args[:2]:
                    skip(argument)
            elif name in ("startswith", "endswith", "compile", "match", "fullmatch", "search",
                          "sub", "split", "removeprefix", "removesuffix"):
                for argument in node.args:
                    skip(argument)
            for keyword in node.keywords:
                if keyword.arg in ("help", "short_help", "epilog"):
                    skip(keyword.value)
        elif isinstance(node, ast.Compare):
            for operand in (node.left, *node.comparators):
                skip(operand)
        elif isinstance(node, ast.JoinedStr):
            # An f-string is judged whole; its pieces are not judged again alone.
            for value in node.values:
                skipped.update(id(sub) for sub in ast.walk(value) if sub is not value) \
                    if isinstance(value, ast.FormattedValue) else skipped.add(id(value))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(target, ast.Name) and (tree.relative, target.id) in SKIPPED_TABLES
                   for target in targets) and node.value is not None:
                skip(node.value)
        elif isinstance(node, ast.Assert) and node.msg is not None:
            skip(node.msg)  # a programmer's mistake, never a user's
    return skipped


def _added(node) -> list:
    """The pieces of ``a + b + c``."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _added(node.left) + _added(node.right)
    return [node]


def unmarked_strings(relative: str, source: str, errors: set[str]) -> list[str]:
    """Where module ``relative`` (its ``source``) shows people a text that is not marked
    for translation: English prose anywhere outside a mark (a helper's f-string, a value
    filled into a message, a problem a function returns), and any text given to what
    shows messages (output calls, error classes, message lists, tables, progress bars)."""
    tree = ast.parse(source)
    tree.relative = relative
    skipped = _not_shown(tree)
    found = {}
    error_bodies = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(
                getattr(base, "id", getattr(base, "attr", "")) in errors for base in node.bases):
            error_bodies.update(id(sub) for sub in ast.walk(node))
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and \
                id(node) not in skipped:
            # Text built by adding pieces ("wrote " + names) is judged whole, as an f-string.
            pieces = _added(node)
            if any(isinstance(piece, ast.Constant) and isinstance(piece.value, str)
                   for piece in pieces):
                text = "".join(piece.value if isinstance(piece, ast.Constant) and isinstance(
                    piece.value, str) else _template(piece) if isinstance(
                    piece, ast.JoinedStr) else "{}" for piece in pieces)
                skipped.update(id(sub) for sub in ast.walk(node) if sub is not node
                               and isinstance(sub, (ast.BinOp, ast.Constant, ast.JoinedStr)))
                if is_prose(text) and (relative, text) not in SKIPPED_TEXTS:
                    found[node.lineno, node.col_offset] = f"{relative}:{node.lineno}: {text!r}"
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and id(node) not in skipped:
            if isinstance(node, ast.Constant) and not isinstance(node.value, str):
                continue
            text = _template(node)
            if is_prose(text) and (relative, text) not in SKIPPED_TEXTS:
                found[node.lineno, node.col_offset] = f"{relative}:{node.lineno}: {text!r}"
        elif isinstance(node, ast.Call):
            for message in _messages(node, errors, id(node) in error_bodies):
                if _is_text(message) and id(message) not in skipped and not (
                        _call_name(node) in MARKS and _typed(message)):
                    found.setdefault((message.lineno, message.col_offset),
                                     f"{relative}:{message.lineno}: {ast.unparse(message)}")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = node.args.args + node.args.kwonlyargs
            defaults = ([None] * (len(node.args.args) - len(node.args.defaults))
                        + node.args.defaults + node.args.kw_defaults)
            for argument, default in zip(arguments, defaults, strict=True):
                if argument.arg in MESSAGE_KEYWORDS and default is not None and \
                        _is_text(default):
                    found[default.lineno, default.col_offset] = (
                        f"{relative}:{default.lineno}: {argument.arg}={ast.unparse(default)}")
    return [found[key] for key in sorted(found)]


def _sources() -> dict[str, str]:
    sources = {}
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if not any(relative.startswith(skipped) for skipped in SKIPPED_MODULES):
            sources[relative] = path.read_text(encoding="utf-8")
    return sources


SOURCES = _sources()
ERRORS = _error_classes([ast.parse(source) for source in SOURCES.values()])


def test_every_string_shown_to_users_is_marked():
    """Messages, warnings, row errors, exception messages, table headings, progress labels
    and every piece of English a helper builds them from go through `_()`, `N_()` or
    `ngettext()` (help texts are read from the command tree itself, see tools/catalog.py)."""
    unmarked = [line for relative, source in SOURCES.items()
                for line in unmarked_strings(relative, source, ERRORS)]
    assert unmarked == [], ("mark these with N_() (below the CLI) or _() (in the CLI), then "
                            + HOW_TO_TRANSLATE)


# An unmarked string in each way the last ones slipped through, injected into real modules.
@pytest.fixture
def scan():
    def unmarked(module: str, lines: str) -> list[str]:
        """What the scan finds in ``lines`` added at the end of ``module``."""
        before = unmarked_strings(module, SOURCES[module], ERRORS)
        after = unmarked_strings(module, SOURCES[module] + "\n\n" + lines + "\n", ERRORS)
        return [line for line in after if line not in before]
    return unmarked


@pytest.mark.parametrize(("module", "lines", "expected"), [
    # A helper returning problems as f-strings (the checker's date line).
    ("documents/checker.py",
     'def _extra(doc):\n    return [f"the document has {len(doc.sections)} sections"]',
     "'the document has {} sections'"),
    # A value filled into a marked message (the checker's "section 2: ", "national name").
    ("documents/checker.py",
     'def _extra(n):\n    return N_("{where}page is wrong", where=f"section {n}: ")',
     "'section {}: '"),
    ("documents/checker.py",
     'def _extra(missing):\n    return N_("the {label} is missing", label=missing or "no header")',
     "'no header'"),
    # An error class's own message (render's DocumentsEdited).
    ("workflows/render.py",
     'class Late(MovementError):\n    def __init__(self, days):\n'
     '        super().__init__(f"{days} late")',
     "'{} late'"),
    # A strict YAML reader's message built before it is raised.
    ("yaml_files.py",
     'def _extra(key):\n    message = f"key {key} is odd"\n    raise YamlProblem(1, message)',
     "'key {} is odd'"),
    # A warning callback and a progress callback given plain text.
    ("workflows/cron.py", 'def _extra(warn):\n    warn("skipped")', "'skipped'"),
    ("workflows/render.py", 'def _extra(progress):\n    progress("rendering", 1)',
     "'rendering'"),
    # A cron step's outcome message joined from English pieces.
    ("workflows/cron.py",
     'def _extra(files):\n    return "; ".join(["wrote " + ", ".join(files)])', "'wrote {}'"),
    # A default that is shown (a progress bar's unit).
    ("cli/output.py", 'def _extra(unit="rows"):\n    return unit', "unit='rows'"),
    # A reason the reading process gives, returned as a plain string.
    ("ingest/pipeline.py", 'def _extra():\n    return "killed by the system"',
     "'killed by the system'"),
])
def test_the_scan_finds_an_unmarked_string_in_a_helper(scan, module, lines, expected):
    found = scan(module, lines)
    assert any(line.endswith(expected) for line in found), found
    first_injected = SOURCES[module].count("\n") + 3
    assert all(int(line.split(":")[1]) >= first_injected for line in found), found


@pytest.mark.parametrize(("module", "lines"), [
    ("store/units.py", 'def _extra(conn):\n    return conn.execute("SELECT code FROM units '
                       'WHERE kind = ? ORDER BY code")'),
    ("workflows/cron.py", 'def _extra(year):\n    return {"selected_count": 0, "outcome": '
                          '"needs_attention", "file": f"{year}-city-plan.docx"}'),
    ("cli/cron.py", 'def _extra(step):\n    return f"{step.at} step={step.step} '
                    'outcome={step.outcome}"'),
    ("workflows/cron.py", 'def _extra(year):\n    return N_("run {command}", '
                          'command=f"movement select --year {year}")'),
    ("documents/context.py", 'def _extra(name):\n    return f"Ủy ban nhân dân {name}"'),
    ("ingest/results.py", 'def _extra(exc):\n    return "field larger than field limit" in '
                          'str(exc)'),
])
def test_the_scan_leaves_out_what_is_not_a_message(scan, module, lines):
    assert scan(module, lines) == []


# --- the messages helpers build, in Vietnamese; what scripts read, the same ----------------

def _prefixed(lines: list[str], prefix: str) -> list[str]:
    return [line for line in lines if line.startswith(prefix)]


def test_the_decree_30_warning_names_its_rule_and_sides_in_vietnamese(cli, selected_2024,
                                                                      tmp_path, monkeypatch):
    from docx import Document
    from docx.shared import Inches, Mm

    from movement_cli.resources import bundled

    cli("config", "load", ROOT / "examples" / "authority-hue.yaml")
    local = tmp_path / "templates"
    local.mkdir()
    template = Document(str(bundled("templates") / "city-plan.docx"))
    template.sections[0].page_width, template.sections[0].page_height = Inches(8.5), Inches(11)
    template.sections[0].top_margin = Mm(10)
    template.save(str(local / "city-plan.docx"))
    cli("config", "set", "templates_dir", local)
    args = ("render-plan", "--year", "2024", "--out", tmp_path / "out", "--force")
    english, vietnamese = _both_languages(cli, monkeypatch, *args)
    assert ("warning: 2024-city-plan.docx breaks Nghị định 30 (A4 page and margins): page is "
            "215.9 × 279.4 mm, not A4 portrait (210 × 297 mm); top margin is 10.0 mm, not "
            f"20–25 mm; template {local / 'city-plan.docx'}") in english.stderr
    assert ("cảnh báo: 2024-city-plan.docx chưa đúng thể thức Nghị định 30 (khổ giấy A4 và lề "
            "trang): khổ giấy 215.9 × 279.4 mm, không phải A4 khổ dọc (210 × 297 mm); lề trên "
            f"là 10.0 mm, không phải 20–25 mm; mẫu văn bản {local / 'city-plan.docx'}"
            ) in vietnamese.stderr
    english, vietnamese = _both_languages(cli, monkeypatch, *args, "--json")
    assert english.stdout == vietnamese.stdout


BAD_CONFIG_YAML = "authority:\n  name: A\n  name: B\nsigner.name: 2024-02-30\n"


def test_the_strict_yaml_readers_messages_are_vietnamese_after_the_same_prefix(
        cli, db, tmp_path, monkeypatch):
    path = tmp_path / "config.yaml"
    path.write_text(BAD_CONFIG_YAML, encoding="utf-8")
    english, vietnamese = _both_languages(cli, monkeypatch, "config", "load", path, code=1)
    assert f"{path}:3: yaml: key 'name' is written twice in this mapping" in english.stderr
    assert (f"{path}:3: yaml: khóa 'name' được ghi hai lần trong cùng một nhóm khóa"
            in vietnamese.stderr)
    path.write_text("authority:\n  name: A\n    bad: B\n", encoding="utf-8")
    english, vietnamese = _both_languages(cli, monkeypatch, "config", "load", path, code=1)
    assert f"{path}:3: yaml: mapping values are not allowed here (column 8)" in english.stderr
    assert f"{path}:3: yaml: không được ghi cặp khóa: giá trị ở đây" in vietnamese.stderr
    assert "(cột 8)" in vietnamese.stderr
    criteria = tmp_path / "policy.yaml"
    criteria.write_text("id: x\nkind: selection\nkind: selection\n", encoding="utf-8")
    english, vietnamese = _both_languages(cli, monkeypatch, "criteria", "check", criteria,
                                          code=1)
    assert f"{criteria}:3: yaml: khóa 'kind' được ghi hai lần" in vietnamese.stderr
    english, vietnamese = _both_languages(cli, monkeypatch, "criteria", "check", criteria,
                                          "--json", code=1)
    assert english.stdout == vietnamese.stdout
    assert "written twice" in json.loads(english.stdout)["errors"][0]["message"]


def test_the_criteria_schemas_hints_are_vietnamese(cli, db, tmp_path, monkeypatch):
    policy = (ROOT / "criteria" / "selection" / "hue-593.yaml").read_text(encoding="utf-8")
    policy = policy.replace("basis_year_offset: -1", "basis_year_offset: 0")
    policy = policy.replace("required_safety: dat", "required_safety: maybe")
    path = tmp_path / "policy.yaml"
    path.write_text(policy, encoding="utf-8")
    english, vietnamese = _both_languages(cli, monkeypatch, "criteria", "check", path, code=1)
    assert (f"{path}: basis_year_offset: must be -1 or less, got 0 (the basis year is a "
            "completed year: -1 is the year before)") in english.stderr
    assert (f"{path}: basis_year_offset: phải nhỏ hơn hoặc bằng -1, nhận được 0 (năm căn cứ là "
            "năm đã kết thúc: -1 là năm trước)") in vietnamese.stderr
    assert (f"{path}: required_safety: kết quả tiêu chuẩn ANTT không hợp lệ 'maybe'"
            in vietnamese.stderr)
    english, vietnamese = _both_languages(cli, monkeypatch, "criteria", "check", path, "--json",
                                          code=1)
    assert english.stdout == vietnamese.stdout


def test_the_no_safety_result_warning_is_vietnamese(cli, hue_2024, tmp_path, monkeypatch):
    path = tmp_path / "results.csv"
    path.write_text("code,year,Kết luận,class\n19798,2023,Đạt,Khá\n", encoding="utf-8")
    args = ("assess", "import", path, "--dry-run")
    english, vietnamese = _both_languages(cli, monkeypatch, *args)
    assert f"warning: {path}: no row gives a safety (the ANTT result);" in english.stderr
    assert (f"cảnh báo: {path}: không dòng nào có kết quả tiêu chuẩn ANTT (safety); việc lựa "
            "chọn cần kết quả này") in vietnamese.stderr
    english, vietnamese = _both_languages(cli, monkeypatch, *args, "--json")
    assert english.stdout == vietnamese.stdout


def test_a_results_file_without_a_year_column_is_said_in_vietnamese(cli, hue_2024, tmp_path,
                                                                     monkeypatch):
    path = tmp_path / "results.csv"
    path.write_text("code,safety\n19798,dat\n", encoding="utf-8")
    english, vietnamese = _both_languages(cli, monkeypatch, "assess", "import", path, code=1)
    assert f"{path}:1: year: missing required column 'year'" in english.stderr
    assert (f"{path}:1: year: thiếu cột bắt buộc 'year'" in vietnamese.stderr
            and "hoặc dùng tùy chọn --year" in vietnamese.stderr)
    english, vietnamese = _both_languages(cli, monkeypatch, "assess", "import", path, "--json",
                                          code=1)
    assert english.stdout == vietnamese.stdout


def test_crons_steps_are_vietnamese_on_stderr_and_english_in_the_log_and_json(
        cli, hue_results, tmp_path, monkeypatch):
    cli("config", "load", ROOT / "examples" / "authority-hue.yaml")
    log = tmp_path / "cron.log"
    cli("cron", "--date", "2024-01-02", code=None)  # Q1 proposes the selection
    args = ("cron", "--date", "2024-04-01", "--force", "--log-file", log)
    english, vietnamese = _both_languages(cli, monkeypatch, *args, code=3)
    assert ("warning: progress: proposed selection of 3 unit(s) (19798, 19906, CQ002); city "
            "plan rendered; unit plans 0 of 3; recognition answers for 0 of 3") in english.stderr
    assert ("cảnh báo: progress: lựa chọn (đề xuất) gồm 3 đơn vị (19798, 19906, CQ002); đã lập "
            "kế hoạch của thành phố; kế hoạch của đơn vị: 0/3; kết quả chấm theo tiêu chí: 0/3"
            ) in vietnamese.stderr
    args = ("cron", "--date", "2024-10-01", "--force", "--log-file", log)
    english, vietnamese = _both_languages(cli, monkeypatch, *args, code=3)
    assert "warning: results-due: 2024 results missing: " in english.stderr
    assert "due 2024-11-30:" in english.stderr
    assert "cảnh báo: results-due: còn thiếu kết quả năm 2024: " in vietnamese.stderr
    assert "hạn 30/11/2024:" in vietnamese.stderr
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[-1].split(" ", 1)[1] == lines[-3].split(" ", 1)[1]  # results-due, en and vi
    assert "due 2024-11-30" in lines[-1] and "hạn" not in log.read_text(encoding="utf-8")
    english, vietnamese = _both_languages(cli, monkeypatch, *args, "--json", code=3)
    assert english.stdout == vietnamese.stdout


def test_the_roster_code_prefix_and_the_file_prefix_stay_as_they_are(monkeypatch):
    from movement_cli.cli.language import localize_message
    from movement_cli.core.roster import EndConflict
    from movement_cli.ingest.roster import RowChecker

    checker = RowChecker("roster.csv", {"code": 0}, [], "2025-07-01")
    checker.end_conflict(0, EndConflict("2024-12-31", "2025-01-01"), "2025-07-01",
                         code="10001")
    checker.end_conflict(3, EndConflict("2024-12-31", None), "2025-07-01")
    english = [p.line(localize_message) for p in checker.problems]
    i18n.use("vi")
    vietnamese = [p.line(localize_message) for p in checker.problems]
    assert english[0].startswith("roster.csv: active_to: code 10001: runs into")
    assert vietnamese[0].startswith("roster.csv: active_to: mã 10001: ")
    assert english[1].startswith("roster.csv:3: active_to: 2024-12-31 is before")
    assert vietnamese[1].startswith("roster.csv:3: active_to: 2024-12-31 ")
    assert [p.as_json() for p in checker.problems][0]["message"].startswith("code 10001: ")


def test_a_file_the_system_refuses_is_said_in_vietnamese(cli, db, tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    args = ("export", "units", "--format", "csv", "--out", tmp_path / "a-file" / "u.csv")
    english, vietnamese = _both_languages(cli, monkeypatch, *args, code=1)
    assert f"error: {tmp_path / 'a-file'}: File exists" in english.stderr
    assert f"lỗi: {tmp_path / 'a-file'}: tệp đã tồn tại" in vietnamese.stderr
    english, vietnamese = _both_languages(cli, monkeypatch, *args, "--json", code=1)
    assert english.stdout == vietnamese.stdout


def test_assess_set_says_what_it_did_and_its_option_errors_in_vietnamese(cli, hue_2024,
                                                                         monkeypatch):
    monkeypatch.setenv("MOVEMENT_LANG", "vi")
    result = cli("assess", "set", "19798", "--year", "2023", "--safety", "dat")
    assert "kết quả năm 2023 của 19798: đã thêm" in result.stderr
    result = cli("assess", "set", "19798", "--year", "2023", "--safety", "maybe", code=1)
    assert "lỗi: --safety: không rõ kết quả tiêu chuẩn ANTT 'maybe'" in result.stderr
    monkeypatch.setenv("MOVEMENT_LANG", "en")
    result = cli("assess", "set", "19798", "--year", "2023", "--safety", "maybe", code=1)
    assert "error: --safety: unknown ANTT result 'maybe'" in result.stderr


def test_a_recognised_message_keeps_its_whole_values():
    """Click's and the text package's messages are recognised by their templates whole, also
    when a template ends with a value."""
    from movement_cli.cli.language import recognised

    assert recognised("No such option: --bogus").params == {"name": "--bogus"}
    assert recognised("'31/02/2024' is not a date: write 2025-07-01 or 01/07/2025").params == {
        "text": "31/02/2024"}
    assert recognised("something else") == "something else"


def test_what_the_system_says_about_a_file_it_cannot_read_is_said_in_vietnamese(
        cli, db, tmp_path, monkeypatch):
    monkeypatch.setenv("MOVEMENT_LANG", "vi")
    missing = tmp_path / "không-có.yaml"
    result = cli("config", "load", missing, code=1)
    assert "không có tệp hoặc thư mục này" in result.stderr
    assert "No such file" not in result.stderr
