"""The primetradeai task API: FastAPI app, its settings, stores and the `python -m app` entry point."""
