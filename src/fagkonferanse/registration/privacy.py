"""The privacy notice shown above the consent box (organisers can replace it per event)."""

from __future__ import annotations

from flask_babel import gettext as _

from ..events.models import Event
from .models import RegistrationSettings


def default_notice(event: Event) -> str:
    """What we collect, why, for how long, and the attendee's rights — in plain words."""
    organisers = ", ".join(organisation.name for organisation in event.organisers) or event.title
    return _(
        "Arrangørene (%(organisers)s) bruker opplysningene dine bare til å gjennomføre konferansen: "
        "deltakerliste, navneskilt, innsjekking, lunsj og eventuell tilrettelegging. "
        "Opplysninger om allergier og tilrettelegging brukes bare til servering og tilrettelegging. "
        "Opplysningene slettes etter konferansen. Du kan når som helst se, endre, laste ned og "
        "slette opplysningene dine med lenken i bekreftelsen du får på e-post.",
        organisers=organisers,
    )


def notice_for(event: Event, settings: RegistrationSettings) -> str:
    """The organisers' own notice, or the built-in one."""
    return settings.privacy_notice.strip() or default_notice(event)
