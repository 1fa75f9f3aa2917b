"""Live preview: serve a report's HTML on 127.0.0.1 and rebuild it whenever a project file changes.

The page is rendered in memory (outputs in build/ are left to `reportgen build`; the charts a
build kept there are reused, and kept) with a small script that
asks the server whether the project changed and reloads when it has. While the project (or
its theme) has errors, the page lists them, located, instead of the briefing.

Whatever a request holds (any path, query or `after` value, any method), the answer is a 2xx or
a 4xx, never a 5xx or a traceback: the server answers GET and HEAD, and nothing else.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jinja2
import watchfiles
from markupsafe import Markup

from reportgen.layout import BUILD_DIR
from reportgen.pipeline import make_briefing, open_project
from reportgen.problems import Problem, ReportgenError
from reportgen.render.text import render

HOST = "127.0.0.1"
VERSION_PATH = "/__reportgen/version"
POLL_SECONDS = 25.0
IGNORED_NAMES = (*watchfiles.DefaultFilter.ignore_entity_patterns, r"\.tmp$")


@cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("reportgen.preview", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined)


class Preview:
    """The current page of one report and a version number that grows with every rebuild."""

    def __init__(self, root: Path, report_id: str | None = None):
        self.root, self.report_id = root.resolve(), report_id
        self.version, self.page = 0, ""
        self.unknown_report: ReportgenError | None = None
        """Set while the config names no report `report_id`: at start, serve stops on it."""
        self._changed = threading.Condition()

    def rebuild(self) -> list[Problem]:
        """Render again; returns the errors shown in the page instead (none when it built)."""
        html, problems, summary = self._render()
        with self._changed:
            self.version += 1
            reload = Markup(_templates().get_template("reload.html.j2").render(
                version=self.version, path=VERSION_PATH))
            if problems:
                html = _templates().get_template("problems.html.j2").render(
                    problems=problems, summary=summary, reload=reload)
            else:
                head, body_end, tail = html.rpartition("</body>")
                html = f"{head}{reload}{body_end}{tail}" if body_end else html + reload
            self.page = html
            self._changed.notify_all()
        return problems

    def wait(self, after: int, timeout: float) -> int:
        """The version once it is newer than `after`, or the current one after `timeout` s."""
        with self._changed:
            self._changed.wait_for(lambda: self.version > after, timeout)
            return self.version

    def _render(self) -> tuple[str, list[Problem], str]:
        project = open_project(self.root)
        if project.errors or project.config is None:
            return "", project.errors, project.summary()
        try:
            report = (project.config.report(self.report_id) if self.report_id
                      else project.config.default_report)
        except ReportgenError as unknown:
            self.unknown_report = unknown
            return "", unknown.problems, "unknown report"
        self.unknown_report = None
        try:
            return render(make_briefing(project, report), "html"), [], ""
        except ReportgenError as exc:
            return "", exc.problems, f"{report.id} cannot be rendered"


def make_server(preview: Preview, port: int = 0, poll_seconds: float = POLL_SECONDS) -> ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1 that answers only for that host (no DNS rebinding); a long
    poll for a new version waits at most `poll_seconds`."""
    server = ThreadingHTTPServer((HOST, port), _handler(preview, poll_seconds))
    server.daemon_threads = True
    return server


PLAIN = "text/plain; charset=utf-8"


def _handler(preview: Preview, poll_seconds: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def handle(self) -> None:
            """A client that goes away mid-answer (a closed tab) ends its request quietly."""
            try:
                super().handle()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            self._answer(body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(body=False)

        def __getattr__(self, name: str):
            """Any other method (`do_POST`, `do_FOO`: http.server asks for one by name) is
            refused with 405, where http.server would say 501."""
            if name.startswith("do_"):
                return self._not_allowed
            raise AttributeError(name)

        def _not_allowed(self) -> None:
            self._send(405, PLAIN, "only GET and HEAD\n", body=True, allow="GET, HEAD")

        def _answer(self, *, body: bool) -> None:
            port = self.server.server_address[1]
            if self.headers.get("Host") not in (f"{HOST}:{port}", f"localhost:{port}"):
                self._send(403, PLAIN, "preview only on 127.0.0.1\n", body=body)
                return
            try:
                url = urlsplit(self.path)
            except ValueError:  # `http://[x/`: not a URL
                self._send(400, PLAIN, "not a URL\n", body=body)
                return
            if url.path in ("/", "/index.html"):
                self._send(200, "text/html; charset=utf-8", preview.page, body=body)
            elif url.path == VERSION_PATH:
                self._version(url.query, body=body)
            else:
                self._send(404, PLAIN, "not found\n", body=body)

        def _version(self, query: str, *, body: bool) -> None:
            after = _version_number(parse_qs(query).get("after", ["0"])[0])
            if after is None:
                self._send(400, PLAIN, "after: a version number (0, 1, 2, ...)\n", body=body)
                return
            version = preview.wait(after, poll_seconds)
            self._send(200, "application/json", json.dumps({"version": version}), body=body)

        def _send(self, status: int, kind: str, text: str, *, body: bool, allow: str = "") -> None:
            data = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            if allow:
                self.send_header("Allow", allow)
            self.end_headers()
            if body:
                self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet: the terminal shows rebuilds and problems, not every request."""

    return Handler


def _version_number(text: str) -> int | None:
    """`after`'s value as a version number; None unless it is one, in ASCII digits (`str.isdigit`
    takes '²' and '١٢', and `int` then refuses the one and reads the other)."""
    if not (text.isascii() and text.isdigit()):
        return None
    try:
        return int(text)
    except ValueError:  # longer than Python reads at once
        return None


def watch(preview: Preview, stop: threading.Event,
          rebuilt: Callable[[list[Problem]], None]) -> None:
    """Rebuild after every burst of changes under the project, except build/ and temp files."""
    ignore = watchfiles.DefaultFilter(ignore_entity_patterns=IGNORED_NAMES,
                                      ignore_paths=[preview.root / BUILD_DIR])
    for _changes in watchfiles.watch(preview.root, watch_filter=ignore, stop_event=stop,
                                     debounce=300, raise_interrupt=False):
        rebuilt(preview.rebuild())


def serve(root: Path, report_id: str | None = None, port: int = 8000, *,
          ready: Callable[[str, list[Problem]], None] = lambda url, problems: None,
          rebuilt: Callable[[list[Problem]], None] = lambda problems: None,
          stop: threading.Event | None = None) -> None:
    """Serve until `stop` is set (or Ctrl-C): `ready(url, problems)` once, then `rebuilt`.
    Raises ReportgenError (exit 2 at the command line) when `report_id` names no report."""
    stop = stop or threading.Event()
    preview = Preview(root, report_id)
    problems = preview.rebuild()
    if preview.unknown_report is not None:  # a name that never existed: say so, serve nothing
        raise preview.unknown_report
    server = make_server(preview, port)
    threads = [threading.Thread(target=server.serve_forever, daemon=True),
               threading.Thread(target=watch, args=(preview, stop, rebuilt), daemon=True)]
    for thread in threads:
        thread.start()
    try:
        ready(f"http://{HOST}:{server.server_address[1]}/", problems)
        stop.wait()
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        for thread in threads:
            thread.join(timeout=5)
