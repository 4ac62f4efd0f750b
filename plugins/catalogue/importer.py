"""Parse the project catalogue from the plain text of a conference booklet.

The booklet is text extracted from a PDF.  The extraction leaves recognisable
traces that this parser relies on (learnt from "Østfold prosjektkatalog 2016"):

* double-spaced pages put an *empty* line between every printed line, while a
  printed empty paragraph becomes a *whitespace-only* line -- so in the
  catalogue only whitespace-only lines are hard paragraph breaks;
* nearly every printed line ends with a space; a line ending in "<letter>-"
  with no trailing space is a word wrapped inside the word;
* bullets are "\\uf0b7"/"•"/"\\uf0a7"/"\\uf0d8", "o" and "-"; their nesting is
  the order in which marker kinds appear inside one list;
* template prompts ("Beskriv kort ...") and residue ("- Organisering") are noise.

Public API: ``parse_catalogue(text)`` (mechanical, deterministic), then
``apply_corrections(parsed, load_corrections())`` for the few places the text is
too broken (see data/corrections_2016.json), plus ``slug()``.  No Flask, no
database: the result is plain dataclasses whose blocks are JSON-ready dicts
({"type": "paragraph", "text"} or {"type": "list", "items": [{"text", "children"}]}).
"""

import copy
import json
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Block = dict[str, Any]
Line = tuple[int, str]  # (0-based index, raw text)

CORRECTIONS_2016 = Path(__file__).parent / "data" / "corrections_2016.json"
SHEET_KEYS = ("kommune", "prosjekt", "maal", "status", "robusthet", "suksess",
              "samhandling", "overforbarhet", "unikhet", "kontakt")
RECIPE_KEYS = ("beskrivelse", "premisser", "styrker", "svakheter", "overforbarhet", "hvor")


class CatalogueFormatError(Exception):
    """The input is not a project catalogue (empty, binary, truncated, ...)."""


class CorrectionError(ValueError):
    """A correction does not apply to the parsed catalogue (wrong target, bad op)."""


@dataclass
class Problem:
    line: int  # 1-based
    message: str


@dataclass
class ParsedSheet:
    owner: str
    project_name: str
    funding_scheme: str | None
    funding_body: str | None
    sections: dict[str, list[Block]]
    line: int
    target_groups: list[str] = field(default_factory=list)
    slug: str = ""


@dataclass
class ParsedRecipe:
    title: str
    project_name: str
    sections: dict[str, list[Block]]
    line: int
    sheet_slug: str = ""  # project names are not unique ("Jobbsjansen"), slugs are
    slug: str = ""


@dataclass
class ParsedPage:
    title: str
    url: str
    sections: dict[str, list[Block]]  # keyed by the heading as printed
    line: int
    footer: list[Block] = field(default_factory=list)


@dataclass
class ParsedCatalogue:
    sheets: list[ParsedSheet]
    recipes: list[ParsedRecipe]
    pages: list[ParsedPage]
    problems: list[Problem]


# --------------------------------------------------------------------------- patterns
def _heads(*pairs: tuple[str, str]) -> list[tuple[str, re.Pattern[str]]]:
    return [(key, re.compile(rx)) for key, rx in pairs]


SHEET_HEADINGS = _heads(
    ("kommune", r"kort beskrivelse av (?:\w+ )?kommunen?"),
    ("prosjekt", r"kort beskrivelse av (?:[\w-]+-)?prosjektet"),
    ("maal", r"ønskede mål og resultater"),
    ("status", r"prosjektets status og fremgang"),
    ("robusthet", r"(?:beskriv )?(?:prosjektets )?faglige? robusthet"),
    ("suksess", r"suksesskriterier ?[–-] ?prøving og feiling"),
    ("samhandling", r"samhandling med relevante aktører"),
    ("overforbarhet", r"overførbarhet"),
    ("unikhet", r"unikhet"),
    ("kontakt", r"kontaktinformasjon(?: for prosjektet)?"),
)
_PREMISES = r"(?: ved å benytte denne oppskriften med disse premissene)"
RECIPE_HEADINGS = _heads(
    ("beskrivelse", r"beskrivelse"), ("premisser", r"premisser"),
    ("styrker", rf"styrker{_PREMISES}?"), ("svakheter", rf"svakheter{_PREMISES}?"),
    ("overforbarhet", r"vurdering av overførbarhet"), ("hvor", r"hvor"),
)
# "Styrker ved ... premissene er at deltageren får ..." -- heading run into its text.
RECIPE_INLINE = _heads(("styrker", rf"styrker{_PREMISES} \w"), ("svakheter", rf"svakheter{_PREMISES} \w"))

