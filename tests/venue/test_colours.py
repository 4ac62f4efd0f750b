"""A stand's poster colour: any colour the organisers pick gets text at AA contrast on it."""

from __future__ import annotations

import itertools

import pytest

from fagkonferanse.colours import contrast, normalise, text_on


def test_colours_are_read_in_the_usual_spellings():
    assert normalise("#0B5C8C") == "#0b5c8c" and normalise("0b5c8c") == "#0b5c8c" and normalise(" #0bc ") == "#00bbcc"
    assert normalise("blue") is None and normalise("#12345") is None and normalise("") is None


def test_contrast_is_wcags():
    assert round(contrast("#ffffff", "#000000"), 1) == 21.0
    assert round(contrast("#ffffff", "#0b5c8c"), 2) == 7.18
    assert contrast("#777777", "#777777") == 1.0


@pytest.mark.parametrize("background, text", [("#0b5c8c", "#ffffff"), ("#ffd166", "#000000"), ("#7a1f5c", "#ffffff")])
def test_text_on_a_colour_is_white_or_black_whichever_reads_better(background, text):
    assert text_on(background) == text


def test_every_colour_gets_text_at_aa_contrast():
    steps = range(0, 256, 17)
    worst = min(contrast(text_on(colour), colour)
                for colour in (f"#{r:02x}{g:02x}{b:02x}" for r, g, b in itertools.product(steps, steps, steps)))
    assert worst >= 4.5
