"""The English translation is complete and up to date, and no template text escapes translation.

Source strings are Norwegian bokmål; ``translations/en`` holds English. When one of these tests
fails after you changed UI text, run ``make translations`` and translate the new entries in
``src/fagkonferanse/translations/en/LC_MESSAGES/messages.po`` (no fuzzy entries), then compile.
"""

from __future__ import annotations

import ast
import re
import shlex
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from jinja2 import Environment, nodes

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "src" / "fagkonferanse" / "translations"
POT = TRANSLATIONS / "messages.pot"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
EN_MO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo"

FIX = "Run `make translations`, translate the new entries in the English messages.po and compile."

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def read_catalogue(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def message_ids(catalogue) -> set:
    """Every message of a catalogue, a plural one as its (singular, plural) pair."""
    return {message.id for message in catalogue if message.id}


def as_tuple(value) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


# --- The catalogue ------------------------------------------------------------------------------


def test_every_message_has_an_english_translation():
    english = read_catalogue(EN_PO)
    problems = []
    for msgid in sorted(message_ids(read_catalogue(POT)), key=str):
        message = english.get(msgid)
        if message is None:
            problems.append(f"not in en/messages.po: {msgid!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        elif not all(text.strip() for text in as_tuple(message.string)):
            problems.append(f"untranslated: {msgid!r}")
    assert not problems, FIX + "\n" + "\n".join(problems)


def test_translations_keep_the_placeholders():
    """A translation uses exactly the ``%(name)s`` placeholders of its source (a plural's
    singular may leave out ``%(num)s``: "The programme breaks a rule")."""
    problems = []
    for message in read_catalogue(EN_PO):
        if not message.id or not message.string:
            continue
        sources, translations = as_tuple(message.id), as_tuple(message.string)
        wanted = set(PLACEHOLDER.findall(sources[-1]))
        for index, text in enumerate(translations):
            if not text:
                continue
            found = set(PLACEHOLDER.findall(text))
            allowed_missing = {"%(num)s", "%(num)d"} if len(sources) > 1 and index == 0 else set()
            if found - wanted or wanted - found - allowed_missing:
                problems.append(f"{sources[0]!r} → {text!r}: {sorted(wanted)} ≠ {sorted(found)}")
    assert not problems, "\n".join(problems)


def test_no_fuzzy_entries_left():
    fuzzy = [message.id for message in read_catalogue(EN_PO) if message.id and message.fuzzy]
    assert not fuzzy, f"fuzzy entries need a translator's look: {fuzzy}"


def _message_table(mo_path: Path) -> dict:
    with mo_path.open("rb") as handle:
        catalogue = read_mo(handle)
    return {as_tuple(message.id): as_tuple(message.string) for message in catalogue if message.id}


def test_the_committed_mo_is_compiled_from_the_po(tmp_path):
    compiled = tmp_path / "messages.mo"
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "compile",
         "-i", str(EN_PO), "-o", str(compiled), "-l", "en"],
        cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert EN_MO.exists(), f"{EN_MO} is missing. {FIX}"
    assert _message_table(EN_MO) == _message_table(compiled), (
        f"{EN_MO.relative_to(ROOT)} is out of date with messages.po. {FIX}")


def _makefile_extract_arguments() -> list[str]:
    """The arguments of the ``pybabel extract`` line in the Makefile's ``translations`` target."""
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if "pybabel extract" in line:
            return shlex.split(line.split("pybabel", 1)[1])
    raise AssertionError("the Makefile has no `pybabel extract` line")


def test_the_catalogue_is_up_to_date_with_the_code(tmp_path):
    arguments = _makefile_extract_arguments()
    output = arguments.index("-o")
    arguments[output + 1] = str(tmp_path / "fresh.pot")
    result = subprocess.run([sys.executable, "-m", "babel.messages.frontend", *arguments],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    fresh = message_ids(read_catalogue(tmp_path / "fresh.pot"))
    committed = message_ids(read_catalogue(POT))
    new, gone = sorted(fresh - committed, key=str), sorted(committed - fresh, key=str)
    assert not new and not gone, (
        f"messages.pot is out of date with the code. {FIX}\n"
        f"new in the code: {new}\nno longer in the code: {gone}")
    assert message_ids(read_catalogue(EN_PO)) == committed, (
        f"en/messages.po does not match messages.pot. {FIX}")


GETTEXT_FUNCTIONS = {"_", "gettext", "_l", "lazy_gettext"}
PLURAL_FUNCTIONS = {"ngettext", "lazy_ngettext"}


def _python_sources() -> list[Path]:
    """The files babel.cfg extracts from: src/**.py and plugins/**.py."""
    return sorted([*(ROOT / "src").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")])


def _literal_messages(tree: ast.AST):
    """(line, msgid, in_fstring) of every gettext call with literal text, f-strings included."""
    in_fstrings = {id(inner) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
                   for inner in ast.walk(node)}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        texts = [arg.value for arg in node.args[:2]
                 if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
        if node.func.id in GETTEXT_FUNCTIONS and texts:
            yield node.lineno, texts[0], id(node) in in_fstrings
        elif node.func.id in PLURAL_FUNCTIONS and len(texts) == 2:
            yield node.lineno, tuple(texts), id(node) in in_fstrings


def test_every_gettext_call_in_python_reaches_the_catalogue():
    """Every _("…") in the code is in the catalogue. Babel cannot see a call inside an f-string
    (f"{_('valgfritt')}"), so such text is never translated: make it a message with a
    placeholder instead, _("%(label)s (valgfritt)", label=text)."""
    catalogue = message_ids(read_catalogue(POT))
    missing = []
    for path in _python_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, msgid, in_fstring in _literal_messages(tree):
            if msgid not in catalogue:
                where = " (inside an f-string)" if in_fstring else ""
                missing.append(f"{path.relative_to(ROOT)}:{line}: {msgid!r}{where}")
    assert not missing, f"gettext calls whose text is not in messages.pot. {FIX}\n" + "\n".join(missing)


# --- Templates: no text without _() -------------------------------------------------------------

TEMPLATE_FOLDERS = [ROOT / "templates", *sorted((ROOT / "plugins").glob("*/templates"))]

# Literal text that is the same in every language. Keep this short: everything else goes in _().
ALLOWED_TEXT = {
    "English",  # the language switch names each language in that language
    "Norsk (bokmål)",
    "fagkonferanse",  # the product's name, shown when no event is set up
    "UTC",  # time zone abbreviation after a timestamp
    "ℹ",  # an information icon (Unicode counts it as a letter); aria-hidden beside its text
}

# Attributes whose values people read (or hear from a screen reader).
READ_ATTRIBUTES = {"alt", "title", "aria-label", "aria-description", "aria-roledescription",
                   "placeholder", "label"}

# Blocks holding CSS or script for a parent template's <style>/<script> element.
RAW_BLOCKS = {"style", "script"}

EXPRESSION = "\ue000"  # stands for anything Jinja outputs: never a letter
LETTER = re.compile(r"[^\W\d_]")


# CSS written by a macro for a <style> block ({% macro box(b) %}left: {{ b.left }}mm;{% endmacro %}).
CSS_DECLARATION = re.compile(
    r"(?<![\w-])(?:(?:margin|padding|border|font|background)(?:-[a-z]+)*|left|right|top|bottom"
    r"|(?:min-|max-)?(?:width|height)|line-height|color|display|position|size|text-align)"
    r"\s*:[^;{}<>]*;")


# A unit right after a number printed by an expression ({{ width }}mm), e.g. in a macro for CSS.
UNIT_AFTER_EXPRESSION = re.compile(EXPRESSION + r"\s*(?:mm|cm|pt|px|em|rem)\b")


def _has_text(value: str) -> bool:
    text = UNIT_AFTER_EXPRESSION.sub(" ", CSS_DECLARATION.sub(" ", value)).replace(EXPRESSION, " ")
    for allowed in sorted(ALLOWED_TEXT, key=len, reverse=True):
        text = text.replace(allowed, " ")
    return bool(LETTER.search(text))


def _shown(value: str) -> str:
    return " ".join(value.replace(EXPRESSION, " {{…}} ").split())


class _VisibleText(HTMLParser):
    """Collects text content and read attributes that contain letters, outside script/style."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._raw = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._raw += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            read = name in READ_ATTRIBUTES or (
                name == "value" and tag == "input"
                and (attributes.get("type") or "").lower() in ("submit", "button", "reset"))
            if read and _has_text(value):
                self.found.append(f'<{tag} {name}="{_shown(value)}">')

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._raw:
            self._raw -= 1

    def handle_data(self, data):
        if not self._raw and _has_text(data):
            self.found.append(_shown(data))


def _rendered_literals(expression: nodes.Node):
    """String constants an output expression can print as they are ({{ x or "ukjent" }})."""
    if isinstance(expression, nodes.Const) and isinstance(expression.value, str):
        yield expression.value
    elif isinstance(expression, nodes.CondExpr):
        yield from _rendered_literals(expression.expr1)
        if expression.expr2 is not None:
            yield from _rendered_literals(expression.expr2)
    elif isinstance(expression, (nodes.Or, nodes.And)):
        yield from _rendered_literals(expression.left)
        yield from _rendered_literals(expression.right)
    elif isinstance(expression, nodes.Concat):
        for part in expression.nodes:
            yield from _rendered_literals(part)


def unmarked_text(source: str) -> list[str]:
    """Text in a Jinja template that people see but that is not wrapped in ``_()``.

    The template's literal markup is put back together in source order, with a placeholder for
    each expression (followed by any string constant it may print as it is), then read as HTML.
    """
    tree = Environment(extensions=["jinja2.ext.i18n"]).parse(source)
    markup: list[str] = []

    def walk(node: nodes.Node) -> None:
        if isinstance(node, nodes.Block) and node.name in RAW_BLOCKS:
            return
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    markup.append(child.data)
                else:
                    markup.append(EXPRESSION + "".join(_rendered_literals(child)))
            return
        for child in node.iter_child_nodes():
            walk(child)

    walk(tree)
    # A tag whose name is an expression (<{{ heading }} …>) is still a tag.
    html = "".join(markup).replace("</" + EXPRESSION, "</x-expr").replace("<" + EXPRESSION, "<x-expr")
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser.found


def _templates() -> list[Path]:
    """Pages, and the plain-text mail templates (babel.cfg extracts ``templates/**.txt`` too)."""
    return sorted(path for folder in TEMPLATE_FOLDERS for pattern in ("*.html", "*.txt")
                  for path in folder.rglob(pattern))


def test_the_scanner_finds_unmarked_text():
    """Guards the check below: it must see text, attributes and printed literals."""
    assert unmarked_text('<p>{{ _("Hei") }}</p><a title="{{ _(\'Lukk\') }}">×</a>') == []
    assert unmarked_text("<h1>Foredragsholdere</h1>") == ["Foredragsholdere"]
    assert unmarked_text('<p>{% if x %}{{ x }}{% else %}Ingen{% endif %}</p>') == ["{{…}} Ingen"]
    assert unmarked_text('<img alt="Kart over {{ b }}" src="x.png">') == ['<img alt="Kart over {{…}}">']
    assert unmarked_text('<input type="submit" value="Lagre">') == ['<input value="Lagre">']
    assert unmarked_text('<p>{{ name or "ukjent" }}</p>') == ["{{…}} ukjent"]
    assert unmarked_text('<html lang="{{ lang or \'nb\' }}"><{{ h }} class="x">{{ t }}</{{ h }}>') == []
    assert unmarked_text("<style>p { color: red }</style><!-- merknad --><p>&nbsp;– {{ x }} ·</p>") == []
    assert unmarked_text("{% block style %}@page { size: A4; margin: 18mm }{% endblock %}") == []
    assert unmarked_text("{% macro box(b) %}left: {{ b.left }}mm; width: {{ b.w }}mm;{% endmacro %}") == []
    assert unmarked_text("<p>Merk: {{ x }} venter;</p>") == ["Merk: {{…}} venter;"]
    assert unmarked_text("{% macro mm(v) %}{{ v * 2 }}mm{% endmacro %}<p>{{ n }} mm</p>") == []
    assert unmarked_text('<a href="/">English</a><p>({{ t }} UTC)</p>') == []


def test_no_template_text_escapes_translation():
    assert _templates(), "no templates found"
    problems = []
    for path in _templates():
        for text in unmarked_text(path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(ROOT)}: {text}")
    assert not problems, (
        "Template text not marked for translation: wrap it in {{ _(\"…\") }} "
        "(or, if it is the same in every language, add it to ALLOWED_TEXT with a reason).\n"
        + "\n".join(problems))


# --- The English site ---------------------------------------------------------------------------

# Norwegian UI words that must not survive on an English page (none of them occur in the data).
NORWEGIAN_UI = ["Hopp til innholdet", "Hovedmeny", "Foredragsholdere", "Hele programmet",
                "Finn standene", "Standplass", "Meld meg på", "Logg ut", "Innlogget som",
                "Bytt passord", "Endringslogg", "Nytt programpunkt", "Prosjektkatalog", "(valgfritt)"]

PUBLIC_PAGES = ["/", "/programme", "/speakers", "/stands", "/catalogue", "/catalogue/funding",
                "/register", "/login"]
ORGANISER_PAGES = ["/admin/", "/admin/programme", "/admin/speakers", "/admin/stands",
                   "/admin/locations", "/admin/audit", "/admin/attendees/", "/admin/registration/",
                   "/admin/checkin", "/admin/stats", "/admin/catalogue", "/admin/print/"]


def _english_page(client, path: str) -> str:
    client.set_cookie("lang", "en")
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page, path
    return page


def _leftovers(page: str) -> list[str]:
    return [word for word in NORWEGIAN_UI if word in page]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_in_english(client, path):
    page = _english_page(client, path)
    assert "Skip to content" in page and 'aria-label="Main menu"' in page
    assert "Norsk (bokmål)" in page  # the way back
    assert not _leftovers(page), (path, _leftovers(page))


def test_public_english_navigation(client):
    page = _english_page(client, "/")
    for label in ("Programme", "Speakers", "Stands"):
        assert f">{label}</a>" in page, label


def test_organiser_pages_in_english(admin_client):
    for path in ORGANISER_PAGES:
        page = _english_page(admin_client, path)
        assert "Log out" in page, path
        assert not _leftovers(page), (path, _leftovers(page))


def test_norwegian_stays_the_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="nb">' in page and "Hopp til innholdet" in page and ">English</a>" in page


# --- The language switch keeps the page ---------------------------------------------------------


def test_language_switch_keeps_path_and_query(client):
    response = client.get("/language/en", query_string={"next": "/catalogue?q=bolig&target=Kvinner"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/catalogue?q=bolig&target=Kvinner"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<html lang="en">' in page


def test_language_links_point_back_to_the_same_page(client):
    """Each page links to the other language with itself (path and query) as the target."""
    page = client.get("/catalogue?q=bolig").get_data(as_text=True)
    assert '/language/en?next=/catalogue?q%3Dbolig"' in page or \
        '/language/en?next=/catalogue%3Fq%3Dbolig"' in page, re.findall(r'href="(/language[^"]*)"', page)
    link = re.search(r'href="(/language/en[^"]*)"', page).group(1).replace("&amp;", "&")
    response = client.get(link)
    assert response.headers["Location"] == "/catalogue?q=bolig"
    english = client.get("/catalogue?q=bolig").get_data(as_text=True)
    back = re.search(r'href="(/language/nb[^"]*)"', english).group(1).replace("&amp;", "&")
    assert client.get(back).headers["Location"] == "/catalogue?q=bolig"
    assert '<html lang="nb">' in client.get("/catalogue?q=bolig").get_data(as_text=True)


def test_language_switch_from_a_page_without_query(client):
    page = client.get("/stands").get_data(as_text=True)
    link = re.search(r'href="(/language/en[^"]*)"', page).group(1).replace("&amp;", "&")
    assert client.get(link).headers["Location"] == "/stands"