HEADER_RE = re.compile(r"^\s*(?P<region>\w+) prosjektkatalog\s+\d{4}\s*$")
OWNER_RE = re.compile(r"^\s*(?P<town>[A-ZÆØÅ][a-zæøå]+)\s+[Kk]ommune\s*[-–]\s*")
RECIPE_RE = re.compile(r"^\s*oppskrift\b", re.I)
URL_RE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")
MAILTO_RE = re.compile(r"^\s*mailto:")
EMAIL_RE = re.compile(r"\S+@\S+")
GLYPHS = "\uf0b7\u2022\uf0a7\uf0d8"
MARKER_RE = re.compile(
    rf"^\s*(?:(?P<glyph>[{GLYPHS}])|(?P<o>o)(?=\s|$)|(?P<dash>-)|"
    r"(?P<num>\d{1,2})\s*(?:[.)](?=\s|[^\W\d_])|-\s)|(?P<dot>\.)(?=[A-ZÆØÅ]))\s*(?P<text>.*)$")
WRAP_RE = re.compile(r"[^\W\d_]-$")  # no trailing space: wrapped inside a word
FUNCTION_WORDS = {"og", "i", "til", "av", "for", "med", "på", "om", "som", "er", "en", "et",
                  "fra", "mot", "eller", "samt", "både", "ved", "de", "det", "at"}
PROMPTS = ("beskriv kort ", "beskriv ønskede mål og leveranser", "beskriv dagens status",
           "vurder kort i hvor stor grad", "vurder i hvor stor grad", "hva er premissene for",
           "eksempler på kommuner som jobber med dette", "maks tre faktorer som har fungert/ikke",
           "arbeidsmarked (sysselsetting", "hvor kommer prosjektmidler fra")
RESIDUE = {"organisering", "målgruppe", "topp tre prioriterte fokusområder"}

SCHEMES = [("Jobbsjansen", r"jobbsjansen"),
           ("Kommunale utviklingsmidler (KUM)", r"kommunale\s+utviklingsmidler|\bKUM\b"),
           ("Barnefattigdomsmidler", r"barnefattigdom\w*midler"),
           ("Kompetansetilskudd", r"kompetansetilskudd")]
BODIES = [("Arbeids- og velferdsdirektoratet", r"arbeids\W*og\s+velferdsdirektorat"),
          ("Helsedirektoratet", r"helse\s?direktorat"),
          ("IMDi", r"integrerings\W+(?:og\W+)?mangfoldsdirektorat|\bimdi\b"),
          ("Bufdir", r"barne\W+ungdoms\W+og\s+familiedirektorat|\bbufdir\b"),
          ("Husbanken", r"husbanken"), ("Fylkesmannen", r"fylkesmannen")]
# Who administers which scheme, as stated in the booklet's foreword ("kommunale
# utviklingsmidler og Jobbsjansen (IMDi), ... barnefattigdomsmidler (Fylkesmannen i
# Østfold), kompetansetilskudd (Husbanken)"); used when a sheet names no body itself.
SCHEME_BODY = {"Jobbsjansen": "IMDi", "Kommunale utviklingsmidler (KUM)": "IMDi",
               "Barnefattigdomsmidler": "Fylkesmannen", "Kompetansetilskudd": "Husbanken"}
FUNDING_SENTENCE = re.compile(r"prosjektmidl|finansiert|forvalter midlene|midlene er", re.I)


# --------------------------------------------------------------------------- helpers
def slug(text: str, max_len: int = 60) -> str:
    """ASCII slug (æ→ae, ø→o, å→a), cut at a word boundary so URLs stay readable."""
    text = text.lower().translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a"}))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > max_len:
        text = text[:max_len + 1].rsplit("-", 1)[0]
    return text


def _norm(line: str) -> str:
    return re.sub(r"\s+", " ", line).strip().lower().rstrip(" .:")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _is_blank(line: str) -> bool:
    return not line.strip()


class _Vocabulary:
    """Words of the whole booklet: decides wrap hyphens and re-cases ALL-CAPS titles."""

    def __init__(self, text: str) -> None:
        words = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text)
        self.lower = {w.lower() for w in words}
        # Casing is learnt mid-sentence only ("med Jobbsjansen"), never after ". " or a bullet.
        self.cased = Counter(re.findall(r"(?<=[^\W\d_] )[^\W\d_]+", text))

    def keeps_hyphen(self, head: str, tail: str) -> bool:
        """Keep "Klar-prosjekt", "NAV-kontor", "Jobb-Intro"; join "digi-tale"."""
        if (len(head) > 1 and head.isupper()) or tail[:1].isupper():
            return True
        probe = f"{head}-{tail}".lower()
        return any(w.startswith(probe) for w in self.lower)

    def recase(self, word: str) -> str:
        low = word.lower()
        return low.capitalize() if self.cased[low.capitalize()] > self.cased[low] else low


