"""Logs, request ids, metrics and error tracking."""
