"""Document storage: real MongoDB through PyMongo's async client, or an embedded in-process store."""
