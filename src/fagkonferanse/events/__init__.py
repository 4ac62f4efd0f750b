"""The conference itself: events (one per year) and the organisations taking part."""
