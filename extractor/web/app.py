"""The office's register on the web: routes that read the register, file uploads through the
pipeline and render Vietnamese pages.

Routes only translate between HTTP and :mod:`.service` (the register, the pipeline); pages are
server-rendered Jinja2 templates, autoescaped whatever their name, and work without JavaScript
(the one script only adds hover between a task and its place in the text). Security — the
token, CSRF, the host and origin checks — is :mod:`.security`'s; the JSON API is :mod:`.api`.

    /                           the register: tasks by deadline, filters, export, mark done
    /export.xlsx, /export.csv   the register's current view (same query string)
    /notices, /notices/{id}     notices; one notice: metadata, marked text, tasks, history, files
    /notices/{id}/files/{sha}   an original file, while it is still where it was read
    /tasks/{id}/status          POST: done or open again, with a note
    /upload, /uploads/{sha}     send a document; wait for the inbox to take it
    /dashboard (+ .xlsx, /dashboard/units.csv, /dashboard/months.csv)
    /login, /logout             only when a token is set
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..parsers import MAX_INPUT_BYTES, SUPPORTED_SUFFIXES
from ..register import STATUSES, Register, TaskFilter
from ..runners.budget import DEFAULT_BUDGET
from ..runners.common import content_hash
from . import api, charts, exports, service
from .labels import EVENT_LABELS, FORMAT_LABELS, OUTCOME_LABELS, STATUS_LABELS, size_label, vndate
from .marking import marked_text
from .security import CSRF_FIELD, LOGIN_COOKIE, LOGIN_HOURS, CsrfFailure, Guard, GuardMiddleware, Responder, cookie_header
from .uploads import FORM_OVERHEAD, BodyTooLarge, Extraction, UploadRefused, limited, too_large

HERE = Path(__file__).parent
log = logging.getLogger("extractor.web")


def _templates(guard: Guard) -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["vndate"] = vndate
    env.filters["path"] = lambda value: quote(str(value), safe="")
    env.globals.update(STATUS_LABELS=STATUS_LABELS, STATUSES=STATUSES, EVENT_LABELS=EVENT_LABELS,
                       FORMAT_LABELS=FORMAT_LABELS, CSRF_FIELD=CSRF_FIELD, token_required=guard.required,
                       csrf_token=guard.csrf_token)
    return Jinja2Templates(env=env)


def safe_next(value: Any, default: str = "/") -> str:
    """A path on this site to go back to; anything else (another host, '//host', a scheme) is not."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    return value


