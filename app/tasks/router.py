"""/api/tasks: the caller's tasks, newest first, as a plain array with pagination in headers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import TypeAdapter
from starlette.convertors import StringConvertor, register_url_convertor
from starlette.routing import Match
from starlette.types import Scope

from app.auth.deps import CurrentUserId, bearer_user_id
from app.errors import NotFoundError
from app.observability.sentry import NamedRoute
from app.openapi import Message, ValidationErrors, error_responses
from app.tasks.batch import insert_errors, validate_items
from app.tasks.deps import TASK_ID_REGEX, TASK_NOT_FOUND, OwnedTask, Tasks, tasks_of
from app.tasks.list_query import DEFAULT_LIMIT, MAX_LIMIT, MAX_PAGE, MAX_SEARCH, list_query
from app.tasks.pagination import link_header
from app.tasks.repository import TaskQuery
from app.tasks.schemas import (
    BatchCreate,
    BatchResult,
    Priority,
    Status,
    Task,
    TaskCreate,
    TaskUpdate,
)

router = APIRouter(prefix="/api/tasks", tags=["tasks"], route_class=NamedRoute)


class FastListRoute(NamedRoute):
    """Steps aside while the app has dependency overrides (FastAPI's seam for swapping a dependency,
    which this route's handler does not solve): the declared route behind it then answers."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        app = scope.get("app")
        if app is not None and app.dependency_overrides:
            return Match.NONE, {}
        return super().matches(scope)


# The fast list route (a kept shortcut, see app.tasks.list_query), included before ``router`` unless
# FAST_LIST_QUERY is off; ``router``'s own list route, then never reached, still declares the list in the
# OpenAPI document.
fast_list_router = APIRouter(
    prefix="/api/tasks", tags=["tasks"], include_in_schema=False, route_class=FastListRoute
)

TOTAL_COUNT_HEADER = "X-Total-Count"
TASK_LIST = TypeAdapter(list[Task])


class TaskIdConvertor(StringConvertor):
    """A task's path segment: anything but ``batch``, which names the batch route alone, so
    ``GET /api/tasks/batch`` is a 405 naming POST rather than a lookup of a task called "batch"."""

    regex = TASK_ID_REGEX


register_url_convertor("task_id", TaskIdConvertor())
TASK_PATH = "/{id:task_id}"


LIST_SUMMARY = "The caller's tasks, newest first; the total is in X-Total-Count, page links in Link"


@router.get("", responses=error_responses(400, 401, 429, 503), summary=LIST_SUMMARY)
async def list_tasks(
    request: Request,
    response: Response,
    user_id: CurrentUserId,
    tasks: Tasks,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    task_status: Annotated[Status | None, Query(alias="status")] = None,
    priority: Priority | None = None,
    search: Annotated[
        str | None, Query(max_length=MAX_SEARCH, description="Text in title or description")
    ] = None,
) -> list[Task]:
    query = TaskQuery(status=task_status, priority=priority, search=search, page=page, limit=limit)
    found, total = await tasks.find_page(user_id, query)
    response.headers.update(_page_headers(request, query, total))
    return found


@fast_list_router.get("", summary=LIST_SUMMARY)
async def list_tasks_fast(request: Request) -> Response:
    # What the declared route's dependencies and parameters do, in the order FastAPI solves them: the
    # token (401), the store (503), the query (400).
    user_id = bearer_user_id(request)
    tasks = tasks_of(request)
    query = list_query(request)
    found, total = await tasks.find_page(user_id, query)
    # The bytes FastAPI writes for the declared route's list[Task], without its validation pass over
    # the tasks the repository has just built.
    response = Response(TASK_LIST.dump_json(found, by_alias=True), media_type="application/json")
    # After the body's own headers, as FastAPI appends the declared route's: headers passed to the
    # constructor would come first.
    response.headers.update(_page_headers(request, query, total))
    return response


def _page_headers(request: Request, query: TaskQuery, total: int) -> dict[str, str]:
    headers = {TOTAL_COUNT_HEADER: str(total)}
    links = link_header(request.url, page=query.page, limit=query.limit, total=total)
    if links:
        headers["Link"] = links
    return headers


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 413, 429, 503),
    summary="Create a task",
)
async def create_task(body: TaskCreate, user_id: CurrentUserId, tasks: Tasks) -> Task:
    return await tasks.create(user_id, body)


@router.post(
    "/batch",
    status_code=status.HTTP_201_CREATED,
    responses={
        **error_responses(401, 413, 429, 503),
        400: {
            "model": BatchResult | ValidationErrors,
            "description": "No task in the batch was valid, or the body is not a batch",
        },
    },
    summary="Create up to 100 tasks; valid ones are stored, invalid ones reported by index",
)
async def create_tasks(
    body: BatchCreate, user_id: CurrentUserId, tasks: Tasks, response: Response
) -> BatchResult:
    valid, errors = validate_items(body.tasks)
    created, failures = await tasks.create_many(user_id, valid)
    errors += insert_errors(failures)
    if not created:
        response.status_code = status.HTTP_400_BAD_REQUEST
    return BatchResult(created=created, errors=sorted(errors, key=lambda error: error.index))


@router.get(TASK_PATH, responses=error_responses(401, 404, 429, 503), summary="One of the caller's tasks")
async def get_task(task: OwnedTask) -> Task:
    return task


@router.put(
    TASK_PATH,
    responses=error_responses(400, 401, 404, 413, 429, 503),
    summary="Change some fields of one of the caller's tasks",
)
async def update_task(task: OwnedTask, body: TaskUpdate, user_id: CurrentUserId, tasks: Tasks) -> Task:
    updated = await tasks.update(user_id, task.id, body.changes())
    if updated is None:  # deleted between the ownership check and the write
        raise NotFoundError(TASK_NOT_FOUND)
    return updated


@router.delete(
    TASK_PATH, responses=error_responses(401, 404, 429, 503), summary="Delete one of the caller's tasks"
)
async def delete_task(task: OwnedTask, user_id: CurrentUserId, tasks: Tasks) -> Message:
    if not await tasks.delete(user_id, task.id):
        raise NotFoundError(TASK_NOT_FOUND)
    return Message(message="Task removed")
