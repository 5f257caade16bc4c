"""Redis-backed parts of the task API: the client, the profile cache and the rate limit."""
