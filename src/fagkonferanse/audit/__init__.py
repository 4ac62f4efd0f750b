"""The audit log: who changed what, and when, in the organisers' pages."""
