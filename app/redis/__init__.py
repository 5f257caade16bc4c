"""The Redis client of a worker process, and how its failures are noticed and survived."""
