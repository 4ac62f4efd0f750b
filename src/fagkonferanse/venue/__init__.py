"""Where things happen: buildings, floors and locations (rooms, corridors, stairways)."""
