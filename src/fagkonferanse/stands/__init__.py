"""Exhibitor stands and where they are placed in the building."""
