"""The results organisers see: counts per scale value, averages and free text, with nothing
shown that has fewer than five answers behind it.

An answer is never shown on its own: a scale question or programme item with fewer than
:data:`MIN_ANSWERS` answers shows only "under 5 svar", and free text is listed only for a
question with at least as many, sorted alphabetically (never in the order it came in, never dated).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from fagkonferanse import Event, db, localized

from .answering import SCALE_VALUES
from .models import SCALE, FeedbackResponse
from .questions import questions_of, rated_items

MIN_ANSWERS = 5


@dataclass(frozen=True)
class ScaleResult:
    """The answers to one scale question or programme item."""

    label: object  # str or Localized
    counts: dict[int, int]  # 1..5 -> how many

    @property
    def answers(self) -> int:
        return sum(self.counts.values())

    @property
    def shown(self) -> bool:
        return self.answers >= MIN_ANSWERS

    @property
    def average(self) -> float | None:
        if not self.answers:
            return None
        return sum(value * count for value, count in self.counts.items()) / self.answers

    def share(self, value: int) -> float:
        """The value's part of the largest count (the bars' length, 0..1)."""
        largest = max(self.counts.values(), default=0)
        return self.counts.get(value, 0) / largest if largest else 0.0


@dataclass(frozen=True)
class TextResult:
    label: object
    answers: list[str] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return len(self.answers) >= MIN_ANSWERS


@dataclass(frozen=True)
class Results:
    responses: int
    questions: list[ScaleResult | TextResult]
    items: list[ScaleResult]


def decimal(value: float | None, language: str = "nb") -> str:
    """An average with one decimal: "4,2" in Norwegian, "4.2" in English; "–" for none."""
    if value is None:
        return "–"
    text = f"{value:.1f}"
    return text.replace(".", ",") if language == "nb" else text


def scale_result(label, values: list[int]) -> ScaleResult:
    counted = Counter(values)
    return ScaleResult(label, {value: counted.get(value, 0) for value in SCALE_VALUES})


def results(event: Event) -> Results:
    """Every question's and rated item's answers, from all of the event's responses."""
    all_answers = [answers or {} for answers in db.session.scalars(
        db.select(FeedbackResponse.answers).where(FeedbackResponse.event_id == event.id))]
    questions = []
    for question in questions_of(event):
        key = str(question.id)
        given = [answers.get("questions", {}).get(key) for answers in all_answers]
        given = [value for value in given if value not in (None, "")]
        label = localized(question, "text")
        if question.kind == SCALE:
            questions.append(scale_result(label, [value for value in given if value in SCALE_VALUES]))
        else:
            texts = sorted((value for value in given if isinstance(value, str)), key=str.casefold)
            questions.append(TextResult(label, texts))
    items = []
    for item in rated_items(event):
        key = str(item.id)
        given = [answers.get("items", {}).get(key) for answers in all_answers]
        items.append(scale_result(localized(item, "title"), [value for value in given if value in SCALE_VALUES]))
    return Results(len(all_answers), questions, items)
