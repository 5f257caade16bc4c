"""The task list's query parameters read in one pydantic validation instead of by FastAPI per parameter.

Part of a kept shortcut, the fast list route (``app.tasks.router.list_tasks_fast``; docs/benchmarks.md;
``FAST_LIST_QUERY=false`` turns it off). For each query parameter of each request FastAPI 0.165
re-inspects the parameter's annotation before validating it, about a fifth of the list route's Python
calls as deployed; each dependency costs a solve, and the returned tasks are validated again before they
are written. The fast route checks the token and opens the repository itself, reads the five parameters
here as one model, from the same values FastAPI reads (the last of a repeated parameter), raising the
``RequestValidationError`` FastAPI raises, with the same messages at the same ``("query", name)``
locations, and writes the tasks as FastAPI would. The route FastAPI declares stays registered behind it,
for the OpenAPI document and as the oracle of tests/app/tasks/test_list_query.py.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.tasks.repository import TaskQuery
from app.tasks.schemas import Priority, Status

MAX_PAGE = 1_000_000
MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_SEARCH = 200


class ListParameters(BaseModel):
    """The list route's query parameters, with the constraints the route declares to FastAPI."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    page: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 1
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    status: Status | None = None
    priority: Priority | None = None
    search: Annotated[str | None, Field(max_length=MAX_SEARCH)] = None


def list_query(request: Request) -> TaskQuery:
    """The request's ``TaskQuery``; a ``RequestValidationError`` as FastAPI words it for a bad parameter."""
    try:
        # Starlette's QueryParams maps each name to its last value, as FastAPI reads a scalar parameter.
        parameters = ListParameters.model_validate(dict(request.query_params))
    except ValidationError as error:
        raise RequestValidationError(
            [{**problem, "loc": ("query", *problem["loc"])} for problem in error.errors(include_url=False)]
        ) from None
    return TaskQuery(
        status=parameters.status,
        priority=parameters.priority,
        search=parameters.search,
        page=parameters.page,
        limit=parameters.limit,
    )