def _join(prev: str, last_raw: str, text: str, vocab: _Vocabulary) -> str:
    """Append a continuation line, mending a word wrapped at a hyphen."""
    if not prev:
        return text
    if WRAP_RE.search(last_raw):
        head = re.search(r"([^\W\d_]+)-$", prev).group(1)
        tail = re.match(r"[^\W\d_]*", text).group(0)
        return prev + text if vocab.keeps_hyphen(head, tail) else prev[:-1] + text
    return f"{prev} {text}"


def _joins(a_raw: str, b_raw: str, width: int, in_item: bool, b_is_tail: bool) -> bool:
    """Is line b the continuation of line a?  Layout heuristics, see module doc.

    In a list item an upper-case line only continues the item when it is the item's
    last line ("PPT Nedre" / "Glomma"); otherwise it is a paragraph after the list.
    """
    a, b = _clean(a_raw), _clean(b_raw)
    letter = next((c for c in b if c.isalpha()), "")
    letters = re.sub(r"[\W\d_]", "", b)
    if WRAP_RE.search(a_raw):
        return True
    if not letter:  # a date ends a sentence; ":" or a row of numbers does not
        return " " not in b and any(c.isdigit() for c in b)
    if EMAIL_RE.search(a) and letter.isupper():
        return False  # one contact per line
    if (len(b) <= 40 and b.endswith(":") and b[:1].isupper()) or (len(letters) >= 4 and letters.isupper()):
        return False  # label line ("Ikke fungert:") or ALL-CAPS sub-heading
    if a.endswith(",") or a.split()[-1] in FUNCTION_WORDS:
        return True
    if re.match(r"\d+\s+[^\W\d_]", b):
        return False  # "1 skrevet ut – bestått A1" / "2 skrevet ut – jobb" are records
    if not letter.isupper():
        return True
    if a[-1:] in ".!?:;":
        return len(a) >= 0.75 * width
    if in_item and not b_is_tail:
        return False
    return len(a) >= 0.6 * width


# --------------------------------------------------------------------------- blocks
def _blocks(body: list[Line], vocab: _Vocabulary, problems: list[Problem],
            page_mode: bool = False) -> list[Block]:
    """Turn the raw lines of one section into paragraphs and nested lists."""
    toks: list[Line | None] = []
    for idx, raw in body:
        if _is_blank(raw):
            if raw or page_mode:  # whitespace-only = printed empty paragraph
                toks.append(None)
        elif not MAILTO_RE.match(raw):
            toks.append((idx, raw))
    width = max((len(_clean(t[1])) for t in toks if t), default=1)
    blocks: list[Block] = []
    stack: list[tuple[str, list[Block]]] = []  # (marker kind, item list) per depth
    target: Block | None = None
    last, broken = "", False
    for pos, tok in enumerate(toks):
        if tok is None:
            broken = True
            continue
        idx, raw = tok
        m = MARKER_RE.match(raw)
        if m:
            if not stack:
                blocks.append({"type": "list", "items": []})
            target = _push_item(blocks[-1], stack, m, idx)
            last, broken = raw, False
            continue
        text = _clean(raw)
        nxt = toks[pos + 1] if pos + 1 < len(toks) else None
        tail = nxt is None or bool(MARKER_RE.match(nxt[1]))
        if target is not None and not broken and _joins(last, raw, width, "children" in target, tail):
            target["text"] = _join(target["text"], last, text, vocab)
        else:
            stack.clear()
            target = {"type": "paragraph", "text": text, "_line": idx}
            blocks.append(target)
        last, broken = raw, False
    return _tidy(blocks, problems)


def _push_item(lst: Block, stack: list[tuple[str, list[Block]]], m: re.Match[str], idx: int) -> Block:
    """Add a bullet to a list.  A marker kind seen before closes the deeper levels
    (it is a sibling there); a new kind opens a sub-list under the last item."""
    kind = next(k for k in ("glyph", "o", "dash", "num", "dot") if m.group(k))
    kind = {"glyph": m.group("glyph"), "dot": "num"}.get(kind, kind)
    kinds = [k for k, _ in stack]
    if not stack:
        stack.append((kind, lst["items"]))
    elif kind in kinds:
        del stack[kinds.index(kind) + 1:]
    else:
        stack.append((kind, stack[-1][1][-1]["children"]))
    item = {"text": _clean(m.group("text")), "children": [], "_line": idx}
    if kind == "num":  # ".Redusert" lost its digit in the PDF: count on from the siblings
        num = int(m.group("num")) if m.group("num") else len(stack[-1][1]) + 1
        item["text"] = f"{num}. {item['text']}"
    stack[-1][1].append(item)
    return item


