"""Signup, login, JWT bearer authentication and the user's profile."""
