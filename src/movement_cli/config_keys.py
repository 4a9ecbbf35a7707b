"""The configuration keys a locality sets, and how their values are read."""

from __future__ import annotations

from pathlib import Path

from movement_cli.errors import BadInput, InputProblem, MovementError
from movement_cli.i18n import N_, message_of, system_words
from movement_cli.text import normalize

TEXT_KEYS = {
    "authority.name": "the issuing authority, e.g. ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ",
    "authority.parent": "printed above the authority (optional)",
    "authority.symbol": "the issuer part of document symbols, e.g. UBND in 593/KH-UBND",
    "authority.place": "the place in the date line, e.g. Huế",
    "signer.title": "e.g. PHÓ CHỦ TỊCH",
    "signer.name": "the signer's name",
    "authority.locality": "the locality inside sentences, e.g. thành phố Huế (default: from "
                          "authority.name)",
    "authority.level": "province or district: picks Sở or Phòng in a plan's tasks",
    "commendation.addressee": "Kính gửi of the commendation proposal",
}
LIST_KEYS = {
    "signer.authority": "lines above the title: a list, or '/'-separated",
    "recipients": "Nơi nhận: a list, or ';'-separated (Lưu: VT is always added last)",
    "bases": "extra legal bases cited by the documents: a list, or ';'-separated",
}
PATH_KEYS = {
    "criteria_dir": "the locality's criteria files (override bundled ones by file name)",
    "templates_dir": "the locality's templates (override bundled ones by file name)",
    "documents_dir": "where cron writes documents and sheets (default: documents beside the "
                     "database)",
}
# Folders the tool reads from: they must exist when set (a typo would silently fall back
# to the bundled files). documents_dir is written to, and created when missing.
READ_FOLDERS = {"criteria_dir", "templates_dir"}
# Keys whose value is one word from a short list.
CHOICE_KEYS = {
    "ui.language": "the language of messages and help: vi or en (default: MOVEMENT_LANG, "
                   "else the system locale)",
}
CHOICES = {"ui.language": ("vi", "en")}
KEYS = {**TEXT_KEYS, **LIST_KEYS, **PATH_KEYS, **CHOICE_KEYS}


def check_key(key: str) -> str:
    key = normalize(key)
    if key not in KEYS:
        import difflib

        close = difflib.get_close_matches(key, KEYS, n=1)
        hint = N_(" (did you mean {name}?)", name=close[0]) if close else ""
        raise MovementError(N_("unknown configuration key '{key}'{hint}; known keys: {value}",
                               key=key, hint=hint, value=', '.join(sorted(KEYS))))
    return key


def parse_value(key: str, value, base: Path):
    """A value from the command line (text) or a YAML file (text or list), normalised.

    Relative paths are taken from ``base`` (the working folder, or the YAML file's folder).
    """
    if key in LIST_KEYS:
        if isinstance(value, str):
            separator = "/" if key == "signer.authority" else ";"
            value = value.split(separator)
        if not isinstance(value, list):
            raise MovementError(N_("{key}: expected a list of texts", key=key))
        items = [normalize(str(item)) for item in value]
        return [item for item in items if item]
    if isinstance(value, (list, dict)):
        raise MovementError(N_("{key}: expected a single text, not a list", key=key))
    text = normalize(str(value)) if value is not None else ""
    if key in CHOICES and text.lower() not in CHOICES[key]:
        raise MovementError(N_("{key}: expected one of {value}, not '{text}'", key=key,
                               value=', '.join(CHOICES[key]), text=text))
    if key in CHOICES:
        text = text.lower()
    if key in PATH_KEYS and text:
        folder = (base / Path(str(value).strip()).expanduser()).resolve()
        if key in READ_FOLDERS and not folder.is_dir():
            raise MovementError(N_("{key}: {folder} is not a folder", key=key, folder=folder))
        if folder.exists() and not folder.is_dir():
            raise MovementError(N_("{key}: {folder} is a file, not a folder", key=key,
                                   folder=folder))
        return str(folder)
    return text


def flatten(mapping: dict, prefix: str = "", twice: list | None = None) -> dict:
    """Nested and dotted keys alike: {'authority': {'name': x}} → {'authority.name': x}.

    A key reached both ways ('authority.name' and 'authority: {name}') is added to
    ``twice`` when given (the first value is kept, so nothing depends on the order)."""
    flat: dict = {}
    for key, value in mapping.items():
        full = f"{prefix}{key}"
        inner = flatten(value, full + ".", twice) if isinstance(value, dict) else {full: value}
        for name, item in inner.items():
            if name in flat:
                if twice is not None:
                    twice.append(name)
                continue
            flat[name] = item
    return flat


def read_config_file(file: Path) -> dict:
    """The checked values of a YAML configuration file; every problem at once as BadInput."""
    from movement_cli import yaml_files

    try:
        data = yaml_files.load(file.read_bytes())
    except OSError as exc:
        raise MovementError(N_("cannot read {file}: {strerror}", file=file,
                               strerror=system_words(exc))) from None
    except yaml_files.YamlProblem as exc:
        raise BadInput([InputProblem(str(file), exc.line, "yaml", exc.message)]) from None
    if not isinstance(data, dict):
        raise BadInput([InputProblem(str(file), 0, "", N_("expected a mapping of keys to values"))])
    values, problems, twice = {}, [], []
    flat = flatten(data, twice=twice)
    problems += [InputProblem(str(file), 0, key, N_("given twice (as a dotted and as a nested "
                                                    "key); keep one")) for key in twice]
    for key, value in flat.items():
        if key not in KEYS:
            problems.append(InputProblem(str(file), 0, key, N_("unknown configuration key")))
            continue
        try:
            values[key] = parse_value(key, value, file.parent.absolute())
        except MovementError as exc:
            problems.append(InputProblem(str(file), 0, key, message_of(exc)))
    if problems:
        raise BadInput(problems)
    return values