def _tidy(blocks: list[Block], problems: list[Problem]) -> list[Block]:
    """Drop template prompts, template residue, empty bullets and stray fragments."""
    def keep_text(text: str) -> bool:
        return bool(text) and not text.lower().startswith(PROMPTS)

    def items(seq: list[Block]) -> list[Block]:
        out = []
        for it in seq:
            kids = items(it["children"])
            if keep_text(it["text"]):
                out.append({"text": it["text"], "children": kids})
            else:
                out += kids  # an empty bullet or a prompt: keep what hangs under it
        return out

    out: list[Block] = []
    for b in blocks:
        if b["type"] == "paragraph":
            if len(b["text"]) <= 3 or not re.search(r"\w", b["text"]):
                problems.append(Problem(b["_line"] + 1, f"dropped stray fragment {b['text']!r}"))
            elif keep_text(b["text"]):
                out.append({"type": "paragraph", "text": b["text"]})
            continue
        kept = items(b["items"])
        if kept and not all(i["text"].lower() in RESIDUE and not i["children"] for i in kept):
            out.append({"type": "list", "items": kept})
    return out


# --------------------------------------------------------------------------- scanning
@dataclass
class _Unit:
    kind: str  # "sheet" | "recipe"
    start: int
    title: list[str] = field(default_factory=list)
    preamble: list[Line] = field(default_factory=list)
    sections: dict[str, list[Line]] = field(default_factory=dict)


def _next_nonblank(lines: list[str], i: int, limit: int = 40) -> int | None:
    for j in range(i, min(len(lines), i + limit)):
        if not _is_blank(lines[j]):
            return j
    return None


def _heading(lines: list[str], i: int, table, inline=()) -> tuple[str, int, bool] | None:
    """(key, index of the heading's last line, heading-runs-into-text) or None.

    Headings may be broken over two printed lines ("Samhandling med relevante" /
    "aktører"), so the line joined with the next non-empty one is tried too.
    """
    a = _norm(lines[i])
    if not a or not lines[i].strip()[0].isupper():  # "kontaktinformasjon." ends a sentence
        return None
    for key, rx in table:
        if rx.fullmatch(a):
            return key, i, False
    j = next((k for k in range(i + 1, min(i + 3, len(lines))) if lines[k].strip()), None)
    if j is not None:
        for key, rx in table:
            if rx.fullmatch(f"{a} {_norm(lines[j])}"):
                return key, j, False
    for key, rx in inline:
        if rx.match(a):
            return key, i, True
    return None


def _is_owner_title(lines: list[str], i: int) -> bool:
    """A "<Town> kommune – ..." line that is followed by a sheet's first heading."""
    if not OWNER_RE.match(lines[i]) or "@" in lines[i]:
        return False
    for j in range(i + 1, min(len(lines), i + 40)):
        h = _heading(lines, j, SHEET_HEADINGS)
        if h:
            return h[0] in ("kommune", "prosjekt")
    return False


def _read_title(lines: list[str], i: int, unit: _Unit) -> int:
    """Collect up to four title lines; stop at the unit's first heading."""
    while i < len(lines) and len(unit.title) < 4:
        if not _is_blank(lines[i]):
            if unit.title and _heading(lines, i, *_tables(unit.kind)):
                break
            unit.title.append(lines[i].strip())
        i += 1
    return i


def _tables(kind: str) -> tuple[list, list]:
    return (SHEET_HEADINGS, []) if kind == "sheet" else (RECIPE_HEADINGS, RECIPE_INLINE)


def _split_untitled(body: list[Line]) -> tuple[list[Line], list[Line]]:
    """Where does a sheet without any title begin inside the previous unit's text?

    After the previous section has had some content, the first run of four or more
    blank lines is taken as the page break; everything after it is the new sheet.
    """
    seen_text, run = False, 0
    for pos, (_, raw) in enumerate(body):
        if _is_blank(raw):
            run += 1
        elif seen_text and run >= 4:
            return body[:pos], body[pos:]
        else:
            seen_text, run = True, 0
    return body, []


