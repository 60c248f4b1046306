"""``notice-extractor serve``: the register's web application, run by uvicorn.

It refuses to start where it would be unsafe or useless, with one line that says why: on a
host other than loopback without a token (see :mod:`.security`), with a token too short to
stand guessing, or with an inbox that is not a folder.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..runners.batch import iso_day
from ..runners.budget import DEFAULT_BUDGET
from . import TOKEN_ENV

STOP_SECONDS = 3


def default_uploads(db: str) -> Path:
    """Beside an SQLite file ('register.db' → 'register-uploads/'), else in the current folder."""
    from ..register import database_url

    url = database_url(db)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        return path.with_name(f"{path.stem}-uploads")
    return Path("notice-uploads").resolve()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", required=True, metavar="PATH_OR_URL",
                        help="the register: an SQLite file (created if missing) or postgresql://… ")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this computer only; any other needs a token)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--inbox", metavar="DIR",
                        help="put uploaded documents into this folder, the one `watch` reads; without it they are "
                             "extracted by the server itself")
    parser.add_argument("--uploads", metavar="DIR",
                        help="where uploads extracted by the server are kept (default: beside the SQLite file, "
                             "'NAME-uploads/'; for a database URL, ./notice-uploads)")
    parser.add_argument("--token", help=f"the password pages and API ask for (default: ${TOKEN_ENV}); required "
                                        f"unless listening on 127.0.0.1")
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET, metavar="SECONDS",
                        help=f"time allowed to extract one upload; past it the upload is refused with that cause "
                             f"(default {DEFAULT_BUDGET:g}; 0: no limit)")
    parser.add_argument("--today", type=iso_day, default=None, metavar="YYYY-MM-DD",
                        help="the date deadlines are measured against, for reports and demonstrations "
                             "(default: each day's own date)")


def run(args: argparse.Namespace) -> int:
    from .security import LOOPBACK_NAMES, is_loopback, listen_problem

    token = args.token or os.environ.get(TOKEN_ENV) or None
    problem = listen_problem(args.host, token)
    if problem is None and args.inbox and not Path(args.inbox).is_dir():
        problem = f"the inbox {args.inbox} is not a folder"
    if problem is not None:
        print(f"notice-extractor serve: {problem}", file=sys.stderr)
        return 2
    import uvicorn  # only the server needs it

    from ..register import Register
    from .app import create_app

    try:
        register = Register(args.db)
    except Exception as exc:  # a bad URL, an unreachable server, a file that is no database
        print(f"notice-extractor serve: cannot open the register {args.db}: {exc}", file=sys.stderr)
        return 2
    uploads = Path(args.uploads).resolve() if args.uploads else default_uploads(args.db)
    # On loopback only loopback names may come in the Host header (DNS rebinding); elsewhere the token guards.
    hosts = LOOPBACK_NAMES | {args.host.strip("[]").lower()} if is_loopback(args.host) else None
    app = create_app(register, token=token, inbox=Path(args.inbox).resolve() if args.inbox else None,
                     uploads=uploads, allowed_hosts=hosts, budget=args.budget,
                     today=(lambda: args.today) if args.today else None)
    shown_host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"notice-extractor serve: http://{shown_host}:{args.port}/ (register {args.db}; "
          f"{'uploads into ' + args.inbox if args.inbox else 'uploads kept in ' + str(uploads)})", file=sys.stderr)
    try:
        # A stop (SIGTERM, Ctrl+C) waits this long for requests in hand, then abandons them:
        # an upload being extracted is not worth holding the server for (its file is kept).
        uvicorn.run(app, host=args.host, port=args.port, log_level="info", server_header=False,
                    timeout_graceful_shutdown=STOP_SECONDS)
    finally:
        register.close()
    return 0
