"""The interface language: which one a run speaks, and the message catalogue.

English is the source language: every user-facing string is written in English in the code
and marked, and the Vietnamese catalogue (``locale/vi/LC_MESSAGES/movement.po``, compiled to
the ``.mo`` beside it, which ships inside the package) translates it. The language is, in
order: ``MOVEMENT_LANG``; the database's ``ui.language`` once a database is open; the system
locale (``LANGUAGE``/``LC_ALL``/``LC_MESSAGES``/``LANG`` starting with ``vi``, or a
Vietnamese Windows locale); English otherwise.

What scripts read never changes with the language, so the layers below the CLI never
translate: they build messages with :func:`N_`, which keeps the English text (what JSON
carries) together with its template and values, and the CLI prints them with
:func:`translate`.

Ground module: standard library only, cheap to import (``movement --help`` imports it).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGUAGES = ("en", "vi")
DOMAIN = "movement"
LOCALE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")

# Windows language identifier of Vietnamese (the primary language of an LCID).
_WINDOWS_LANG_VIETNAMESE = 0x2A

_language = "en"
_catalogues: dict[str, Mapping[str, str]] = {}


# --- choosing the language -------------------------------------------------------------

def _language_of(value: str | None) -> str | None:
    """``vi`` for a value starting with ``vi`` (``vi``, ``vi_VN.UTF-8``), ``en`` for any other
    non-empty value, None for an empty one."""
    value = (value or "").strip()
    if not value:
        return None
    return "vi" if value.lower().startswith("vi") else "en"


def locale_language(environ: Mapping[str, str] | None = None,
                    windows_language_id: int | None = None) -> str:
    """The language the system locale asks for.

    The first variable set among ``LANGUAGE`` (a ``:``-separated list: its first entry),
    ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` decides, as for gettext; with none set, on Windows
    the user's UI language (``windows_language_id`` stands in for it in tests).
    """
    environ = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if name == "LANGUAGE":
            value = value.split(":")[0]
        language = _language_of(value)
        if language:
            return language
    if windows_language_id is None and os.name == "nt":  # pragma: no cover - Windows only
        windows_language_id = _windows_ui_language()
    if windows_language_id is not None and windows_language_id & 0x3FF == \
            _WINDOWS_LANG_VIETNAMESE:
        return "vi"
    return "en"


def _windows_ui_language() -> int | None:  # pragma: no cover - Windows only
    try:
        import ctypes

        return int(ctypes.windll.kernel32.GetUserDefaultUILanguage())
    except (AttributeError, OSError):
        return None


def choose(config_language: str | None = None,
           environ: Mapping[str, str] | None = None) -> str:
    """Set and return the run's language: ``MOVEMENT_LANG``, else ``config_language`` (the
    open database's ``ui.language``), else the system locale."""
    environ = os.environ if environ is None else environ
    language = (_language_of(environ.get("MOVEMENT_LANG"))
                or _language_of(config_language)
                or locale_language(environ))
    use(language)
    return language


def use(language: str) -> None:
    """Speak ``language`` (``en`` or ``vi``) from now on."""
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    _language = language


def current() -> str:
    return _language


# --- the catalogue ---------------------------------------------------------------------

def catalogue_path(language: str) -> str:
    return os.path.join(LOCALE_DIR, language, "LC_MESSAGES", f"{DOMAIN}.mo")


def _catalogue() -> Mapping[str, str]:
    found = _catalogues.get(_language)
    if found is None:
        found = {}
        if _language != "en":
            import gettext

            with open(catalogue_path(_language), "rb") as file:
                found = gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]
        _catalogues[_language] = found
    return found


def _format(template: str, params: Mapping[str, object], fallback: str) -> str:
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        # A translation whose placeholders do not fit (a test guards against it) must not
        # turn a message into a traceback: say it in English.
        return fallback.format(**params)


def _(message: str, /, **params: object) -> str:
    """``message`` in the run's language, with ``{name}`` placeholders filled from
    ``params`` (values that are :class:`Message` are translated too)."""
    translated = _catalogue().get(message, message) if message else message
    params = {key: translate(value) if isinstance(value, Message) else value
              for key, value in params.items()}
    return _format(translated, params, message)


def ngettext(singular: str, plural: str, n: int, /, **params: object) -> str:
    """The form of a message for count ``n``; ``{n}`` is available to the template."""
    params = {"n": n, **params}
    catalogue = _catalogue()
    english = singular if n == 1 else plural
    # Vietnamese has one plural form; a catalogue stores it under index 0.
    translated = catalogue.get((singular, 0)) if catalogue else None  # type: ignore[call-overload]
    return _format(translated or english, params, english)


def N_(template: str, /, **params: object) -> Message:
    """Mark ``template`` for translation later: the English text now (what JSON and logs
    keep), the user's language when the CLI prints it with :func:`translate`."""
    return Message(template, params)


def translate(text: object) -> str:
    """Text on its way to the terminal, in the run's language: a :class:`Message` by its
    template, any other text if the catalogue knows it, else unchanged."""
    if isinstance(text, Message):
        return text.translated()
    text = str(text)
    return _catalogue().get(text, text) if text else text


def joined(messages, separator: str = "; ") -> Message:
    """Messages joined into one, each translated in its turn when printed."""
    params = {f"part{index}": message for index, message in enumerate(messages)}
    return Message(separator.join("{" + name + "}" for name in params), params)


def message_of(error: BaseException) -> str:
    """An exception's message, keeping a :class:`Message` as one (``str(error)`` would turn
    it into plain English)."""
    if error.args and isinstance(error.args[0], str) and len(error.args) == 1:
        return error.args[0]
    return str(error)


class Message(str):
    """English text that remembers its template and values.

    It is a ``str`` (the English), so everything that stores, compares or serialises
    messages keeps working and JSON stays the same in every language.
    """

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, params: Mapping[str, object] | None = None) -> Message:
        params = dict(params or {})
        self = super().__new__(cls, template.format(**params) if params else template)
        self.template = template
        self.params = params
        return self

    def translated(self) -> str:
        return _(self.template, **self.params)

    def __reduce__(self):
        # Raised in the process that reads a file and re-raised in the one that writes.
        return (Message, (self.template, self.params))


def system_words(error: OSError) -> Message:
    """What the system says about a file (an OSError's strerror), as a Message: said in the
    run's language where the catalogue has the words (``cli.language.SYSTEM_MESSAGES``)."""
    return Message(error.strerror or str(error))


class Day(Message):
    """A date inside a message: ISO as text (JSON, logs) and in English, 30/11/2024 when
    shown in Vietnamese, as officials write dates."""

    def __new__(cls, iso: str) -> Day:
        return super().__new__(cls, iso)

    def translated(self) -> str:
        if _language != "vi" or len(self) != 10:
            return str(self)
        year, month, day = self.split("-")
        return f"{day}/{month}/{year}"

    def __reduce__(self):
        return (Day, (str(self),))


def template_pattern(template: str):
    """A regular expression that matches the texts ``template`` makes, each ``{name}`` a
    named group: to recognise another library's message and say it from the catalogue."""
    import re

    return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(template)),
                      re.DOTALL)


def recognise(text: str, patterns) -> str:
    """``text`` as the :class:`Message` of the first ``(template_pattern, template)`` of
    ``patterns`` it matches whole (so that it is said in the run's language), else as it
    is."""
    for pattern, template in patterns:
        match = pattern.fullmatch(text)
        if match:
            return Message(template, match.groupdict())
    return text
