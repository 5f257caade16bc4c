"""A user's tasks: CRUD, pagination, filters, search and batch create."""
