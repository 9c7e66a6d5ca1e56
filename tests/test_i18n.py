"""UI translations: complete catalogs, a .pot that matches the source, and pages
that come out in the language the browser, the switcher or the tenant asks for.

The .mo files are git-ignored build output (`make translations`); the test
`app` fixture compiles any that are missing or stale (tests/catalogs.py).
"""
import email
import email.policy
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from markupsafe import escape

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "app" / "translations"
POT = TRANSLATIONS / "messages.pot"
LANGUAGES = ("zh_Hans", "zh_Hant")
# The same extraction command docs/TRANSLATING.md gives.
EXTRACT_ARGS = ["-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext"]

# printf-style placeholders: %(name)s, %(n)d, %s, %.2f … (%% is a literal percent sign).
_PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def msgids(catalog) -> set:
    """The msgid of every message (a (singular, plural) tuple for plural ones), header excluded."""
    return {message.id for message in catalog if message.id}


def placeholders(text: str) -> list[str]:
    return sorted(p for p in _PLACEHOLDER.findall(text) if p != "%%")


def translation(language: str, msgid: str) -> str:
    message = read_catalog(po_path(language)).get(msgid)
    assert message is not None and message.string, f"{msgid!r} is not translated into {language}"
    return message.string[0] if isinstance(message.string, tuple) else message.string


