"""Exhibitors correct their own sheets through private links; organisers approve the changes.

1. An organiser makes a link for one sheet (``create_link``): 256 random bits, shown once, stored
   as a SHA-256 digest, valid for a number of days, revocable.
2. The exhibitor opens ``/catalogue/edit/<token>`` (no account) and submits the sheet as they want
   it (``submit_proposal``). Nothing on the sheet changes: a pending proposal is stored, with the
   content the exhibitor started from (``base``).
3. An organiser reviews what the proposal changes (``review``) and approves or rejects it.
   Approving applies only the fields the exhibitor changed, so edits made to other fields in the
   meantime survive; a field changed on both sides is flagged in the review.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import secrets
from dataclasses import dataclass

from flask_babel import gettext as _

from fagkonferanse import Event, db, record, utcnow

from .editing import FIELDS, StaleEdit, apply_content, as_text, content, field_label, flush_checked
from .models import (PROPOSAL_APPROVED, PROPOSAL_PENDING, PROPOSAL_REJECTED, PROPOSAL_SUPERSEDED,
                     ExhibitorLink, ProjectSheet, SheetProposal)

TOKEN_BYTES = 32  # 256 bits
DEFAULT_DAYS = 30
MAX_DAYS = 120


class LinkUnusable(Exception):
    """The link exists but was revoked or has expired; ``reason`` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class NotPending(Exception):
    """The proposal was already approved, rejected or replaced."""


# --- Links ------------------------------------------------------------------------------------


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_link(sheet: ProjectSheet, recipient: str, days: int, organiser: str) -> tuple[ExhibitorLink, str]:
    """A new link for ``sheet``; returns the row and the token (the only time it is known)."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"a link is valid for 1 to {MAX_DAYS} days, not {days}")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ExhibitorLink(sheet_id=sheet.id, token_digest=token_digest(token), recipient=recipient.strip(),
                         created_by=organiser, expires_at=utcnow() + dt.timedelta(days=days))
    db.session.add(link)
    db.session.flush()
    record("create", "catalogue_link", link.id,
           _("Laget redigeringslenke for «%(name)s»", name=sheet.project_name),
           {"mottaker": [None, link.recipient], "gyldig til": [None, f"{link.expires_at:%d.%m.%Y}"]},
           event_id=sheet.event_id)
    return link, token


def link_for_token(token: str, now: dt.datetime | None = None) -> ExhibitorLink | None:
    """The usable link for a token; ``None`` when no link has it.

    Raises :class:`LinkUnusable` for a revoked or expired link, so the exhibitor can be told why.
    """
    if not token or len(token) > 100:
        return None
    link = db.session.scalar(db.select(ExhibitorLink).where(ExhibitorLink.token_digest == token_digest(token)))
    if link is None:
        return None
    state = link.state(now or utcnow())
    if state != "active":
        raise LinkUnusable(state)
    return link


def revoke_link(link: ExhibitorLink, organiser: str) -> None:
    """Stop a link from working (its pending proposals stay for review)."""
    if link.revoked_at is not None:
        return
    link.revoked_at, link.revoked_by = utcnow(), organiser
    record("update", "catalogue_link", link.id,
           _("Trakk tilbake redigeringslenke for «%(name)s»", name=link.sheet.project_name),
           {"trukket tilbake": [None, f"{link.revoked_at:%d.%m.%Y %H.%M}"]}, event_id=link.sheet.event_id)


def sheet_links(sheet: ProjectSheet) -> list[ExhibitorLink]:
    return list(db.session.scalars(db.select(ExhibitorLink).where(ExhibitorLink.sheet_id == sheet.id)
                                   .order_by(ExhibitorLink.created_at.desc(), ExhibitorLink.id.desc())))


# --- Proposals --------------------------------------------------------------------------------


def pending_proposal(link: ExhibitorLink) -> SheetProposal | None:
    """The link's latest proposal still waiting for a decision."""
    return db.session.scalar(db.select(SheetProposal).where(
        SheetProposal.link_id == link.id, SheetProposal.status == PROPOSAL_PENDING)
        .order_by(SheetProposal.id.desc()).limit(1))


