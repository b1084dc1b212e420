"""The Kazakh and Russian catalogs are complete, compiled, and used by the pages.

Kazakh is the state language and comes first; every page and message exists in Kazakh, Russian
and English (the source texts). These tests fail when a catalog has an empty or fuzzy entry, a
placeholder lost in translation, a compiled ``.mo`` that is not the ``.po`` it should be, or (with
gettext installed) a marked string that ``makemessages`` has not yet brought into the catalogs.
"""

from __future__ import annotations

import gettext
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

JOSPAR = Path(__file__).resolve().parents[2]
LOCALE = JOSPAR / "locale"
LANGS = ("kk", "ru")
# Kazakh nouns stay singular after a numeral but gettext keeps two forms; Russian has three.
NPLURALS = {"kk": 2, "ru": 3}
PLACEHOLDER = re.compile(r"%\(\w+\)(?:\.\d+)?[sdfr]|%[sd]|\{\w*\}")


# --- a small .po reader ----------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    assert text.startswith('"'), text
    assert text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def read_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """The header's fields and the catalog's live entries (obsolete ``#~`` ones are skipped).

    Entries are separated by blank lines, as gettext's tools write them.
    """
    entries: list[Entry] = []
    text = path.read_text(encoding="utf-8")
    start = 1
    for block in re.split(r"\n[ \t]*\n", text):
        line_number, start = start, start + block.count("\n") + 2
        lines = [line.strip() for line in block.strip("\n").splitlines()]
        live = [line for line in lines if line and not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in live):
            continue
        entry = Entry(msgid="", line=line_number)
        target: tuple[str, int] | None = None
        for line in live:
            keyword, _, rest = line.partition(" ")
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif keyword == "msgctxt":
                entry.msgctxt, target = _unquote(rest), ("msgctxt", 0)
            elif keyword == "msgid":
                entry.msgid, target = _unquote(rest), ("msgid", 0)
            elif keyword == "msgid_plural":
                entry.msgid_plural, target = _unquote(rest), ("msgid_plural", 0)
            elif keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                entry.msgstr[index], target = _unquote(rest), ("msgstr", index)
            elif line.startswith('"') and target is not None:
                more = _unquote(line)
                if target[0] == "msgstr":
                    entry.msgstr[target[1]] += more
                elif target[0] == "msgctxt":
                    entry.msgctxt = (entry.msgctxt or "") + more
                elif target[0] == "msgid":
                    entry.msgid += more
                else:
                    entry.msgid_plural = (entry.msgid_plural or "") + more
            else:
                raise AssertionError(f"{path}:{line_number}: cannot read {line!r}")
        entries.append(entry)
    headers = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    assert len(headers) == 1, f"{path}: no header"
    header = dict(line.split(": ", 1) for line in headers[0].msgstr[0].splitlines() if ": " in line)
    return header, [e for e in entries if e is not headers[0]]


