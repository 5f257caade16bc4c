"""Document storage: MongoDB through PyMongo's async client, a cluster or the embedded development server."""