def _scan(lines: list[str], problems: list[Problem]) -> list[_Unit]:
    """Split the lines into sheets and recipes, each with title and per-heading lines.

    A sheet starts at "<Town> kommune – ..." (after an optional page header), a recipe
    at "OPPSKRIFT ...".  A sheet heading seen where it cannot belong (inside a recipe,
    or a second "Kort beskrivelse av kommunen") starts a sheet that has no title.
    """
    units: list[_Unit] = []
    unit: _Unit | None = None
    body: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        j = _next_nonblank(lines, i + 1) if HEADER_RE.match(line) else None
        if RECIPE_RE.match(line) or (j is not None and _is_owner_title(lines, j)) \
                or _is_owner_title(lines, i):
            unit = _Unit("recipe" if RECIPE_RE.match(line) else "sheet", i)
            units.append(unit)
            i = _read_title(lines, j if j is not None else i, unit)
            body = unit.preamble
            continue
        if unit is None or HEADER_RE.match(line):
            i += 1  # front matter, or a running page header
            continue
        h = _heading(lines, i, *_tables(unit.kind))
        new_sheet = _heading(lines, i, SHEET_HEADINGS)
        if new_sheet and new_sheet[0] in ("kommune", "prosjekt") and (
                unit.kind == "recipe" or new_sheet[0] in unit.sections):
            keep, moved = _split_untitled(body)
            body[:] = keep
            unit = _Unit("sheet", moved[0][0] if moved else i, preamble=moved)
            units.append(unit)
            problems.append(Problem(unit.start + 1, f"untitled sheet: no owner or 'Prosjektnavn:' "
                                                    f"before its heading at line {i + 1}"))
            h = new_sheet
        if h:
            key, end, inline = h
            if key in unit.sections:
                problems.append(Problem(i + 1, f"heading {key!r} repeated; text joined to the first one"))
            body = unit.sections.setdefault(key, [])
            if inline:
                body.append((i, line))
            i = end + 1
            continue
        body.append((i, line))
        i += 1
    return units


# --------------------------------------------------------------------------- sheets
def _bodies(text: str, region: str) -> list[str]:
    """Funding bodies named in the text, in order, with their short canonical names."""
    found = sorted((m.start(), name) for name, rx in BODIES
                   for m in [re.search(rx, text, re.I)] if m)
    names = [n for _, n in found]
    return [f"Fylkesmannen i {region}" if n == "Fylkesmannen" and region else n for n in names]


def _join_names(names: list[str]) -> str | None:
    names = list(dict.fromkeys(names))
    if not names:
        return None
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def _split_title(title: str) -> tuple[str, str, str]:
    """'<Town> kommune – <funding words> – Prosjektnavn: <name>' -> (owner, funding, name)."""
    title = re.sub(r"(\w)\s+[–-]\s+og\b", r"\1- og", _clean(title))  # "Arbeids – og"
    m = OWNER_RE.match(title)
    owner, rest = f"{m.group('town')} kommune", title[m.end():]
    pm = re.search(r"prosjektnavn\s*:", rest, re.I)
    if pm:
        return owner, rest[:pm.start()], rest[pm.end():]
    parts = re.split(r"\s+[–-]\s+|:\s+", rest)
    return owner, (" ".join(parts[:-1]) if len(parts) > 1 else rest), parts[-1]


def _clean_name(name: str) -> str:
    """«Quoted» names unquoted; a leading scheme, "Program" and a trailing "prosjekt" cut."""
    quoted = re.findall(r"«([^»]+)»", name)
    if quoted:
        name = " og ".join(quoted)
    name = _clean(name).strip(" .–-")
    for scheme, rx in SCHEMES:  # "Kommunale utviklingsmidler - Jobbintro"
        name = re.sub(rf"^(?:{rx})\s*[–-]\s*", "", name, flags=re.I)
    name = re.sub(r"^program\s+", "", name, flags=re.I)
    return re.sub(r"\s+prosjekt$", "", name, flags=re.I)


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<!\bca)(?<!\bpr)(?<!\bjf)\.\s+(?=[A-ZÆØÅ«])", text)


def _labelled(blocks: list[Block]) -> list[tuple[str, list[str]]]:
    """(text, what follows it) for paragraphs and items: a label's children, else its
    next sibling -- "Spesifisert målgruppe:" puts the groups in either place."""
    out: list[tuple[str, list[str]]] = []

    def walk(seq: list[Block]) -> None:
        for j, it in enumerate(seq):
            nxt = [c["text"] for c in it["children"]] or [s["text"] for s in seq[j + 1:j + 2]]
            out.append((it["text"], nxt))
            walk(it["children"])

    for k, b in enumerate(blocks):
        if b["type"] == "list":
            walk(b["items"])
            continue
        nxt = blocks[k + 1:k + 2]
        follow = [i["text"] for i in nxt[0]["items"]] if nxt and nxt[0]["type"] == "list" else \
            [n["text"] for n in nxt]
        out.append((b["text"], follow))
    return out