def create_app(register: Register, *, token: str | None = None, inbox: Path | None = None, uploads: Path | None = None,
               max_bytes: int = MAX_INPUT_BYTES, today: Callable[[], dt.date] | None = None,
               allowed_hosts: frozenset[str] | None = None, budget: float | None = DEFAULT_BUDGET,
               debug: bool = False) -> Starlette:
    """The application over ``register``. ``inbox``: uploads go there for ``watch``; else they are
    kept in ``uploads`` and extracted here, each within ``budget`` seconds. ``allowed_hosts``:
    Host names accepted (None: any)."""
    guard = Guard(token=token, allowed_hosts=allowed_hosts)
    s = service.Settings(register=register, guard=guard, inbox=inbox, max_bytes=max_bytes,
                         uploads=uploads or Path("uploads").resolve(), today=today or dt.date.today,
                         extraction=Extraction(budget))
    templates = _templates(guard)

    def page(request: Request, template: str, status: int = 200, /, **context: Any) -> Response:
        return templates.TemplateResponse(request, template, {"today": s.today(), **context}, status_code=status)

    def error_page(request: Request, status: int, title: str, message: str, **more: Any) -> Response:
        return page(request, "error.html", status, title=title, message=message, **more)

    # --- the register ------------------------------------------------------------------------

    async def register_page(request: Request) -> Response:
        where, problems = service.parse_filter(request.query_params)
        today = s.today()
        everything = await run_in_threadpool(register.tasks, TaskFilter(), today=today)
        tasks = everything if service.is_empty(where) else await run_in_threadpool(register.tasks, where, today=today)
        units = sorted({u for t in everything for u in t.units})
        issuers = sorted({t.issuer for t in everything if t.issuer})
        query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k in service.FILTER_FIELDS and v])
        return page(request, "register.html", tasks=tasks, total=len(everything), units=units, issuers=issuers,
                    values={k: request.query_params.get(k, "") for k in service.FILTER_FIELDS}, problems=problems,
                    query=query, back=request.url.path + (f"?{request.url.query}" if request.url.query else ""))

    async def export(request: Request) -> Response:
        where, problems = service.parse_filter(request.query_params)
        if problems:
            return error_page(request, 400, "Bộ lọc không hợp lệ", " ".join(problems))
        tasks = await run_in_threadpool(register.tasks, where, today=s.today())
        stamp = s.today().strftime("%Y%m%d")
        if request.url.path.endswith(".csv"):
            return Response(await run_in_threadpool(exports.tasks_csv, tasks), media_type=exports.CSV,
                            headers={"content-disposition": f'attachment; filename="so-theo-doi-{stamp}.csv"'})
        body = await run_in_threadpool(exports.tasks_xlsx, tasks)
        return Response(body, media_type=exports.XLSX,
                        headers={"content-disposition": f'attachment; filename="so-theo-doi-{stamp}.xlsx"'})

    # --- notices -----------------------------------------------------------------------------

    async def notices_page(request: Request) -> Response:
        items = await run_in_threadpool(service.notices, s, TaskFilter())
        return page(request, "notices.html", notices=items)

    async def notice_page(request: Request) -> Response:
        nid = request.path_params["nid"]
        record = await run_in_threadpool(register.record, nid)
        if record is None:
            return error_page(request, 404, "Không tìm thấy văn bản", f"Sổ không có văn bản mã “{nid}”.")
        views = await run_in_threadpool(service.notice_tasks, s, nid)
        ids = service.register_ids(nid, record)
        shown_ids = [tid if tid in views else None for tid in ids]
        tasks = []
        for n, (t, tid) in enumerate(zip(record["tasks"], ids, strict=True), start=1):
            view = views.get(tid)
            history = await run_in_threadpool(register.history, tid) if view else []
            tasks.append({"n": n, "record": t, "view": view, "id": tid, "history": history})
        low_pages = sorted({p for w in record["warnings"] if w["code"] == "ocr_low_confidence"
                            for p in w["pages"]})
        files = [{"row": f, "name": Path(f.path).name, "exists": Path(f.path).is_file()}
                 for f in await run_in_threadpool(register.files, nid)]
        outcome = OUTCOME_LABELS.get(request.query_params.get("filed", ""))
        return page(request, "notice.html", nid=nid, record=record, notice=record["notice"], tasks=tasks, files=files,
                    text=marked_text(record, shown_ids, low_pages=low_pages), low_pages=low_pages, outcome=outcome,
                    summary=service.notice_summary(nid, record), back=request.url.path)

    async def download(request: Request) -> Response:
        nid, sha = request.path_params["nid"], request.path_params["sha"]
        row = next((f for f in await run_in_threadpool(register.files, nid) if f.sha256 == sha), None)
        if row is None:
            return error_page(request, 404, "Không tìm thấy tệp", "Văn bản này không có tệp nào như vậy trong sổ.")
        path = Path(row.path)
        if await run_in_threadpool(content_hash, path) != sha:
            gone = not path.exists()
            return error_page(request, 410 if gone else 409, "Tệp gốc không còn",
                              f"Tệp “{path.name}” " + ("không còn ở chỗ nó được đọc" if gone else
                                                       "đã bị thay đổi sau khi được đọc") + f" ({row.path}).")
        return FileResponse(path, filename=path.name)

    # --- marking tasks -------------------------------------------------------------------------

    async def task_status(request: Request) -> Response:
        tid = request.path_params["tid"]
        form = await checked_form(request)
        back = safe_next(form.get("back"), "/")
        done = form.get("done") == "1"
        note = str(form.get("note") or "").strip()[:2000]
        try:
            await run_in_threadpool(register.set_done, tid, done, note)
        except KeyError:
            return error_page(request, 404, "Không tìm thấy nhiệm vụ", "Nhiệm vụ không có trong sổ (hoặc đã bị bỏ "
                                                                         "trong phiên bản mới của văn bản).")
        return RedirectResponse(f"{back}#task-{quote(tid, safe='')}", status_code=303)

    async def checked_form(request: Request, limit: int = 256 * 1024) -> Any:
        try:
            form = await limited(request, limit).form()
        except BodyTooLarge:
            raise HTTPException(413) from None
        guard.check_csrf(request, form.get(CSRF_FIELD))
        return form

    # --- uploads -------------------------------------------------------------------------------

    async def upload_form(request: Request) -> Response:
        return page(request, "upload.html", suffixes=sorted(SUPPORTED_SUFFIXES), limit=size_label(s.max_bytes),
                    inbox=s.inbox is not None)

    async def upload(request: Request) -> Response:
        try:
            try:
                form = await limited(request, s.max_bytes + FORM_OVERHEAD).form(max_files=1, max_fields=5)
            except BodyTooLarge:
                raise too_large("", s.max_bytes) from None
            try:
                guard.check_csrf(request, form.get(CSRF_FIELD))
                filed = await service.file_upload(s, form.get("file"))
            finally:
                await form.close()
        except UploadRefused as refused:
            return page(request, "upload.html", refused.status, suffixes=sorted(SUPPORTED_SUFFIXES),
                        limit=size_label(s.max_bytes), inbox=s.inbox is not None, refused=refused)
        if filed.notice_id is None:
            return RedirectResponse(f"/uploads/{filed.sha256}?name={quote(filed.filename)}", status_code=303)
        return RedirectResponse(f"/notices/{quote(filed.notice_id, safe='')}?filed={filed.outcome}", status_code=303)

    async def pending(request: Request) -> Response:
        sha = request.path_params["sha"]
        nid = await run_in_threadpool(service.notice_of_file, s, sha)
        if nid is not None:
            return RedirectResponse(f"/notices/{quote(nid, safe='')}", status_code=303)
        return page(request, "pending.html", name=request.query_params.get("name", ""), sha=sha)

    # --- the dashboard -------------------------------------------------------------------------

    async def dashboard(request: Request) -> Response:
        counts = await run_in_threadpool(register.unit_counts, today=s.today())
        months = await run_in_threadpool(register.due_per_month, today=s.today())
        return page(request, "dashboard.html", counts=counts, months=months, unit_chart=charts.unit_bars(counts),
                    month_chart=charts.month_bars(months))

    async def dashboard_file(request: Request) -> Response:
        counts = await run_in_threadpool(register.unit_counts, today=s.today())
        months = await run_in_threadpool(register.due_per_month, today=s.today())
        stamp = s.today().strftime("%Y%m%d")
        what = request.path_params.get("what", "xlsx")
        if what == "units.csv":
            body, media = exports.units_csv(counts), exports.CSV
        elif what == "months.csv":
            body, media = exports.months_csv(months), exports.CSV
        elif what == "xlsx":
            body, media = await run_in_threadpool(exports.dashboard_xlsx, counts, months), exports.XLSX
        else:
            raise HTTPException(404)
        name = f"thong-ke-{stamp}-{what}" if what.endswith(".csv") else f"thong-ke-{stamp}.xlsx"
        return Response(body, media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'})

    # --- logging in ----------------------------------------------------------------------------

    async def login_form(request: Request) -> Response:
        if not guard.required:
            return RedirectResponse("/", status_code=303)
        return page(request, "login.html", next=safe_next(request.query_params.get("next")), failed=False)

    async def login(request: Request) -> Response:
        form = await checked_form(request)
        target = safe_next(form.get("next"))
        if not guard.required:
            return RedirectResponse(target, status_code=303)
        given = form.get("token")
        if not guard.token_matches(given if isinstance(given, str) else None):
            await asyncio.sleep(1)  # guessing is slow
            return page(request, "login.html", 401, next=target, failed=True)
        response = RedirectResponse(target, status_code=303)
        response.headers.append("set-cookie", cookie_header(LOGIN_COOKIE, guard.login_cookie(), request,
                                                            max_age=LOGIN_HOURS * 3600))
        return response

    async def logout(request: Request) -> Response:
        await checked_form(request)
        response = RedirectResponse("/login" if guard.required else "/", status_code=303)
        response.headers.append("set-cookie", cookie_header(LOGIN_COOKIE, "", request, max_age=0))
        return response

    # --- refusals and errors -----------------------------------------------------------------

    def refuse(request: Request, status: int, reason: str) -> Responder:
        if reason == "host":
            return Response("Tên máy (Host) không được chấp nhận.", status_code=400, media_type="text/plain")
        if reason == "api":
            return JSONResponse({"error": "unauthorized", "message": "Authorization: Bearer TOKEN is required"},
                                status_code=401, headers={"www-authenticate": 'Bearer realm="notice-extractor"'})
        if reason == "login" and request.method in ("GET", "HEAD"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "forbidden", "message": "cross-origin request refused"}, status_code=403)
        return error_page(request, 403, "Không được phép", "Yêu cầu bị từ chối: hãy đăng nhập và gửi lại từ trang "
                                                          "của sổ theo dõi.")

    async def on_csrf(request: Request, exc: Exception) -> Response:
        return error_page(request, 403, "Biểu mẫu không hợp lệ",
                          "Biểu mẫu đã hết hạn hoặc không được gửi từ trang này. Hãy tải lại trang rồi thử lại.")

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if request.url.path.startswith("/api/"):
            return api.problem(exc.status_code, str(exc.detail))
        titles = {404: "Không tìm thấy trang", 405: "Phương thức không được hỗ trợ", 413: "Dữ liệu gửi lên quá lớn"}
        return error_page(request, exc.status_code, titles.get(exc.status_code, "Yêu cầu không hợp lệ"),
                          "Địa chỉ không có trong sổ theo dõi." if exc.status_code == 404 else str(exc.detail))

    async def on_error(request: Request, exc: Exception) -> Response:
        log.exception("error on %s %s", request.method, request.url.path)
        if request.url.path.startswith("/api/"):
            return api.problem(500, "internal error; see the server's log")
        return error_page(request, 500, "Đã có lỗi", "Máy chủ gặp lỗi khi xử lý yêu cầu; chi tiết đã được ghi vào "
                                                      "nhật ký của máy chủ.")

    routes: list[BaseRoute] = [
        Route("/", register_page),
        Route("/export.xlsx", export),
        Route("/export.csv", export),
        Route("/notices", notices_page),
        Route("/notices/{nid}", notice_page),
        Route("/notices/{nid}/files/{sha}", download),
        Route("/tasks/{tid}/status", task_status, methods=["POST"]),
        Route("/upload", upload_form, methods=["GET"]),
        Route("/upload", upload, methods=["POST"]),
        Route("/uploads/{sha}", pending),
        Route("/dashboard", dashboard),
        Route("/dashboard.xlsx", dashboard_file),
        Route("/dashboard/{what:str}", dashboard_file),
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Mount("/api", routes=api.routes(s)),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if s.inbox is None:
            s.extraction.start()
        try:
            yield
        finally:
            s.extraction.close()  # the extraction worker does not outlive the server

    app = Starlette(debug=debug, routes=routes,
                    middleware=[Middleware(GuardMiddleware, guard=guard, refuse=refuse)],
                    exception_handlers={CsrfFailure: on_csrf, HTTPException: on_http, Exception: on_error},
                    lifespan=lifespan)
    app.state.settings = s
    return app