@pytest.fixture(scope="module")
def fresh_pot(tmp_path_factory) -> Path:
    """The source's strings, extracted now with the venv's own Babel."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", *EXTRACT_ARGS,
         "-o", str(out), "."],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )
    return out


# --- The catalogs themselves -------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_without_fuzzy_entries(language):
    catalog = read_catalog(po_path(language))
    assert str(catalog.locale) == language
    assert not catalog.fuzzy, f"the {language} header is marked fuzzy: pybabel compile would skip the file"
    assert catalog.num_plurals == 1  # Chinese has a single plural form
    untranslated, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.pluralizable and len(strings) != catalog.num_plurals:
            untranslated.append(message.id)
        elif not all(s and s.strip() for s in strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not untranslated, f"untranslated in {language}: {untranslated}"
    assert not fuzzy, f"fuzzy (check, then remove the flag) in {language}: {fuzzy}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    wrong = []
    for message in read_catalog(po_path(language)):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        # Every plural form must name the plural msgid's placeholders.
        expected = placeholders(ids[-1])
        for text in strings:
            if placeholders(text) != expected:
                wrong.append((ids[0], text))
    assert not wrong, f"placeholders differ from the msgid in {language}: {wrong}"


def test_pot_and_catalogs_match_the_source(fresh_pot):
    in_source = msgids(read_catalog(fresh_pot))
    assert len(in_source) > 50, "extraction found almost nothing: is babel.cfg still right?"
    problems = []
    committed = msgids(read_catalog(POT))
    if committed != in_source:
        problems.append(
            f"app/translations/messages.pot is out of date: new {sorted(in_source - committed, key=str)}, "
            f"gone {sorted(committed - in_source, key=str)}"
        )
    for language in LANGUAGES:
        in_po = msgids(read_catalog(po_path(language)))
        missing, stale = in_source - in_po, in_po - in_source
        if missing:
            problems.append(f"{language}: not in the catalog yet: {sorted(missing, key=str)}")
        if stale:
            problems.append(f"{language}: no longer in the source: {sorted(stale, key=str)}")
    assert not problems, (
        "\n".join(problems) + "\nSee docs/TRANSLATING.md: extract, pybabel update, translate."
    )


# --- What users see ----------------------------------------------------------------------

SLOGAN = "Every customer, every deal, one place"


@pytest.mark.parametrize(("accept_language", "html_lang", "language"), [
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans", "zh_Hans"),
    ("zh-TW,zh;q=0.9", "zh-Hant", "zh_Hant"),
    ("zh-HK", "zh-Hant", "zh_Hant"),
    ("en-US,en;q=0.9", "en", "en"),
])
def test_home_page_follows_the_browser_language(client, accept_language, html_lang, language):
    page = client.get("/", headers={"Accept-Language": accept_language}).get_data(as_text=True)
    assert f'<html lang="{html_lang}">' in page
    if language == "en":
        assert SLOGAN in page
        assert "客户" not in page and "客戶" not in page
    else:
        assert str(escape(translation(language, SLOGAN))) in page
        assert SLOGAN not in page
    if language == "zh_Hans":
        assert "客户" in page and "客戶" not in page
    if language == "zh_Hant":
        assert "客戶" in page and "客户" not in page


def test_language_switcher_wins_over_the_browser(client):
    response = client.post("/language", data={"language": "zh_Hant", "next": "/"})
    assert response.status_code == 302
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert '<html lang="zh-Hant">' in page
    assert translation("zh_Hant", SLOGAN) in page
    # The switcher shows the choice.
    assert re.search(r'<option value="zh_Hant"\s+selected', page)

    client.post("/language", data={"language": "en", "next": "/"})
    page = client.get("/", headers={"Accept-Language": "zh-TW"}).get_data(as_text=True)
    assert '<html lang="en">' in page and SLOGAN in page


def test_unknown_language_is_ignored(client):
    client.post("/language", data={"language": "xx", "next": "/"})
    page = client.get("/", headers={"Accept-Language": "zh-TW"}).get_data(as_text=True)
    assert '<html lang="zh-Hant">' in page


@pytest.mark.parametrize(("locale", "html_lang", "words"), [
    ("zh_Hant", "zh-Hant", ["登入", "電子郵件", "密碼", "忘記密碼？"]),
    ("zh_Hans", "zh-Hans", ["登录", "邮箱", "密码", "忘记密码？"]),
])
def test_tenant_login_page_follows_the_tenant_language(client, new_tenant, locale, html_lang, words):
    tenant = new_tenant(locale=locale)
    page = client.get(f"/t/{tenant.slug}/login",
                      headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert f'<html lang="{html_lang}">' in page
    for word in words:
        assert word in page
    for msgid in ("Log in", "E-mail", "Password", "Keep me logged in", "Forgot your password?"):
        assert translation(locale, msgid) in page
        assert f">{msgid}<" not in page


def test_wrong_password_message_is_translated(client, new_tenant):
    tenant = new_tenant(locale="zh_Hant")
    response = client.post(f"/t/{tenant.slug}/login",
                           data={"email": f"owner@{tenant.slug}.example", "password": "wrong-one"})
    assert response.status_code == 422
    assert translation("zh_Hant", "Wrong e-mail or password.") in response.get_data(as_text=True)


def test_password_reset_mail_is_in_the_tenant_language(app, client, new_tenant):
    tenant = new_tenant(locale="zh_Hant")
    address = f"owner@{tenant.slug}.example"
    response = client.post(f"/t/{tenant.slug}/password/forgot", data={"email": address})
    assert response.status_code == 302
    sink = Path(app.config["MAIL_SINK_DIR"])
    files = sorted(sink.glob(f"*-{address.replace('@', '_at_')}.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert message["Subject"] == translation("zh_Hant", "Reset your password")
    body = message.get_content()
    assert translation("zh_Hant", "Hello %(name)s,") % {"name": "Owner"} in body
    assert translation("zh_Hant", "Use this link within one hour to choose a new password:") in body


def test_plural_messages(app):
    from flask_babel import force_locale, ngettext

    singular = "%(num)d warm schema waiting in the pool."
    plural = "%(num)d warm schemas waiting in the pool."
    with app.test_request_context("/"):
        with force_locale("en"):
            assert ngettext(singular, plural, 1) == "1 warm schema waiting in the pool."
            assert ngettext(singular, plural, 3) == "3 warm schemas waiting in the pool."
        for language in LANGUAGES:
            with force_locale(language):
                expected = translation(language, (singular, plural)) % {"num": 3}
                assert ngettext(singular, plural, 3) == expected
                assert "3" in expected