def _po(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def _mo(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.mo"


def _where(path: Path, entry: Entry) -> str:
    return f"{path.relative_to(JOSPAR.parent)}:{entry.line} {entry.msgid[:70]!r}"


# --- the catalogs ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_catalog_is_complete(lang: str) -> None:
    path = _po(lang)
    header, entries = read_po(path)
    assert header["Language"] == lang
    assert f"nplurals={NPLURALS[lang]};" in header["Plural-Forms"]
    assert len(entries) > 300, "the catalog is suspiciously small"
    problems: list[str] = []
    for entry in entries:
        where = _where(path, entry)
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {where}")
        wanted = range(NPLURALS[lang]) if entry.msgid_plural is not None else range(1)
        if sorted(entry.msgstr) != list(wanted):
            problems.append(f"forms {sorted(entry.msgstr)} instead of {list(wanted)}: {where}")
        for index, text in entry.msgstr.items():
            if not text.strip():
                problems.append(f"empty msgstr[{index}]: {where}")
                continue
            if entry.msgid_plural:
                # Russian's first form serves 1, 21, 31…: it may name the count the English
                # singular leaves out, so a form takes what either English form names.
                found = set(PLACEHOLDER.findall(text))
                singular = set(PLACEHOLDER.findall(entry.msgid))
                either = singular | set(PLACEHOLDER.findall(entry.msgid_plural))
                if not (singular <= found <= either):
                    problems.append(f"placeholders differ in msgstr[{index}]: {where}")
            elif sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(entry.msgid)):
                problems.append(f"placeholders differ in msgstr[{index}]: {where}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_the_compiled_catalog_is_the_po(lang: str) -> None:
    """The committed .mo (a fresh machine needs no gettext) says what the .po says."""
    assert _mo(lang).exists(), f"compile the catalogs: cd jospar && compilemessages ({lang})"
    _header, entries = read_po(_po(lang))
    with _mo(lang).open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale: list[str] = []
    for entry in entries:
        if entry.msgid_plural is None:
            if compiled.gettext(entry.key) != entry.msgstr[0]:
                stale.append(_where(_po(lang), entry))
            continue
        for n in (1, 2, 5, 11, 21, 22):
            index = int(compiled.plural(n))  # type: ignore[attr-defined]
            got = compiled.ngettext(entry.key, entry.msgid_plural, n)
            if got != entry.msgstr.get(index):
                stale.append(f"{_where(_po(lang), entry)} (n={n})")
                break
    assert not stale, "the .mo is older than the .po; run compilemessages:\n" + "\n".join(stale)
    # And the .mo holds nothing the .po no longer has (a catalog compiled from another .po).
    known = {entry.key for entry in entries} | {""}
    catalog: dict[Any, str] = vars(compiled)["_catalog"]
    extra = [key for key in catalog if (key[0] if isinstance(key, tuple) else key) not in known]
    assert not extra, f"the .mo has entries the .po has not: {extra[:5]}"


def test_russian_plural_forms_count_as_russian_does() -> None:
    with translation.override("ru"):
        forms = [
            translation.ngettext("%(n)s obligation", "%(n)s obligations", n) % {"n": n}
            for n in (1, 2, 5, 11, 21, 22, 25, 111)
        ]
    assert forms == [
        "1 контрольный срок",
        "2 контрольных срока",
        "5 контрольных сроков",
        "11 контрольных сроков",
        "21 контрольный срок",
        "22 контрольных срока",
        "25 контрольных сроков",
        "111 контрольных сроков",
    ]


def test_the_framework_messages_are_django_s_own() -> None:
    """The Django texts our catalog carries must still be Django's: else they translate nothing."""
    from django.contrib.auth import forms as auth_forms
    from django.contrib.auth import password_validation

    from jospar.core import framework_messages

    with translation.override("en"):
        theirs = {
            str(auth_forms.AuthenticationForm.error_messages["invalid_login"]),
            str(auth_forms.SetPasswordMixin.error_messages["password_mismatch"]),
            password_validation.CommonPasswordValidator().get_help_text(),
            password_validation.NumericPasswordValidator().get_help_text(),
        }
    ours = {str(message) for message in framework_messages.MESSAGES}
    assert theirs <= ours
    with translation.override("kk"):
        assert password_validation.NumericPasswordValidator().get_help_text() == (
            "Құпиясөз тек сандардан тұрмауы керек."
        )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_every_marked_string_is_in_the_catalogs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``makemessages`` on the sources finds no string the committed catalogs lack.

    Fails when a string was marked for translation (or changed) and the catalogs were not
    brought up to date: run ``make messages``, translate, and commit the .po and .mo files.
    """
    source = tmp_path / "jospar"
    shutil.copytree(
        JOSPAR,
        source,
        ignore=shutil.ignore_patterns(
            "locale", "__pycache__", "*.pyc", "static", "demo_seeds", "fixtures", "*.docx"
        ),
    )
    (source / "locale").mkdir()
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[source / "locale"]):
        call_command("makemessages", locale=["kk"], no_obsolete=True, verbosity=0)
    _, fresh = read_po(source / "locale" / "kk" / "LC_MESSAGES" / "django.po")
    for lang in LANGS:
        _, committed = read_po(_po(lang))
        have = {(e.key, e.msgid_plural) for e in committed}
        want = {(e.key, e.msgid_plural) for e in fresh}
        missing = sorted(want - have)
        obsolete = sorted(have - want)
        assert not missing, (
            f"{len(missing)} strings are not in the {lang} catalog (run `make messages` and "
            f"translate them): {[m[0][:60] for m in missing[:10]]}"
        )
        assert not obsolete, (
            f"the {lang} catalog has strings the sources no longer use (run `make messages`): "
            f"{[o[0][:60] for o in obsolete[:10]]}"
        )


# --- the pages ---------------------------------------------------------------------------------

# The navigation's label for the plans, as each language's reader sees it.
PLANS_LABEL = {"kk": "Жоспарлар", "ru": "Планы", "en": "Plans"}
LOG_IN = {"kk": "Кіру", "ru": "Войти", "en": "Log in"}
REVIEW_HEADING = {
    "kk": "Сақтамас бұрын жоспарды тексеріңіз",
    "ru": "Проверьте план перед сохранением",
    "en": "Check the plan before saving",
}


def _english_sentences() -> list[str]:
    """The catalog's longer English sources: none may show on a Kazakh or Russian page."""
    _, entries = read_po(_po("kk"))
    return [
        e.msgid
        for e in entries
        if e.msgid_plural is None
        and len(e.msgid.split()) >= 4
        and not PLACEHOLDER.search(e.msgid)
        and "<" not in e.msgid
    ]


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _client(lang: str, user: Any = None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def administrator(make_user: Callable[..., Any]) -> Any:
    from jospar.core.models import Role

    return make_user(Role.ADMINISTRATOR, username="translator")


@pytest.fixture
def draft(administrator: Any, regions: None, seed_path: Callable[[str], Path]) -> Any:
    """The Kazakh plan on state symbols, uploaded and waiting for review."""
    from jospar.plans.services.upload import plan_upload_create

    path = seed_path("003")
    return plan_upload_create(actor=administrator, data=path.read_bytes(), filename=path.name)


def _pages(administrator: Any, draft: Any) -> Iterator[tuple[str, Any, str, dict[str, str]]]:
    yield "home", None, reverse("home"), LOG_IN
    # A signed-in administrator lands on the plan import (jospar.navigation).
    yield "landing (signed in)", administrator, reverse("plans:upload"), PLANS_LABEL
    yield "login", None, reverse("login"), LOG_IN
    yield "plans", administrator, reverse("plans:list"), PLANS_LABEL
    yield "review", administrator, reverse("plans:upload-review", args=[draft.pk]), REVIEW_HEADING


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_pages_speak_the_reader_s_language(lang: str, administrator: Any, draft: Any) -> None:
    english = _english_sentences() if lang != "en" else []
    for name, user, url, phrase in _pages(administrator, draft):
        response = _client(lang, user).get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert f'<html lang="{lang}"' in html, name
        assert phrase[lang] in html, f"{name}: {phrase[lang]!r} missing in {lang}"
        text = _visible_text(html)
        leaked = [sentence for sentence in english if sentence in text]
        assert not leaked, f"{name} in {lang} shows English: {leaked[:5]}"


@pytest.fixture
def draft_with_warnings(administrator: Any, regions: None, seed_path: Callable[[str], Path]) -> Any:
    """The Kazakh text of «Нация Единого Будущего» (its executors cells need repairs), with one
    deadline made unreadable by a correction."""
    from jospar.plans.services.upload import plan_upload_correct, plan_upload_create

    path = seed_path("000")
    upload = plan_upload_create(actor=administrator, data=path.read_bytes(), filename=path.name)
    return plan_upload_correct(
        actor=administrator,
        upload=upload,
        activity_number="2",
        field="deadline_text",
        value="белгісіз",
    )


@pytest.mark.parametrize("lang", LANGS)
def test_a_warning_shows_in_the_reader_s_language_with_the_parser_s_words_kept(
    lang: str, administrator: Any, draft_with_warnings: Any
) -> None:
    """The parser writes English; the review page translates, and keeps the original on hover."""
    from django.utils.html import escape

    from jospar.plans.warning_text import warning_text

    draft = draft_with_warnings
    warnings = [w for item in draft.parsed["activities"] for w in item.get("warnings") or []]
    codes = {w["code"] for w in warnings}
    assert {"executors_repaired", "deadline_unreadable"} <= codes
    html = (
        _client(lang, administrator)
        .get(reverse("plans:upload-review", args=[draft.pk]))
        .content.decode()
    )
    for warning in warnings:
        with translation.override(lang):
            shown = warning_text(warning)
        with translation.override("en"):
            english = warning_text(warning)
        assert shown != english, warning
        assert warning["activity"] in shown
        assert escape(shown) in html
        assert f'title="{escape(warning["message"])}"' in html


# --- the pages for passwords -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_password_is_reset_in_the_reader_s_language(
    lang: str, make_user: Callable[..., Any], mailoutbox: list[Any]
) -> None:
    user = make_user(username="forgetful", email="forgetful@example.kz")
    client = _client(lang)
    with translation.override(lang):
        expected = {
            "form": translation.gettext("Send the link"),
            "done": translation.gettext("Check your e-mail"),
            "subject": translation.gettext("Setting a new password in jospar (%(site_name)s)")
            % {"site_name": "testserver"},
            "body": translation.gettext("Your user name: %(username)s") % {"username": "forgetful"},
            "confirm": translation.gettext("Set the password"),
            "complete": translation.gettext(
                "Your new password has been set. You can log in with it now."
            ),
            "invalid": translation.gettext("Request a new link"),
        }
    if lang != "en":
        assert expected["form"] != "Send the link"
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200
    assert f'<html lang="{lang}"' in page.content.decode()
    assert expected["form"] in page.content.decode()
    done = client.post(reverse("password_reset"), {"email": user.email}, follow=True)
    assert expected["done"] in done.content.decode()
    assert len(mailoutbox) == 1
    letter = mailoutbox[0]
    assert letter.subject == expected["subject"]
    assert expected["body"] in letter.body
    link = re.search(r"https?://testserver(/\S+)", letter.body)
    assert link is not None, letter.body
    confirm = client.get(link.group(1), follow=True)
    assert expected["confirm"] in confirm.content.decode()
    complete = client.post(
        confirm.redirect_chain[-1][0] if confirm.redirect_chain else link.group(1),
        {"new_password1": "a-new-Password-2026", "new_password2": "a-new-Password-2026"},
        follow=True,
    )
    assert expected["complete"] in complete.content.decode()
    user.refresh_from_db()
    assert user.check_password("a-new-Password-2026")
    # The same link a second time is refused, in the same language.
    again = client.get(link.group(1), follow=True)
    assert expected["invalid"] in again.content.decode()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_password_change_explains_its_rules_in_the_reader_s_language(
    lang: str, make_user: Callable[..., Any]
) -> None:
    user = make_user(username="careful")
    client = _client(lang, user)
    page = client.get(reverse("password_change")).content.decode()
    with translation.override(lang):
        rule = translation.gettext("Your password can’t be entirely numeric.")
        mismatch = translation.gettext("The two password fields didn’t match.")
        changed = translation.gettext("Password changed")
    assert rule in page
    assert rule != "Your password can’t be entirely numeric."
    refused = client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "a-new-Password-2026",
            "new_password2": "another-Password-2026",
        },
    ).content.decode()
    assert mismatch in refused
    done = client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "a-new-Password-2026",
            "new_password2": "a-new-Password-2026",
        },
        follow=True,
    )
    assert changed in done.content.decode()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_wrong_password_is_refused_in_the_reader_s_language(
    lang: str, make_user: Callable[..., Any]
) -> None:
    make_user(username="someone")
    page = (
        _client(lang)
        .post(reverse("login"), {"username": "someone", "password": "wrong"})
        .content.decode()
    )
    assert "Please enter a correct" not in page
    with translation.override(lang):
        assert translation.gettext("Password") in page


def test_the_logged_out_page_is_translated() -> None:
    from django.template.loader import render_to_string

    with translation.override("kk"):
        html = render_to_string("registration/logged_out.html")
    assert "Жүйеден шықтыңыз" in html
