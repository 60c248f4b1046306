"""The JSON API beside the pages, for scripts and other systems of the office.

It says what the pages say, through the same calls (:mod:`.service`): the same filters, the
same upload path, the same register. It is authorised by ``Authorization: Bearer TOKEN`` when a
token is set (checked by :mod:`.security` before any route), never by the pages' cookie, so it
needs no CSRF token. Its description, ``/api/openapi.json``, is written here as a dict next to
the routes it describes (a test checks that the two name the same paths).

Errors are ``{"error": code, "message": text}`` in English, like the pipeline's warnings: a
program reads the code; the Vietnamese is for the pages.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ..register import STATUSES
from ..version import __version__
from . import service
from .uploads import FORM_OVERHEAD, BodyTooLarge, UploadRefused, limited

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          409: "conflict", 413: "too_large", 415: "unsupported_type", 422: "unprocessable", 500: "internal_error"}


def problem(status: int, message: str, **more: Any) -> JSONResponse:
    return JSONResponse({"error": _CODES.get(status, "error"), "message": message, **more}, status_code=status)


def routes(s: service.Settings) -> list[BaseRoute]:
    register = s.register

    async def list_tasks(request: Request) -> Response:
        where, problems = service.parse_filter(request.query_params)
        if problems:
            return problem(400, "invalid filter", problems=problems)
        tasks = await run_in_threadpool(register.tasks, where, today=s.today())
        return JSONResponse({"count": len(tasks), "tasks": [service.task_json(t) for t in tasks]})

    async def one_task(request: Request) -> Response:
        tid = request.path_params["tid"]
        task = await run_in_threadpool(register.task, tid, today=s.today())
        if task is None:
            return problem(404, f"no task {tid}")
        history = await run_in_threadpool(register.history, tid)
        return JSONResponse({**service.task_json(task),
                             "history": [{"at": e.at.isoformat(), "kind": e.kind, "note": e.note} for e in history]})

    async def set_status(request: Request) -> Response:
        tid = request.path_params["tid"]
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            return problem(415, "send application/json: {\"done\": true, \"note\": \"...\"}")
        try:
            body = await limited(request, 64 * 1024).json()
        except BodyTooLarge:
            return problem(413, "body over 64 KiB")
        except ValueError:
            return problem(400, "body is not JSON")
        if not isinstance(body, dict) or not isinstance(body.get("done"), bool):
            return problem(400, "expected {\"done\": true|false, \"note\": \"...\"}")
        note = body.get("note", "")
        if not isinstance(note, str):
            return problem(400, "note must be a string")
        try:
            await run_in_threadpool(register.set_done, tid, body["done"], note.strip()[:2000])
        except KeyError:
            return problem(404, f"no task {tid} in the current version of its notice")
        task = await run_in_threadpool(register.task, tid, today=s.today())
        assert task is not None
        return JSONResponse(service.task_json(task))

    async def list_notices(request: Request) -> Response:
        where, problems = service.parse_filter(request.query_params)
        if problems:
            return problem(400, "invalid filter", problems=problems)
        items = await run_in_threadpool(service.notices, s, where)
        for item in items:
            item["issued_date"] = item["issued_date"].isoformat() if item["issued_date"] else None
        return JSONResponse({"count": len(items), "notices": items})

    async def one_notice(request: Request) -> Response:
        nid = request.path_params["nid"]
        record = await run_in_threadpool(register.record, nid)
        if record is None:
            return problem(404, f"no notice {nid}")
        return JSONResponse(await run_in_threadpool(_notice_body, s, nid, record))

    async def post_document(request: Request) -> Response:
        try:
            form = await limited(request, s.max_bytes + FORM_OVERHEAD).form(max_files=1, max_fields=5)
        except BodyTooLarge:
            return problem(413, f"file over {s.max_bytes} bytes")
        try:
            filed = await service.file_upload(s, form.get("file"))
        except UploadRefused as refused:
            return problem(refused.status, refused.detail or refused.cause, file=refused.filename, stage=refused.stage or None)
        finally:
            await form.close()
        if filed.notice_id is None:
            return JSONResponse({"status": "queued", "file": filed.filename, "sha256": filed.sha256,
                                 "check": f"/api/files/{filed.sha256}"}, status_code=202)
        record = await run_in_threadpool(register.record, filed.notice_id)
        assert record is not None
        body = await run_in_threadpool(_notice_body, s, filed.notice_id, record)
        return JSONResponse({"outcome": filed.outcome, **body},
                            status_code=201 if filed.outcome in ("new_notice", "new_version") else 200)

    async def file_state(request: Request) -> Response:
        sha = request.path_params["sha"]
        nid = await run_in_threadpool(service.notice_of_file, s, sha)
        if nid is None:
            return JSONResponse({"status": "pending", "sha256": sha}, status_code=202)
        return JSONResponse({"status": "filed", "sha256": sha, "notice_id": nid, "notice": f"/api/notices/{nid}"})

    async def dashboard(request: Request) -> Response:
        counts = await run_in_threadpool(register.unit_counts, today=s.today())
        months = await run_in_threadpool(register.due_per_month, today=s.today())
        return JSONResponse({"units": [{"name": c.name, "open": c.open, "overdue": c.overdue, "done": c.done}
                                       for c in counts],
                             "months": [{"month": m, "due": n} for m, n in months]})

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_schema())

    return [
        Route("/tasks", list_tasks, methods=["GET"]),
        Route("/tasks/{tid}", one_task, methods=["GET"]),
        Route("/tasks/{tid}/status", set_status, methods=["POST"]),
        Route("/notices", list_notices, methods=["GET"]),
        Route("/notices/{nid}", one_notice, methods=["GET"]),
        Route("/documents", post_document, methods=["POST"]),
        Route("/files/{sha}", file_state, methods=["GET"]),
        Route("/dashboard", dashboard, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
    ]


def _notice_body(s: service.Settings, nid: str, record: dict[str, Any]) -> dict[str, Any]:
    views = service.notice_tasks(s, nid)
    ids = service.register_ids(nid, record)
    return {"notice_id": nid, "record": record,
            "tasks": [service.task_json(views[t]) for t in ids if t in views],
            "files": [{"sha256": f.sha256, "format": f.format, "path": f.path, "received": f.received.isoformat()}
                      for f in s.register.files(nid)]}


# --- the description -----------------------------------------------------------------------------

def _filter_parameters() -> list[dict[str, Any]]:
    def q(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
        return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}

    return [
        q("unit", {"type": "string"}, "A responsible unit: its register name or any spelling the notices use."),
        q("status", {"type": "string", "enum": list(STATUSES)}, "open, due_soon (within 7 days), overdue or done."),
        q("due_within", {"type": "integer", "minimum": 0}, "Due within this many days from today (overdue included)."),
        q("issuer", {"type": "string"}, "Part of the issuing body's name (accents and case ignored)."),
        q("month", {"type": "string", "pattern": r"^\d{4}-\d{2}$"}, "Due in this month: 2026-06."),
        q("words", {"type": "string"}, "Every word occurs in the task, its notice or its units (accents ignored)."),
    ]


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _json(description: str, ref: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def openapi_schema() -> dict[str, Any]:
    task_id = {"name": "tid", "in": "path", "required": True, "schema": {"type": "string"}}
    secured = [{"bearer": []}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "notice-extractor register API", "version": __version__,
                 "description": "The office's register of notices and tasks. When the server has a token, every "
                                "call but this description needs 'Authorization: Bearer TOKEN'."},
        "servers": [{"url": "/api"}],
        "security": secured,
        "paths": {
            "/tasks": {"get": {"summary": "Tasks of the current versions, sorted by deadline, filtered as the register page",
                               "parameters": _filter_parameters(),
                               "responses": {"200": _json("The tasks", "TaskList"), "400": _error("A filter cannot be read")}}},
            "/tasks/{tid}": {"get": {"summary": "One task with its history", "parameters": [task_id],
                                     "responses": {"200": _json("The task", "Task"), "404": _error("No such task")}}},
            "/tasks/{tid}/status": {"post": {
                "summary": "Mark a task done, or open again, with a note (kept in its history with the time)",
                "parameters": [task_id],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["done"],
                    "properties": {"done": {"type": "boolean"}, "note": {"type": "string", "maxLength": 2000}}}}}},
                "responses": {"200": _json("The task as it is now", "Task"), "400": _error("Not {done, note}"),
                              "404": _error("No such task"), "415": _error("Not application/json")}}},
            "/notices": {"get": {"summary": "Notices: all, newest first; with a filter, those with tasks it keeps",
                                 "parameters": _filter_parameters(),
                                 "responses": {"200": _json("The notices", "NoticeList"), "400": _error("A filter cannot be read")}}},
            "/notices/{nid}": {"get": {
                "summary": "A notice: its record (the JSON contract), its tasks in the register, its files",
                "parameters": [{"name": "nid", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json("The notice", "Notice"), "404": _error("No such notice")}}},
            "/documents": {"post": {
                "summary": "Send a document (multipart field 'file'): extracted and filed, or put into the inbox",
                "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}}}},
                "responses": {"201": _json("Filed: a new notice or version", "Filed"),
                              "200": _json("Known already (same content or the same file)", "Filed"),
                              "202": {"description": "Put into the inbox; ask /files/{sha} for its notice"},
                              "400": _error("No file"), "413": _error("Over the size limit"),
                              "415": _error("A type the extractor does not read"),
                              "422": _error("Unreadable, or not a notice")}}},
            "/files/{sha}": {"get": {
                "summary": "Whether a file sent to the inbox has been filed yet",
                "parameters": [{"name": "sha", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "Filed: its notice_id"}, "202": {"description": "Not yet"}}}},
            "/dashboard": {"get": {"summary": "Tasks per unit (open, overdue, done) and not-done tasks due per month",
                                   "responses": {"200": {"description": "The figures"}}}},
            "/openapi.json": {"get": {"summary": "This description", "security": [],
                                      "responses": {"200": {"description": "OpenAPI 3.1"}}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error", "message"],
                          "properties": {"error": {"type": "string"}, "message": {"type": "string"}}},
                "Task": {"type": "object", "properties": {
                    "id": {"type": "string"}, "notice_id": {"type": "string"}, "notice": {"type": "string"},
                    "issuer": {"type": ["string", "null"]}, "subject": {"type": ["string", "null"]},
                    "issued_date": {"type": ["string", "null"], "format": "date"}, "section": {"type": "string"},
                    "text": {"type": "string"}, "responsible_units": {"type": "array", "items": {"type": "string"}},
                    "coordinating_units": {"type": "array", "items": {"type": "string"}},
                    "units": {"type": "array", "items": {"type": "string"}},
                    "deadline": {"type": ["string", "null"]}, "due": {"type": ["string", "null"], "format": "date"},
                    "status": {"type": "string", "enum": list(STATUSES)}, "status_label": {"type": "string"},
                    "note": {"type": "string"},
                    "span": {"type": "object", "properties": {"start": {"type": "integer"}, "end": {"type": "integer"}}}}},
                "TaskList": {"type": "object", "properties": {
                    "count": {"type": "integer"}, "tasks": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}}}},
                "NoticeSummary": {"type": "object", "properties": {
                    "id": {"type": "string"}, "label": {"type": "string"}, "doc_type": {"type": ["string", "null"]},
                    "number": {"type": ["string", "null"]}, "symbol": {"type": ["string", "null"]},
                    "issuer": {"type": ["string", "null"]}, "issued_date": {"type": ["string", "null"], "format": "date"},
                    "subject": {"type": ["string", "null"]}, "tasks": {"type": "integer"}, "warnings": {"type": "integer"}}},
                "NoticeList": {"type": "object", "properties": {
                    "count": {"type": "integer"},
                    "notices": {"type": "array", "items": {"$ref": "#/components/schemas/NoticeSummary"}}}},
                "Notice": {"type": "object", "properties": {
                    "notice_id": {"type": "string"},
                    "record": {"type": "object", "description": "The record as published: `notice-extractor schema`."},
                    "tasks": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}},
                    "files": {"type": "array", "items": {"type": "object"}}}},
                "Filed": {"allOf": [{"$ref": "#/components/schemas/Notice"}, {"type": "object", "properties": {
                    "outcome": {"type": "string", "enum": ["new_notice", "new_version", "same_content", "known_file"]}}}]},
            },
        },
    }