def _target_groups(blocks: list[Block]) -> list[str]:
    """The sheet's own words after "Målgruppe(n) ... er/:" in the project section."""
    found: list[str] = []
    label = re.compile(r"(?:spesifisert\s+)?målgruppen?\s*(?:\([^)]*\))?\s*:?", re.I)
    inline = re.compile(r"\bmålgruppen?(?:\s+for\s+(?:prosjektet|forsøket))?\s*(?::|\s+er\s+)(.+)", re.I)
    for text, follow in _labelled(blocks):
        if label.fullmatch(text):
            found += [f for f in follow if not re.match(r"(formål|mål)", f, re.I)]
        elif m := inline.search(text):
            found.append(m.group(1))
    groups: list[str] = []
    for text in found:  # first sentence, split into groups, shortened to the noun phrase
        for g in re.split(r"\s+[–-]\s+|\s+samt\s+|;\s*", _sentences(text)[0].rstrip(". ")):
            if len(g) > 90 and ", " in g:
                g = g.split(", ")[0]
            if len(g) > 110 and " som " in g:
                g = g.split(" som ")[0]
            if g := g.strip(" ,."):
                groups.append(g[0].upper() + g[1:])
    return list(dict.fromkeys(groups))


def _funding_from_text(blocks: list[Block], region: str) -> list[str]:
    for text, _ in _labelled(blocks):
        for sentence in _sentences(text):
            if FUNDING_SENTENCE.search(sentence) and (bodies := _bodies(sentence, region)):
                return bodies
    return []


def _sheet(unit: _Unit, vocab: _Vocabulary, problems: list[Problem], region: str) -> ParsedSheet:
    """Blocks per section, plus owner/name/funding from the title.  The funding body is
    taken from the title, else a sentence about the project money, else the scheme."""
    sections = {k: _blocks(unit.sections[k], vocab, problems) for k in SHEET_KEYS if k in unit.sections}
    preamble = _blocks(unit.preamble, vocab, problems)
    if preamble and "kommune" not in sections:  # untitled sheet: its intro is the context
        sections = {"kommune": preamble, **sections}
    elif preamble:
        problems.append(Problem(unit.preamble[0][0] + 1, "text before the sheet's first heading dropped"))
    owner = name = ""
    scheme = body = None
    if unit.title:
        owner, funding, raw_name = _split_title(" ".join(unit.title))
        name = _clean_name(raw_name)
        scheme = next((s for s, rx in SCHEMES if re.search(rx, funding, re.I)), None) or \
            next((s for s, rx in SCHEMES if re.search(rx, raw_name, re.I)), None)
        text_blocks = sections.get("kommune", []) + sections.get("prosjekt", [])
        bodies = _bodies(funding, region) or _funding_from_text(text_blocks, region)
        if not bodies and scheme:
            bodies = _bodies(SCHEME_BODY[scheme], region)
        body = _join_names(bodies)
    return ParsedSheet(owner, name, scheme, body, sections, unit.start + 1,
                       _target_groups(sections.get("prosjekt", [])))


def _recipe(unit: _Unit, vocab: _Vocabulary, problems: list[Problem]) -> ParsedRecipe:
    """Blocks per section; the title is re-cased (printed in capitals). Linked later."""
    words = []
    for line in unit.title:  # ALL-CAPS lines get the booklet's usual casing back
        words += [vocab.recase(w) for w in line.split()] if line.upper() == line else line.split()
    title = " ".join(words)
    title = title[:1].upper() + title[1:]
    sections = {k: _blocks(unit.sections[k], vocab, problems) for k in RECIPE_KEYS if k in unit.sections}
    if unit.preamble:
        problems.append(Problem(unit.preamble[0][0] + 1, "text before the recipe's first heading dropped"))
    return ParsedRecipe(title, "", sections, unit.start + 1)


def _link_recipes(cat: ParsedCatalogue) -> None:
    """A recipe belongs to the sheet whose project name (and town) its text mentions."""
    for recipe in cat.recipes:
        words = [recipe.title] + [t for t, _ in _labelled(recipe.sections.get("beskrivelse", []))]
        hay = _clean(" ".join(words)).lower()
        scored = [((s.owner.split()[0].lower() in hay, len(s.project_name)), n)
                  for n, s in enumerate(cat.sheets) if s.project_name and s.project_name.lower() in hay]
        if not scored:
            cat.problems.append(Problem(recipe.line, f"recipe {recipe.title!r} names no known project"))
            continue
        sheet = cat.sheets[max(scored)[1]]
        recipe.project_name, recipe.sheet_slug = sheet.project_name, sheet.slug


