"""Datasets shipped with fagkonferanse, and the scripts that produced them."""