def submit_proposal(link: ExhibitorLink, values: dict, started_version: int, name: str, email: str = "",
                    message: str = "") -> SheetProposal | None:
    """Store what the exhibitor wants; ``None`` when it is what the sheet already says.

    A new proposal through the same link replaces that link's earlier pending one.
    """
    sheet = link.sheet
    base = content(sheet)
    if all(values[name_] == base[name_] for name_ in FIELDS):
        return None
    for earlier in db.session.scalars(db.select(SheetProposal).where(
            SheetProposal.link_id == link.id, SheetProposal.status == PROPOSAL_PENDING)):
        earlier.status, earlier.decided_at = PROPOSAL_SUPERSEDED, utcnow()
    proposal = SheetProposal(sheet_id=sheet.id, link_id=link.id, proposed=values, base=base,
                             started_version=started_version, base_version=sheet.version,
                             submitted_by=name.strip(), submitted_email=email.strip(), message=message.strip())
    db.session.add(proposal)
    link.last_used_at = utcnow()
    db.session.flush()
    record("create", "catalogue_proposal", proposal.id,
           _("Forslag til endringer i «%(name)s» fra %(who)s", name=sheet.project_name, who=proposal.submitted_by),
           {}, event_id=sheet.event_id)
    return proposal


def pending_proposals(event: Event) -> list[SheetProposal]:
    return list(db.session.scalars(
        db.select(SheetProposal).join(ProjectSheet).where(ProjectSheet.event_id == event.id,
                                                          SheetProposal.status == PROPOSAL_PENDING)
        .order_by(SheetProposal.created_at, SheetProposal.id)))


@dataclass(frozen=True)
class FieldChange:
    """One field a proposal changes: the text now, the proposed text, and a line diff."""

    name: str
    label: str
    before: str
    after: str
    lines: list[tuple[str, str]]  # ("same" | "removed" | "added", line)
    conflict: bool  # the sheet's field also changed after the exhibitor submitted


def changed_fields(proposal: SheetProposal) -> list[str]:
    """The fields the exhibitor changed (compared with what they started from)."""
    return [name for name in FIELDS if proposal.proposed.get(name) != proposal.base.get(name)]


def review(proposal: SheetProposal) -> list[FieldChange]:
    """What approving would change on the sheet as it is now, field by field."""
    current = content(proposal.sheet)
    changes = []
    for name in changed_fields(proposal):
        before, after = as_text(name, current[name]), as_text(name, proposal.proposed[name])
        if before == after:
            continue
        changes.append(FieldChange(name, field_label(name), before, after, _line_diff(before, after),
                                   current[name] != proposal.base.get(name)))
    return changes


def approve(proposal: SheetProposal, expected_version: int, organiser: str) -> list[FieldChange]:
    """Apply the exhibitor's changed fields to the sheet, with an audit entry.

    ``expected_version`` is the sheet's version the organiser reviewed: if the sheet changed
    since, :class:`StaleEdit` is raised and nothing is written.
    """
    if proposal.status != PROPOSAL_PENDING:
        raise NotPending()
    sheet = proposal.sheet
    if expected_version != sheet.version:
        raise StaleEdit()
    with db.session.no_autoflush:  # one flush at the end: one version step
        changes = review(proposal)
        merged = content(sheet)
        for name in changed_fields(proposal):
            merged[name] = proposal.proposed[name]
        apply_content(sheet, merged)
        now = utcnow()
        proposal.status, proposal.decided_at, proposal.decided_by = PROPOSAL_APPROVED, now, organiser
        if changes:
            sheet.edited_at, sheet.edited_by = now, organiser
        sheet.approved_at, sheet.approved_by = now, organiser
        record("update", "project_sheet", sheet.id,
               _("Godkjente forslag fra %(who)s til «%(name)s»", who=proposal.submitted_by, name=sheet.project_name),
               {change.label: [change.before, change.after] for change in changes}, event_id=sheet.event_id)
    flush_checked()
    return changes


def reject(proposal: SheetProposal, note: str, organiser: str) -> None:
    """Turn a proposal down; the sheet is left as it is."""
    if proposal.status != PROPOSAL_PENDING:
        raise NotPending()
    proposal.status, proposal.decided_at, proposal.decided_by = PROPOSAL_REJECTED, utcnow(), organiser
    proposal.decision_note = note.strip()
    record("update", "catalogue_proposal", proposal.id,
           _("Avviste forslag fra %(who)s til «%(name)s»", who=proposal.submitted_by,
             name=proposal.sheet.project_name),
           {"begrunnelse": [None, proposal.decision_note]}, event_id=proposal.sheet.event_id)


def _line_diff(before: str, after: str) -> list[tuple[str, str]]:
    kinds = {" ": "same", "-": "removed", "+": "added"}
    return [(kinds[line[0]], line[2:]) for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if line[0] in kinds]