def _assign_slugs(cat: ParsedCatalogue) -> None:
    """Slug = town + project name (town left out when the name already holds it);
    recipes follow their sheet's slug, so renaming a sheet keeps the link."""
    taken: set[str] = set()
    renamed: dict[str, str] = {}

    def unique(base: str) -> str:
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        return candidate

    for sheet in cat.sheets:
        paren = re.search(r"\(([^)]+)\)\s*$", sheet.owner)  # "NAV og ... (KLAR)" -> "klar"
        short = slug(paren.group(1) if paren else sheet.owner.split(" kommune")[0])
        name = slug(sheet.project_name)
        base = name if short and short in name.split("-") else "-".join(p for p in (short, name) if p)
        new = unique(slug(base) or f"sheet-{sheet.line}")
        if sheet.slug:
            renamed[sheet.slug] = new
        sheet.slug = new
    for recipe in cat.recipes:
        recipe.sheet_slug = renamed.get(recipe.sheet_slug, recipe.sheet_slug)
        recipe.slug = unique(f"oppskrift-{recipe.sheet_slug or slug(recipe.title, 40)}")


# --------------------------------------------------------------------------- pages
def _page(lines: list[str], start: int, end: int, vocab: _Vocabulary,
          problems: list[Problem]) -> ParsedPage:
    """A stand-alone page: title, URL line, short headings each followed by text."""
    url_at = _next_nonblank(lines, start + 1)
    content = [(i, lines[i]) for i in range(url_at + 1, end)]
    width = statistics.median([len(_clean(r)) for _, r in content if r.strip()] or [1])
    sections: dict[str, list[Line]] = {}
    footer: list[Line] = []
    body: list[Line] = []
    for pos, (i, raw) in enumerate(content):
        text = _clean(raw)
        nxt = content[pos + 1][1] if pos + 1 < len(content) else ""
        prev_blank = pos == 0 or _is_blank(content[pos - 1][1])
        if body is not footer and len(text) > 1.5 * width:
            body = footer  # full-width text under a column layout: the page's footer
        elif body is not footer and prev_blank and text and len(text) <= 40 and text[0].isupper() \
                and text[-1] not in ".,:;!?" and not _is_blank(nxt):
            body = sections.setdefault(text, [])
            continue
        body.append((i, raw))
    blocks = _blocks(footer, vocab, problems, page_mode=True)
    while blocks and blocks[-1]["type"] == "paragraph" and blocks[-1]["text"].endswith(":"):
        problems.append(Problem(next(i for i, r in footer if _clean(r) == blocks[-1]["text"]) + 1,
                                f"dropped dangling label {blocks[-1]['text']!r}"))
        blocks.pop()
    return ParsedPage(_clean(lines[start]), _clean(lines[url_at]),
                      {k: _blocks(v, vocab, problems, page_mode=True) for k, v in sections.items()},
                      start + 1, blocks)


# --------------------------------------------------------------------------- entry points
def _check_input(text: str) -> list[str]:
    if not isinstance(text, str):
        raise CatalogueFormatError(f"line 1: expected text, got {type(text).__name__}")
    if not text.strip():
        raise CatalogueFormatError("line 1: the input is empty; not a project catalogue")
    lines = text.splitlines()
    for n, line in enumerate(lines, 1):
        if re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", line) or line.count("\ufffd") > 2:
            raise CatalogueFormatError(f"line {n}: binary or control characters; not a plain-text catalogue")
    if not any(re.search(r"prosjektnavn\s*:", line, re.I) for line in lines):
        raise CatalogueFormatError(f"lines 1-{len(lines)}: no 'Prosjektnavn:' anywhere; "
                                   "this does not look like a project catalogue")
    return lines


def _check_complete(cat: ParsedCatalogue, n_lines: int) -> None:
    """A sheet must end with contact details; a last sheet without them means truncation."""
    if not cat.sheets:
        raise CatalogueFormatError(f"lines 1-{n_lines}: no project sheet found")
    last = max([*cat.sheets, *cat.recipes], key=lambda u: u.line)
    kind, closing = ("sheet", "kontakt") if isinstance(last, ParsedSheet) else ("recipe", "overforbarhet")
    if not last.sections.get(closing):
        raise CatalogueFormatError(
            f"line {n_lines}: text ends inside the {kind} starting at line {last.line} before its "
            f"{closing!r} section; the file looks truncated")


