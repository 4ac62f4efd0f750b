"""What the form asks: the event's general questions (made with defaults when first needed),
and the programme items rated one by one.

Plain functions over the database; the organiser's views only call them (the caller commits).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from fagkonferanse import Event, ProgrammeItem, db, programme_items

from .models import KINDS, SCALE, TEXT, FeedbackQuestion, FeedbackResponse, FeedbackSettings

# Programme items that are not sessions one could rate: the pauses, the announcements and the
# closing words. What stays are the talks, the welcome, the students' half hour and the summary.
NOT_RATED = frozenset({"registration", "break", "meal", "stands", "information", "closing"})

# The questions a new event's form starts with (text, English text, kind).
DEFAULT_QUESTIONS = (
    ("Hvordan var dagen som helhet?", "How was the day as a whole?", SCALE),
    ("Hva var mest nyttig?", "What was most useful?", TEXT),
    ("Hva bør vi gjøre annerledes neste år?", "What should we do differently next year?", TEXT),
)

KIND_LABELS = {SCALE: _l("Skala 1–5"), TEXT: _l("Fritekst")}


class QuestionError(ValueError):
    """An organiser's change that cannot be made; the message is for them."""


def settings_for(event: Event) -> FeedbackSettings:
    """The event's feedback settings, made with the default questions the first time."""
    settings = db.session.get(FeedbackSettings, event.id)
    if settings is None:
        settings = FeedbackSettings(event_id=event.id, rate_items=True)
        db.session.add(settings)
        for position, (text, text_en, kind) in enumerate(DEFAULT_QUESTIONS, start=1):
            db.session.add(FeedbackQuestion(event_id=event.id, position=position, text=text, text_en=text_en,
                                            kind=kind))
        db.session.flush()
    return settings


def is_set_up(event: Event) -> bool:
    """Whether the event's form was ever needed (no answers can exist before it was)."""
    return db.session.get(FeedbackSettings, event.id) is not None


def questions_of(event: Event) -> list[FeedbackQuestion]:
    """The event's general questions in the order the form asks them (defaults made if needed)."""
    settings_for(event)
    return list(db.session.scalars(db.select(FeedbackQuestion).where(FeedbackQuestion.event_id == event.id)
                                   .order_by(FeedbackQuestion.position, FeedbackQuestion.id)))


def is_rated(item: ProgrammeItem) -> bool:
    return not item.cancelled and item.kind not in NOT_RATED


def rated_items(event: Event) -> list[ProgrammeItem]:
    """The programme items the form asks about, in time order (none when organisers turned it off)."""
    if not settings_for(event).rate_items:
        return []
    return [item for item in programme_items(event) if is_rated(item)]


@dataclass(frozen=True)
class QuestionText:
    text: str
    text_en: str
    kind: str


def clean(text: str, text_en: str, kind: str) -> QuestionText:
    """The organiser's input, trimmed and checked; raises :class:`QuestionError`."""
    text, text_en = (text or "").strip(), (text_en or "").strip()
    if not text:
        raise QuestionError(_l("Skriv spørsmålet på norsk."))
    if len(text) > 300 or len(text_en) > 300:
        raise QuestionError(_l("Spørsmålet kan være på høyst 300 tegn."))
    if kind not in KINDS:
        raise QuestionError(_l("Velg svartype: skala 1–5 eller fritekst."))
    return QuestionText(text, text_en, kind)


def add_question(event: Event, text: QuestionText) -> FeedbackQuestion:
    position = max((question.position for question in questions_of(event)), default=0) + 1
    question = FeedbackQuestion(event_id=event.id, position=position, text=text.text, text_en=text.text_en,
                                kind=text.kind)
    db.session.add(question)
    db.session.flush()
    return question


def has_answers(question: FeedbackQuestion) -> bool:
    """Whether any response answered ``question`` (its kind is then fixed)."""
    key = str(question.id)
    responses = db.session.scalars(db.select(FeedbackResponse.answers)
                                   .where(FeedbackResponse.event_id == question.event_id))
    return any(key in (answers or {}).get("questions", {}) for answers in responses)


def update_question(question: FeedbackQuestion, text: QuestionText) -> None:
    """Change the wording; the kind only while nobody has answered (a 4 is not a text)."""
    if text.kind != question.kind and has_answers(question):
        raise QuestionError(_l("Svartypen kan ikke endres etter at noen har svart. "
                               "Legg til et nytt spørsmål i stedet."))
    question.text, question.text_en, question.kind = text.text, text.text_en, text.kind


def move(question: FeedbackQuestion, step: int) -> None:
    """Swap the question with its neighbour above (-1) or below (+1); at an end, nothing moves."""
    event_questions = list(db.session.scalars(
        db.select(FeedbackQuestion).where(FeedbackQuestion.event_id == question.event_id)
        .order_by(FeedbackQuestion.position, FeedbackQuestion.id)))
    for position, each in enumerate(event_questions, start=1):
        each.position = position  # close gaps and ties first
    index = event_questions.index(question)
    other = index + step
    if 0 <= other < len(event_questions):
        neighbour = event_questions[other]
        question.position, neighbour.position = neighbour.position, question.position


def delete(question: FeedbackQuestion) -> None:
    """Remove the question from the form; its answers stay in the responses, no longer shown."""
    db.session.delete(question)


def copy_questions(source: Event, target: Event) -> None:
    """Next year's form asks what this year's did (settings too); nothing of the answers."""
    old = db.session.get(FeedbackSettings, source.id)
    if old is None:
        return  # never used: the new event gets the defaults when first needed
    db.session.add(FeedbackSettings(event_id=target.id, rate_items=old.rate_items))
    for question in db.session.scalars(db.select(FeedbackQuestion).where(FeedbackQuestion.event_id == source.id)):
        db.session.add(FeedbackQuestion(event_id=target.id, position=question.position, kind=question.kind,
                                        text=question.text, text_en=question.text_en))
