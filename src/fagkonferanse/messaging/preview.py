"""What organisers see before they send: how many the group reaches, in which languages, and
the message as one real person of the group will read it."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale

from ..registration.mail import mail_language
from ..registration.models import Registration
from .compose import compose_message
from .models import Message


@dataclass(frozen=True)
class Preview:
    language: str
    person: Registration
    subject: str
    body: str


def previews(people: list[Registration], message: Message) -> list[Preview]:
    """One preview per language the group reads, each for the first person reading it."""
    first: dict[str, Registration] = {}
    for person in people:
        first.setdefault(mail_language(person), person)
    shown = []
    for language in sorted(first, key=lambda code: (code != "nb", code)):
        person = first[language]
        with force_locale(language):
            subject, body = compose_message(person, message, language)
        shown.append(Preview(language, person, " ".join(subject.split()), body))
    return shown


def languages(people: list[Registration]) -> list[tuple[str, int]]:
    """How many of ``people`` read each language, Norwegian first."""
    counts: dict[str, int] = {}
    for person in people:
        language = mail_language(person)
        counts[language] = counts.get(language, 0) + 1
    return sorted(counts.items(), key=lambda pair: (pair[0] != "nb", pair[0]))
