"""Sorting the way a Norwegian list does: æ, ø and å after z, people by surname.

One mechanism for every list: the public pages, the organisers' pages, the badges and the
booklet (``from fagkonferanse.collation import sort_key``). Python sorts by code point, which
puts "Ødegård" between "O" and "P" and "Åsen" after every other letter only by accident. This is the Norwegian (CLDR "nb") alphabet without a collation
library: letters are compared without accents (é as e), ä and ö count as æ and ø, ü as y, and
the old spelling "aa" as å (Haaland sorts as Håland). Letters of other scripts (Марія, 李) come
after the Latin alphabet in code-point order, which keeps each script together.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

_ALPHABET = "abcdefghijklmnopqrstuvwxyzæøå"
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Letters Norwegian files under another one (after CLDR's nb tailoring).
_AS = {"ä": "æ", "ǽ": "æ", "ö": "ø", "ő": "ø", "œ": "ø", "ü": "y", "ű": "y", "ð": "d", "þ": "t", "ß": "s"}
_DIGITS = -100  # digits before letters
_OTHER = 1000  # other scripts after å


@lru_cache(maxsize=65536)
def _letter_rank(letter: str) -> int:
    letter = _AS.get(letter, letter)
    if letter in _RANK:
        return _RANK[letter]
    if letter.isdigit():
        return _DIGITS + int(unicodedata.digit(letter, 0))
    base = unicodedata.normalize("NFD", letter)[0]  # é → e, č → c
    base = _AS.get(base, base)
    if base in _RANK:
        return _RANK[base]
    return _OTHER + ord(letter)


def collation_key(text: str) -> tuple[int, ...]:
    """A sort key for ``text`` in Norwegian alphabetical order (case and accents ignored).

    Spaces, hyphens and punctuation are skipped, as in a phone book.
    """
    folded = unicodedata.normalize("NFC", text.casefold()).replace("aa", "å")
    return tuple(_letter_rank(letter) for letter in folded if letter.isalnum())


def split_name(name: str) -> tuple[str, str]:
    """``(surname, given names)``: "Hansen, Øyvind" and "Øyvind Hansen" both give Hansen.

    The surname is the last word (Norwegian names rarely carry particles; an organiser can
    write "van der Berg, Anna" to sort such a name under V).
    """
    name = " ".join(name.split())
    if "," in name:
        surname, _, given = name.partition(",")
        return surname.strip(), given.strip()
    given, _, surname = name.rpartition(" ")
    return surname, given


def surname_key(name: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """Sort key for people: surname, then given names, then the name as written (stable)."""
    surname, given = split_name(name)
    return collation_key(surname), collation_key(given), name


def sort_key(text: str | None) -> tuple[tuple[int, ...], str]:
    """Sort key for a name or title as written ("Østfold" after "Våler"); ties by the text itself,
    so "moss" and "Moss" keep one stable order."""
    text = text or ""
    return collation_key(text), text


def norwegian_sorted(items: Iterable[T], key: Callable[[T], str | None] | None = None) -> list[T]:
    """``items`` in Norwegian alphabetical order of ``key(item)`` (of the items themselves without one)."""
    read = key or (lambda item: item)
    return sorted(items, key=lambda item: sort_key(read(item)))


def people_sorted(items: Iterable[T], name: Callable[[T], str] | None = None) -> list[T]:
    """People in phone-book order: by surname, then given names (see :func:`surname_key`)."""
    read = name or (lambda item: item)
    return sorted(items, key=lambda item: surname_key(read(item)))
