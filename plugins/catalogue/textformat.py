"""A plain-text form of a section's blocks, for the edit forms' textareas.

Organisers and exhibitors edit sections as text; the sheet stores blocks (paragraphs and nested
lists, see ``importer``). The format is small enough to explain under a textarea:

* paragraphs are separated by a blank line; lines of one paragraph are joined with a space;
* a line starting with ``- `` is a list item, ``  - `` (two more spaces per level) a sub-item;
  a line without ``- `` right under an item continues that item;
* a blank line ends a list, so a paragraph after a list needs a blank line before it;
* a paragraph that should start with ``- `` is written ``\\- …``.

``text_to_blocks(blocks_to_text(blocks)) == blocks`` for every well-formed list of blocks (the
tests check it on the whole 2016 catalogue and on random blocks).
"""

from __future__ import annotations

import re
from typing import Any

Block = dict[str, Any]

INDENT = "  "
MAX_DEPTH = 5
_ITEM = re.compile(r"^(?P<indent>[ \t]*)-(?:[ \t]+(?P<text>.*)|[ \t]*)$")


class TextFormatError(ValueError):
    """The text cannot be stored as blocks; the message names the line."""


def blocks_to_text(blocks: list[Block]) -> str:
    """The text an edit form shows for a section."""
    parts = []
    for block in blocks:
        if block["type"] == "paragraph":
            parts.append(_escape(block["text"]))
        else:
            lines: list[str] = []
            _items_to_lines(block["items"], 0, lines)
            parts.append("\n".join(lines))
    return "\n\n".join(parts)


def text_to_blocks(text: str) -> list[Block]:
    """Blocks from a form's text; whitespace is tidied, empty items dropped.

    Raises :class:`TextFormatError` for control characters or lists nested deeper than
    ``MAX_DEPTH`` levels.
    """
    blocks: list[Block] = []
    paragraph: list[str] | None = None
    stack: list[list[Block]] = []  # item lists from the outermost to the current depth
    last_item: Block | None = None
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", raw.replace("\t", " ")):
            raise TextFormatError(f"line {number}: control characters are not allowed")
        line = raw.replace("\t", INDENT)
        if not line.strip():
            paragraph, stack, last_item = None, [], None
            continue
        match = _ITEM.match(line)
        if match:
            paragraph = None
            depth = len(match.group("indent")) // len(INDENT)
            last_item = _add_item(blocks, stack, depth, _clean(match.group("text") or ""), number)
        elif last_item is not None:
            last_item["text"] = _clean(f"{last_item['text']} {line}")
        elif paragraph is not None:
            paragraph.append(line.strip())
            blocks[-1]["text"] = _clean(" ".join(paragraph))
        else:
            first = line.strip()
            paragraph = [first[1:] if first.startswith("\\") else first]
            blocks.append({"type": "paragraph", "text": _clean(paragraph[0])})
    return _drop_empty(blocks)


def _add_item(blocks: list[Block], stack: list[list[Block]], depth: int, text: str, number: int) -> Block:
    """Put an item at ``depth`` (at most one level below the previous item) and return it."""
    if not stack:
        blocks.append({"type": "list", "items": []})
        stack.append(blocks[-1]["items"])
        depth = 0
    depth = min(depth, len(stack))
    if depth >= MAX_DEPTH:
        raise TextFormatError(f"line {number}: lists may be nested {MAX_DEPTH} levels deep at most")
    if depth < len(stack):
        del stack[depth + 1:]
    else:  # one level deeper: a sub-list under the previous item
        stack.append(stack[-1][-1]["children"])
    item = {"text": text, "children": []}
    stack[depth].append(item)
    return item


def _items_to_lines(items: list[Block], depth: int, lines: list[str]) -> None:
    for item in items:
        lines.append(f"{INDENT * depth}- {item['text']}")
        _items_to_lines(item["children"], depth + 1, lines)


def _escape(text: str) -> str:
    return "\\" + text if _ITEM.match(text) or text.startswith("\\") else text


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _drop_empty(blocks: list[Block]) -> list[Block]:
    """Empty items vanish (their children move up); lists left empty vanish too."""
    def items(seq: list[Block]) -> list[Block]:
        out = []
        for item in seq:
            children = items(item["children"])
            if item["text"]:
                out.append({"text": item["text"], "children": children})
            else:
                out.extend(children)
        return out

    result = []
    for block in blocks:
        if block["type"] == "paragraph":
            if block["text"]:
                result.append(block)
        elif kept := items(block["items"]):
            result.append({"type": "list", "items": kept})
    return result
