"""`reportgen serve`: a real server on 127.0.0.1, a real HTTP client, real file edits."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.cli import main
from reportgen.preview import VERSION_PATH, Preview, make_server, serve
from tests.conftest import require_tool
from tests.support.browser import CHROMIUM_ARGS

INCIDENT = "incidents/2024/2024-01-15-fictional-drone-strike-on-example-station.yaml"
TITLE = "Fictional example: drone strike on Example Station"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "desk"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    return root


def get(url: str, host: str | None = None, timeout: float = 30) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def next_version(url: str, after: int) -> int:
    """Long-poll the server until it has rebuilt after version `after`."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        version = json.loads(get(f"{url.rstrip('/')}{VERSION_PATH}?after={after}")[1])["version"]
        if version > after:
            return version
    raise AssertionError("the server did not rebuild")


@pytest.fixture
def preview_server(project: Path) -> Iterator[tuple[Preview, str]]:
    """A preview server without the file watcher: the test calls rebuild() itself."""
    preview = Preview(project)
    preview.rebuild()
    server = make_server(preview)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield preview, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_page_is_the_briefing_with_a_reload_script(preview_server):
    preview, url = preview_server
    status, page = get(url)
    assert status == 200 and TITLE in page
    assert f'fetch("{VERSION_PATH}?after=" + version' in page and "var version = 1;" in page
    assert page.index("var version") < page.rindex("</body>")


def test_long_poll_answers_when_the_project_changed(preview_server, project: Path):
    preview, url = preview_server
    answer: list[int] = []
    waiting = threading.Thread(target=lambda: answer.append(next_version(url, 1)))
    waiting.start()
    time.sleep(0.2)
    assert not answer  # still waiting: nothing changed yet
    edit(project / INCIDENT, TITLE, "Fictional example: an edited title")
    preview.rebuild()
    waiting.join(timeout=10)
    assert answer == [2]
    assert "an edited title" in get(url)[1]


def test_errors_are_shown_in_the_page_escaped(preview_server, project: Path):
    preview, url = preview_server
    edit(project / "actors/example-brigade.yaml", "kind: militia", "kind: <img src=x onerror=alert(1)>")
    problems = preview.rebuild()
    assert problems
    page = get(url)[1]
    assert "actors/example-brigade.yaml:6:1" in page and "is not an allowed value" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "var version = 2;" in page  # the error page reloads itself too
    edit(project / "actors/example-brigade.yaml", "kind: <img src=x onerror=alert(1)>", "kind: militia")
    assert preview.rebuild() == [] and TITLE in get(url)[1]


def test_only_localhost_is_answered(preview_server):
    _, url = preview_server
    port = url.rsplit(":", 1)[1].strip("/")
    assert get(url, host=f"attacker.example:{port}")[0] == 403
    assert get(url, host=f"localhost:{port}")[0] == 200
    assert get(url + "etc/passwd")[0] == 404


def test_unknown_report_is_shown_in_the_page(project: Path):
    preview = Preview(project, "no-such-report")
    (problem,) = preview.rebuild()
    assert "no report 'no-such-report'" in problem.message and "example-brief" in problem.hint
    assert "no report &#39;no-such-report&#39;" in preview.page


@pytest.mark.slow
def test_editing_a_file_rebuilds_the_served_page(project: Path):
    stop, ready = threading.Event(), threading.Event()
    found: dict = {}

    def on_ready(url: str, problems: list) -> None:
        found.update(url=url, problems=problems)
        ready.set()

    thread = threading.Thread(target=serve, args=(project, None, 0),
                              kwargs={"ready": on_ready, "stop": stop}, daemon=True)
    thread.start()
    try:
        assert ready.wait(30) and found["problems"] == []
        url = found["url"]
        assert TITLE in get(url)[1]
        edit(project / INCIDENT, TITLE, "Fictional example: edited while serving")
        version = next_version(url, 1)
        assert "edited while serving" in get(url)[1]
        edit(project / "reportgen.yaml", "default_marking: TLP:CLEAR", "default_marking: TLP:CLEAR\n  bad: 1")
        next_version(url, version)
        page = get(url)[1]
        assert "reportgen.yaml:6:3" in page and "unknown field &#39;bad&#39;" in page
        assert not (project / "build").exists()  # the preview never writes outputs
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


@pytest.mark.slow
def test_browser_reloads_by_itself_after_an_edit(project: Path):
    """Headless Chromium keeps the page open; the edit alone makes it show the new title."""
    from playwright.sync_api import sync_playwright

    chromium = require_tool("chromium")
    stop, ready = threading.Event(), threading.Event()
    found: dict = {}
    thread = threading.Thread(target=serve, args=(project, None, 0), daemon=True, kwargs={
        "ready": lambda url, problems: (found.update(url=url), ready.set()), "stop": stop})
    thread.start()
    try:
        assert ready.wait(30)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.route("**/*", lambda route: route.continue_()
                           if route.request.url.startswith(found["url"]) else route.abort())
                page.goto(found["url"])
                assert page.get_by_text(TITLE).first.is_visible()
                edit(project / INCIDENT, TITLE, "Fictional example: reloaded in the browser")
                page.get_by_text("reloaded in the browser").first.wait_for(timeout=30_000)
            finally:
                browser.close()
    finally:
        stop.set()
        thread.join(timeout=10)


