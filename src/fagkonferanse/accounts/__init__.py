"""Organiser accounts: login, logout, passwords, and the guard on every /admin page."""
