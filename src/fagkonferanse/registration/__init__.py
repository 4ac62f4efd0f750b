"""Registration: the form, capacity and waiting list, tickets, mail, and the attendee list.

Attendees register at ``/register`` and manage their ticket at ``/ticket/<secret>``; organisers
see and edit everyone under ``/admin/attendees`` and set the rules under ``/admin/registration``.
What happens at the door and at the stands lives in :mod:`fagkonferanse.checkin`.
"""