@pytest.mark.slow
def test_console_script_serves_until_interrupted(project: Path):
    script = Path(sys.executable).with_name("reportgen")
    process = subprocess.Popen([str(script), "serve", "--port", "0"], cwd=project, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        line = ""
        deadline = time.monotonic() + 60
        while "serving" not in line and time.monotonic() < deadline:
            line = process.stdout.readline()
        url = line.split()[1]
        host, port = url.removeprefix("http://").strip("/").split(":")
        assert host == "127.0.0.1"
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request("GET", "/")
        response = connection.getresponse()
        assert response.status == 200 and TITLE in response.read().decode("utf-8")
        connection.close()
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0 and "stopped" in output and "Traceback" not in output


def raw(url: str, request: bytes) -> tuple[int | None, bytes]:
    """Send `request` as it is; the status of the answer (None when there is none) and its body."""
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    words = head.split(b" ", 2)
    return (int(words[1]) if len(words) > 1 and words[1].isdigit() else None), body


def request(url: str, method: str, target: str) -> bytes:
    port = url.rstrip("/").rsplit(":", 1)[1]
    return (f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
            .encode("latin-1"))


@pytest.mark.parametrize("after", ["²", "١٢", "-1", "1.5", "x", " 1", "0x10", "9" * 5000, "１"])
def test_a_version_query_that_is_not_a_number_is_a_400(preview_server, after):
    _, url = preview_server
    status, body = raw(url, request(url, "GET", f"{VERSION_PATH}?after={quote(after)}"))
    assert (status, body) == (400, b"after: a version number (0, 1, 2, ...)\n")


def test_head_is_answered_and_other_methods_refused(preview_server):
    _, url = preview_server
    assert raw(url, request(url, "HEAD", "/")) == (200, b"")
    assert raw(url, request(url, "HEAD", f"{VERSION_PATH}?after=0")) == (200, b"")
    for method in ("POST", "PUT", "DELETE", "OPTIONS", "FOO"):
        assert raw(url, request(url, method, "/")) == (405, b"only GET and HEAD\n")
    assert raw(url, request(url, "GET", "http://[not-a-host/")) == (400, b"not a URL\n")


SAFE = "/?&=%[]#:@!$'()*+,;~"
queries = st.one_of(st.text(max_size=30), st.sampled_from(["after=²", "after=١٢", "after=", "after&after=1",
                                                           f"after={'9' * 5000}", "after=99999999999999"]),
                    st.integers().map(lambda n: f"after={n}"))
paths = st.one_of(st.sampled_from(["/", "/index.html", VERSION_PATH, "//[", "//", "/..", "/%00", "*",
                                   "http://[x/", f"http://127.0.0.1{VERSION_PATH}"]),
                  st.text(max_size=30).map(lambda text: "/" + text))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(method=st.sampled_from(["GET", "GET", "GET", "HEAD", "POST", "BREW"]), path=paths, query=queries)
def test_no_request_gets_a_5xx_or_stops_the_server(fuzzed_server, capsys, method, path, query):
    url = fuzzed_server
    status, _ = raw(url, request(url, method, quote(path, safe=SAFE) + "?" + quote(query, safe=SAFE)))
    assert status is not None and status < 500
    assert raw(url, request(url, "GET", "/"))[0] == 200
    assert "Traceback" not in capsys.readouterr().err


@pytest.fixture
def fuzzed_server(project: Path) -> Iterator[str]:
    """A preview server whose long polls wait a moment only (a fuzzed `after` may be far ahead)."""
    preview = Preview(project)
    preview.rebuild()
    server = make_server(preview, poll_seconds=0.01)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_client_that_goes_away_mid_answer_leaves_no_traceback(project: Path, capsys):
    """The page waits for the next version; the client resets the connection before the answer
    comes (a closed tab): the server writes into a dead socket and says nothing."""
    preview = Preview(project)
    preview.rebuild()
    server = make_server(preview, poll_seconds=0.1)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        for target in (f"{VERSION_PATH}?after={preview.version}", "/"):
            for _ in range(3):
                client = socket.create_connection(server.server_address[:2])
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                client.sendall(request(url, "GET", target))
                client.close()  # linger 0: a reset, not a polite close
        time.sleep(0.3)
        assert raw(url, request(url, "GET", "/"))[0] == 200
    finally:
        server.shutdown()
        server.server_close()
    assert "Traceback" not in capsys.readouterr().err


def test_serve_stops_with_exit_2_when_the_report_does_not_exist(project: Path):
    result = CliRunner().invoke(main, ["serve", "no-such-report", "--port", "0", "-C", str(project)])
    assert result.exit_code == 2 and "no report 'no-such-report'" in result.output
    assert "example-brief" in result.output and "serving" not in result.output
