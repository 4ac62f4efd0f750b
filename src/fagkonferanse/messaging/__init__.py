"""Writing to attendees: messages to a group from the organisers, and the reminder the day before.

Both go through the registration's mail outbox (one row per person, composed when sent, in the
person's language), so they share its retries, its limits and its rule that a deleted person's
unsent mail is deleted with them. A :class:`~.models.Message` keeps what was written and the
counts the organisers see (how many it reached, delivered, failed), never who received it.
"""