def parse_catalogue(text: str) -> ParsedCatalogue:
    """Parse booklet text into sheets, recipes and pages (mechanically, no corrections)."""
    lines = _check_input(text)
    vocab, problems = _Vocabulary(text), []
    units = _scan(lines, problems)
    region = next((m.group("region") for line in lines if (m := HEADER_RE.match(line))), "")
    first = units[0].start if units else len(lines)
    page_starts = [i for i in range(first) if not _is_blank(lines[i]) and not URL_RE.match(lines[i])
                   and (j := _next_nonblank(lines, i + 1, 3)) is not None and URL_RE.match(lines[j])]
    pages = [_page(lines, s, e, vocab, problems) for s, e in zip(page_starts, page_starts[1:] + [first])]
    cat = ParsedCatalogue([_sheet(u, vocab, problems, region) for u in units if u.kind == "sheet"],
                          [_recipe(u, vocab, problems) for u in units if u.kind == "recipe"], pages, problems)
    _check_complete(cat, len(lines))
    _assign_slugs(cat)
    _link_recipes(cat)
    _assign_slugs(cat)
    cat.problems.sort(key=lambda p: p.line)
    return cat


# --------------------------------------------------------------------------- corrections
def load_corrections(path: str | Path = CORRECTIONS_2016) -> dict:
    """Read a corrections file (default: the 2016 booklet's)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _select(cat: ParsedCatalogue, target: dict) -> ParsedSheet | ParsedRecipe:
    pool = cat.sheets if target.get("kind", "sheet") == "sheet" else cat.recipes
    keys = {k: v for k, v in target.items() if k != "kind"}
    hits = [u for u in pool if keys and all(getattr(u, k, None) == v for k, v in keys.items())]
    if len(hits) != 1:
        raise CorrectionError(f"target {target} matches {len(hits)} units, expected exactly one")
    return hits[0]


def _block_run(blocks: list[Block], fix: dict, n: int) -> tuple[int, int]:
    """(start, stop) of the `count` blocks beginning with the one whose text starts so."""
    def first_text(b: Block) -> str:
        return b["text"] if b["type"] == "paragraph" else (b["items"] or [{"text": ""}])[0]["text"]

    hits = [i for i, b in enumerate(blocks) if first_text(b).startswith(fix["startswith"])]
    count = fix.get("count", 1)
    if len(hits) != 1 or hits[0] + count > len(blocks):
        raise CorrectionError(f"correction #{n}: {len(hits)} blocks start with {fix['startswith']!r}")
    return hits[0], hits[0] + count


def apply_corrections(parsed: ParsedCatalogue, corrections: dict) -> ParsedCatalogue:
    """Return a corrected copy of `parsed`; the input is left untouched.

    Ops (each needs a non-empty "why"): "set" fields on one sheet/recipe,
    "drop_blocks" / "replace_blocks" in one section, "dismiss_problem".
    Targets select exactly one unit by any of kind/line/slug/project_name/owner.
    """
    cat = copy.deepcopy(parsed)
    settable = {"owner", "project_name", "funding_scheme", "funding_body", "target_groups", "title"}
    for n, fix in enumerate(corrections.get("corrections", [])):
        op = fix.get("op")
        if not fix.get("why"):
            raise CorrectionError(f"correction #{n} ({op}) has no 'why'")
        if op == "set":
            unit = _select(cat, fix["target"])
            for name, value in fix["fields"].items():
                if name not in settable or not hasattr(unit, name):
                    raise CorrectionError(f"correction #{n}: field {name!r} cannot be set")
                setattr(unit, name, value)
        elif op in ("drop_blocks", "replace_blocks"):
            blocks = _select(cat, fix["target"]).sections.get(fix["section"], [])
            start, stop = _block_run(blocks, fix, n)
            blocks[start:stop] = copy.deepcopy(fix.get("blocks", [])) if op == "replace_blocks" else []
        elif op == "dismiss_problem":
            kept = [p for p in cat.problems
                    if not (p.line == fix["line"] and fix.get("contains", "") in p.message)]
            if len(kept) == len(cat.problems):
                raise CorrectionError(f"correction #{n}: no problem at line {fix['line']}")
            cat.problems = kept
        else:
            raise CorrectionError(f"correction #{n}: unknown op {op!r}")
        _assign_slugs(cat)
    for recipe in cat.recipes:  # renamed sheets keep their recipes' names in step
        sheet = next((s for s in cat.sheets if s.slug == recipe.sheet_slug), None)
        if sheet:
            recipe.project_name = sheet.project_name
    return cat
