"""The two secrets of a ticket: long, random, distinct, not sequential, and free of personal data."""

from __future__ import annotations

import base64
import math
from collections import Counter

import pytest

from fagkonferanse.events.services import current_event
from fagkonferanse.registration import services, tokens

SAMPLE = 2000


def bits_per_character(samples: list[str]) -> float:
    """Shannon entropy of the characters across many tokens."""
    counts = Counter("".join(samples))
    total = sum(counts.values())
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def test_management_secret_is_192_random_bits_url_safe():
    secrets_ = [tokens.new_manage_secret() for _ in range(SAMPLE)]
    assert len(set(secrets_)) == SAMPLE
    for secret in secrets_[:50]:
        assert len(secret) == 32
        assert len(base64.urlsafe_b64decode(secret + "==")) * 8 == 192
    assert bits_per_character(secrets_) > 5.8  # base64: at most 6 bits a character


def test_checkin_code_is_160_random_bits_in_letters_and_digits():
    codes = [tokens.new_checkin_code() for _ in range(SAMPLE)]
    assert len(set(codes)) == SAMPLE
    for code in codes[:50]:
        assert len(code) == 32 and tokens.is_checkin_code(code)
        assert len(base64.b32decode(code.upper())) * 8 == 160
    assert set("".join(codes)) <= set("abcdefghijklmnopqrstuvwxyz234567")
    assert bits_per_character(codes) > 4.9  # base32: at most 5 bits a character


def test_tokens_are_not_sequential():
    """Consecutive tokens share no prefix beyond chance and are not a counter."""
    codes = [tokens.new_checkin_code() for _ in range(200)]
    shared = [len(_common_prefix(a, b)) for a, b in zip(codes, codes[1:])]
    assert max(shared) <= 4
    numbers = [int.from_bytes(base64.b32decode(code.upper()), "big") for code in codes]
    differences = {b - a for a, b in zip(numbers, numbers[1:])}
    assert len(differences) == len(numbers) - 1  # no constant step
    assert sorted(numbers) != numbers


def _common_prefix(a: str, b: str) -> str:
    length = 0
    while length < min(len(a), len(b)) and a[length] == b[length]:
        length += 1
    return a[:length]


def test_a_registration_gets_two_different_tokens_without_personal_data(app):
    with app.app_context():
        outcome = services.register(current_event(), {"name": "Synnøve Seljeflot", "email": "synnove@hiof.no",
                                                      "organisation": "Høgskolen i Østfold"})
        person = outcome.registration
        assert person.manage_secret != person.checkin_code
        for token in (person.manage_secret, person.checkin_code):
            lowered = token.lower()
            assert "synn" not in lowered and "hiof" not in lowered and str(person.id) != token


@pytest.mark.parametrize("typed", [
    "{code}",
    "  {code}  ",
    "{CODE}",                                   # Caps Lock on
    "https://konferanse.example.no/c/{code}",   # the whole QR content
    "http://127.0.0.1:5000/c/{code}\n",
    "https\u00d8--konferanse.example.no-c-{code}",  # a US-layout scanner on a Norwegian keyboard
])
def test_the_code_is_found_in_whatever_a_scanner_types(typed):
    code = tokens.new_checkin_code()
    assert tokens.code_from_scan(typed.format(code=code, CODE=code.upper())) == code


@pytest.mark.parametrize("typed", ["", "   ", "hello", "a" * 31, "x" + "a" * 32, "a" * 10_000, "\x00" * 40,
                                   "<script>alert(1)</script>"])
def test_anything_else_is_no_code(typed):
    assert tokens.code_from_scan(typed) is None
