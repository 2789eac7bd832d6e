"""The course on a JupyterHub (`make hub`), end to end, as a class meets it.

The hub is started from ``hub/jupyterhub_config.py`` on free ports, in a scratch HUB_STATE.
Everyone acts through the HTTP APIs the browser uses, through the hub's proxy: learners through
nbgrader's Assignments tab and JupyterLab's (fetch, the contents API, validate, submit, fetch
feedback), each in their own server, which runs as their own system user when the tests run as
root; the instructor through formgrader's (release, due date, collect, release feedback), and
runs ``python -m coursetools grade`` in the course directory as in a terminal of their server.

One hub serves the whole module; the tests run in order and each picks up where the last one
stopped (release, fetch, submit, restart, collect, grade, feedback), so a failure names the step.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

from coursetools import hub as coursehub
from coursetools.hub import PROXY
from tests.submissions import graded_code, source_notebook, with_answers
from tests.test_lab import _free_port
from tests.wrong_answers.pixels import WRONG

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LESSON, COURSE_ID = "01_pixels", "how-computers-see"
NOTEBOOK = f"{LESSON}/{LESSON}.ipynb"
ROOT = os.geteuid() == 0
TAG = f"{os.getpid() % 100000}"
ANN, BOB, CAT = (f"{name}{TAG}" for name in ("ann", "bob", "cat"))
LEARNERS = (ANN, BOB, CAT)
TOKEN = "course-hub-test-" + TAG * 4

pytestmark = pytest.mark.skipif(
    not PROXY.exists(),
    reason="the hub test needs JupyterHub's proxy: install Node.js 20+ and npm (apt-get install nodejs npm); "
    "`make test` then installs the proxy from hub/package.json (.ci/run does)",
)


class Hub:
    """The course's hub in a scratch state folder, and what the test needs to drive it."""

    def __init__(self, state: Path) -> None:
        self.state = state
        self.course = state / "course"
        self.exchange = state / "exchange"
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
            "HUB_STATE": str(state),
            "HUB_LEARNERS": " ".join(LEARNERS),
            "HUB_API_TOKEN": TOKEN,
        }
        self.process: subprocess.Popen | None = None
        self.tokens: dict[str, str] = {}
        self.log = state / "hub.log"

    # ---------------------------------------------------------------- the hub's process

    def start(self) -> None:
        command = [
            str(BIN / "jupyterhub"),
            "-f",
            str(REPO / "hub" / "jupyterhub_config.py"),
            f"--port={self.port}",
            f"--JupyterHub.hub_port={_free_port()}",
            f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{_free_port()}",
        ]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                command, cwd=self.state, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while self.call("GET", "/hub/api/")[0] != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the hub did not start:\n{self.tail()}")
            time.sleep(0.3)
        self.tokens = {}

    def stop(self) -> None:
        """Stop the hub (which stops the servers it started); kill whatever is left."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        markers = [str(self.state), *(f"--reuid={n}" for n in LEARNERS), *(f"/home/{n}" for n in LEARNERS)]
        for pid in _processes_with(markers):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    # ---------------------------------------------------------------- HTTP

    def call(self, method: str, path: str, data=None, token: str = TOKEN):
        """(status, parsed JSON or text) of a request through the hub's proxy."""
        body = None if data is None else json.dumps(data).encode()
        request = urllib.request.Request(self.base + path, data=body, method=method)
        request.add_header("Authorization", f"token {token}")
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        except (urllib.error.URLError, ConnectionError):
            return 0, ""
        try:
            return status, json.loads(text) if text.strip() else None
        except json.JSONDecodeError:
            return status, text

    def spawn(self, *names: str) -> None:
        """Start these users' servers side by side; wait until each is ready."""
        for name in names:
            status, reply = self.call("POST", f"/hub/api/users/{name}/server", {})
            assert status in (201, 202, 400), (name, status, reply)  # 400: already running
        deadline = time.monotonic() + 120
        for name in names:
            while not self.call("GET", f"/hub/api/users/{name}")[1]["servers"].get("", {}).get("ready"):
                assert time.monotonic() < deadline, f"{name}'s server did not start:\n{self.tail()}"
                time.sleep(0.3)

    def token(self, name: str) -> str:
        if name not in self.tokens:
            status, reply = self.call("POST", f"/hub/api/users/{name}/tokens", {"note": "course test"})
            assert status == 201, reply
            self.tokens[name] = reply["token"]
        return self.tokens[name]

    def as_user(self, name: str, method: str, path: str, data=None):
        """A request to the user's own server, with the user's own token."""
        return self.call(method, f"/user/{name}{path}", data, token=self.token(name))

    def assignments(self, name: str, action: str = "", **extra):
        """nbgrader's Assignments tab: the list, or fetch / submit / fetch_feedback of the lesson."""
        if not action:
            return self.as_user(name, "GET", f"/assignments?course_id={COURSE_ID}")
        return self.as_user(
            name, "POST", f"/assignments/{action}", {"course_id": COURSE_ID, "assignment_id": LESSON, **extra}
        )

    def notebook(self, name: str, path: str = NOTEBOOK):
        status, reply = self.as_user(name, "GET", f"/api/contents/{path}")
        assert status == 200, reply
        return nbformat.from_dict(reply["content"])

    def save(self, name: str, notebook, path: str = NOTEBOOK) -> None:
        status, reply = self.as_user(
            name, "PUT", f"/api/contents/{path}", {"type": "notebook", "format": "json", "content": notebook}
        )
        assert status in (200, 201), reply

    # ---------------------------------------------------------------- the instructor

    def formgrader(self, action: str, data=None, method: str = "POST") -> dict:
        """What formgrader's buttons do (Release, Collect, Release feedback, a due date), in the
        instructor's server; the reply must say it worked."""
        path = f"/formgrader/api/assignment/{LESSON}" + (f"/{action}" if action else "")
        status, reply = self.as_user("instructor", method, path, data)
        assert status == 200 and (not isinstance(reply, dict) or reply.get("success", True)), (status, reply)
        return reply

    def instructor(self, *command: str) -> subprocess.CompletedProcess:
        """A command run in the course directory as the instructor's server would run it."""
        settings = coursehub.Settings.from_env(self.env)
        env = {**self.env, **coursehub.server_environment(settings, settings.instructor)}
        done = subprocess.run(command, cwd=self.course, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
        return done


def _processes_with(markers: list[str]) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if any(marker in line for marker in markers):
            found.append(int(entry.name))
    return found


def _as_learner(name: str, *command: str) -> subprocess.CompletedProcess:
    """A shell command run as the learner's system user (root only)."""
    return subprocess.run(
        ["setpriv", f"--reuid={name}", f"--regid={name}", "--init-groups", *command],
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def hub():
    if ROOT and not shutil.which("bwrap") and not shutil.which("setpriv"):
        pytest.skip("the hub test as root needs bubblewrap and setpriv: apt-get install bubblewrap")
    # A folder every learner may pass through (pytest's own tmp folders are private to root).
    state = Path(tempfile.mkdtemp(prefix="course-hub-"))
    state.chmod(0o755)
    hub = Hub(state)
    try:
        try:  # what the hub does first; a repository that learners cannot enter is the machine's
            coursehub.prepare(coursehub.Settings.from_env(hub.env))
        except coursehub.HubSetupError as error:
            pytest.skip(f"the hub cannot start here: {error}")
        hub.start()
        yield hub
    finally:
        hub.stop()
        if ROOT:
            for name in LEARNERS:
                subprocess.run(["userdel", "--remove", name], capture_output=True)
                subprocess.run(["groupdel", name], capture_output=True)
        shutil.rmtree(state, ignore_errors=True)


def _disabled(page: str) -> list[str]:
    """The JupyterLab extensions a server's /lab page switches off."""
    config = json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    disabled = config.get("disabledExtensions", [])
    return list(disabled) if isinstance(disabled, list) else [k for k, v in disabled.items() if v]


def _answers(wrong_invert: bool = False) -> dict[str, str]:
    answers = {gid: cell.source for gid, cell in graded_code(source_notebook(LESSON), "solution").items()}
    if wrong_invert:
        answers["invert"] = next(w.source for w in WRONG["invert"] if w.mistake == "uint8_out_of_bounds")
    return answers


def _points() -> dict[str, float]:
    return {
        gid: float(cell.metadata.nbgrader["points"])
        for gid, cell in graded_code(source_notebook(LESSON), "test").items()
    }


# ------------------------------------------------------------------------------------- the flow


def test_the_instructor_and_the_learners_get_their_own_servers(hub):
    t0 = time.perf_counter()
    hub.spawn("instructor", ANN, BOB)
    print(f"\n[hub] three servers started side by side in {time.perf_counter() - t0:.1f} s")
    # the instructor's JupyterLab opens in the course directory, with nbgrader's instructor panels
    status, listing = hub.as_user("instructor", "GET", "/api/contents")
    assert status == 200 and {"solutions", "notebooks", "nbgrader_config.py"} <= {c["name"] for c in listing["content"]}
    status, page = hub.as_user("instructor", "GET", "/lab")
    assert status == 200 and not any("nbgrader" in name for name in _disabled(page))
    # a learner's opens in an empty home, with the Assignments tab and Validate, no instructor panels
    status, listing = hub.as_user(ANN, "GET", "/api/contents")
    assert status == 200 and listing["content"] == []
    status, page = hub.as_user(ANN, "GET", "/lab")
    disabled = _disabled(page)
    assert "@jupyter/nbgrader:formgrader" in disabled and "@jupyter/nbgrader:create-assignment" in disabled
    assert "@jupyter/nbgrader:assignment-list" not in disabled
    assert "@jupyter/nbgrader:validate-assignment" not in disabled


def test_the_instructor_releases_lesson_01_and_the_learners_fetch_it(hub):
    hub.formgrader("release")
    for name in (ANN, BOB):  # (cat fetches in the browser, next)
        status, listing = hub.assignments(name)
        assert status == 200 and listing["success"], listing
        assert [(a["assignment_id"], a["status"]) for a in listing["value"]] == [(LESSON, "released")]
        status, listing = hub.assignments(name, "fetch")
        assert status == 200 and listing["success"], listing
        assert [(a["assignment_id"], a["status"]) for a in listing["value"]] == [(LESSON, "fetched")]
    # the learner's copy is the student version: no solution, the exercises still to write
    notebook = hub.notebook(ANN)
    assert "raise NotImplementedError" in "".join(c.source for c in notebook.cells)
    assert "BEGIN HIDDEN TESTS" not in "".join(c.source for c in notebook.cells)


def test_a_learner_logs_in_fetches_lesson_01_in_the_assignments_tab_and_opens_it(hub):
    from tests.test_lab import CHROMIUM, SCREENSHOTS, _browser_or_skip

    sync_playwright = _browser_or_skip()
    password = dict(line.split(" ", 1) for line in (hub.state / "hub" / "passwords").read_text().splitlines())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        try:
            page.goto(f"{hub.base}/hub/login")
            page.fill("#username_input", CAT)
            page.fill("#password_input", password["learners"])
            page.click("#login_submit")
            page.wait_for_url(f"**/user/{CAT}/lab**", timeout=120_000)
            page.wait_for_selector(".jp-LabShell", timeout=60_000)
            # the Assignments tab, opened from the command palette as from the Nbgrader menu
            page.keyboard.press("Control+Shift+C")
            page.keyboard.type("Assignment List")
            page.keyboard.press("Enter")
            released = page.locator("#released_assignments_list")
            released.get_by_text(LESSON).wait_for(timeout=30_000)
            released.get_by_role("button", name="Fetch").click()
            fetched = page.locator("#fetched_assignments_list")
            fetched.locator("a.assignment-notebooks-link").click()
            fetched.locator(f"#nbgrader-{COURSE_ID}-{LESSON} a[href='#']").click()
            page.locator(".jp-NotebookPanel").get_by_text("def make_smiley").first.wait_for(timeout=30_000)
            # the kernel starts in cat's own server, as cat, and goes idle (the page stays open
            # meanwhile: the server learns the kernel is idle from the page's first request)
            deadline = time.monotonic() + 90
            while True:
                _status, sessions = hub.as_user(CAT, "GET", "/api/sessions")
                # (JupyterLab names a notebook's session by the notebook and a unique suffix)
                states = [s["kernel"]["execution_state"] for s in sessions if s["name"] == f"{LESSON}.ipynb"]
                if "idle" in states:
                    break
                assert time.monotonic() < deadline, f"no idle kernel for {NOTEBOOK}: {sessions}\n{hub.tail()}"
                time.sleep(0.5)
            page.screenshot(path=str(SCREENSHOTS / "hub_learner_lesson_01.png"))
        except Exception:
            page.screenshot(path=str(SCREENSHOTS / "hub_learner_failed.png"))
            raise
        finally:
            browser.close()
    assert hub.notebook(CAT).cells[0].source == hub.notebook(ANN).cells[0].source  # the lesson as released
    if ROOT:
        print(f"\n[hub] memory of a learner's server with lesson 01's kernel: {_resident_mib(CAT):.0f} MiB")


def test_learners_validate_and_submit_and_a_second_submission_replaces_the_first(hub):
    # ann first submits invert wrong, then everything right: the later one must count
    hub.save(ANN, with_answers(hub.notebook(ANN), _answers(wrong_invert=True)))
    status, reply = hub.assignments(ANN, "submit")
    assert status == 200 and reply["success"], reply
    hub.save(ANN, with_answers(hub.notebook(ANN), _answers()))
    # Validate, as the button runs it, in ann's server: every check passes
    status, reply = hub.as_user(ANN, "POST", "/assignments/validate", {"path": NOTEBOOK})
    assert status == 200 and reply["success"], reply
    assert not reply["value"].get("failed") and not reply["value"].get("errored"), reply["value"]
    status, reply = hub.assignments(ANN, "submit")
    assert status == 200 and reply["success"], reply
    # bob: everything right but invert, which wraps around in uint8
    hub.save(BOB, with_answers(hub.notebook(BOB), _answers(wrong_invert=True)))
    status, reply = hub.assignments(BOB, "submit")
    assert status == 200 and reply["success"], reply
    submitted = [a for a in hub.assignments(ANN)[1]["value"] if a["status"] == "submitted"]
    assert len(submitted[0]["submissions"]) == 2
    assert {s["student_id"] for a in submitted for s in a["submissions"]} == {ANN}  # only her own


def test_a_missing_or_renamed_notebook_is_refused_at_submission_with_what_was_expected(hub):
    renamed, moved = f"{LESSON}/my_pixels.ipynb", "my_pixels.ipynb"
    assert hub.as_user(CAT, "PATCH", f"/api/contents/{NOTEBOOK}", {"path": renamed})[0] == 200
    status, reply = hub.assignments(CAT, "submit")
    assert status == 200 and not reply["success"], reply
    assert "There are missing notebooks" in reply["value"], reply["value"]
    assert f"{LESSON}.ipynb: MISSING" in reply["value"] and "my_pixels.ipynb: EXTRA" in reply["value"]
    # no notebook at all in the lesson's folder
    assert hub.as_user(CAT, "PATCH", f"/api/contents/{renamed}", {"path": moved})[0] == 200
    status, reply = hub.assignments(CAT, "submit")
    assert not reply["success"] and f"{LESSON}.ipynb: MISSING" in reply["value"], reply
    assert "EXTRA" not in reply["value"]
    assert not list((hub.exchange / COURSE_ID / "inbound").glob(f"{CAT}+*"))  # nothing arrived
    assert hub.as_user(CAT, "PATCH", f"/api/contents/{moved}", {"path": NOTEBOOK})[0] == 200


def test_an_empty_submission_after_the_due_date_is_taken_and_marked_late(hub):
    due = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")  # after every submission so far
    assignment = hub.formgrader("", {"duedate_notimezone": due, "duedate_timezone": "UTC"}, method="PUT")
    assert assignment["duedate"] and assignment["name"] == LESSON, assignment
    time.sleep(1.1)  # late by at least a second
    status, reply = hub.assignments(CAT, "submit")  # the notebook as fetched: no answer written
    assert status == 200 and reply["success"], reply


def test_a_learner_cannot_reach_another_learners_work_or_the_course_directory(hub):
    inbound = hub.exchange / COURSE_ID / "inbound"
    (bob_submission,) = [p for p in inbound.iterdir() if p.name.startswith(f"{BOB}+")]
    # through the hub: ann's token opens ann's server only
    status, _ = hub.call("GET", f"/user/{BOB}/api/contents", token=hub.token(ANN))
    assert status == 403
    status, _ = hub.call("GET", "/user/instructor/api/contents", token=hub.token(ANN))
    assert status == 403
    if not ROOT:
        pytest.skip(
            "on the file system learners are kept apart by their system users, which only a hub "
            "run as root has: run make test as root to check it"
        )
    denied = {
        "list the exchange's inbound": ["ls", str(inbound)],
        "open another learner's home": ["ls", f"/home/{BOB}"],
        "read another learner's notebook": ["cat", f"/home/{BOB}/{NOTEBOOK}"],
        "list the course directory": ["ls", str(hub.course)],
        "read a solution": ["cat", str(hub.course / "solutions" / NOTEBOOK)],
        "read the hub's passwords": ["cat", str(hub.state / "hub" / "passwords")],
    }
    for what, command in denied.items():
        done = _as_learner(ANN, *command)
        assert done.returncode != 0 and "Permission denied" in done.stderr, (what, done.stdout[:200])
    # what nbgrader's exchange needs stays open: the released lesson, and writing a submission
    assert _as_learner(ANN, "ls", str(hub.exchange / COURSE_ID / "outbound" / LESSON)).returncode == 0
    assert oct(inbound.stat().st_mode & 0o777) == "0o733"
    assert bob_submission.owner() == BOB


def test_the_instructor_collects_grades_and_releases_feedback(hub):
    t0 = time.perf_counter()
    hub.formgrader("collect")
    collected = sorted(p.parent.name for p in (hub.course / "submitted").glob(f"*/{LESSON}"))
    assert collected == sorted([ANN, BOB, CAT])
    # the later of ann's two submissions was collected
    inbound = hub.exchange / COURSE_ID / "inbound"
    latest = max((p for p in inbound.iterdir() if p.name.startswith(f"{ANN}+")), key=lambda p: p.name)
    stamp = (hub.course / "submitted" / ANN / LESSON / "timestamp.txt").read_text()
    assert stamp == (latest / "timestamp.txt").read_text()
    done = hub.instructor(sys.executable, "-m", "coursetools", "grade", LESSON, "--quiet")
    assert f"{LESSON}: 3 graded, 0 failed" in done.stdout, done.stdout + done.stderr
    hub.formgrader("release_feedback")
    print(f"\n[hub] collect, grade 3 submissions and release feedback: {time.perf_counter() - t0:.1f} s")

    points = _points()
    total = sum(points.values())
    bob_expected = total - points["test_invert"] - points["test_invert_hidden"]
    with (hub.course / "reports" / LESSON / "grades.csv").open() as table:
        rows = {row[0]: row for row in csv.reader(table)}
    assert rows[ANN][1:4] == [f"{total:g}", f"{total:g}", "graded"], rows
    assert rows[BOB][1:4] == [f"{bob_expected:g}", f"{total:g}", "graded"]
    assert rows[CAT][1] == "0" and re.fullmatch(r"graded, \d+ s late", rows[CAT][3]), rows[CAT]
    # the tally and the suspicion report are in the course directory, where the instructor's
    # JupyterLab opens (first test), beside the gradebook formgrader shows
    _status, listing = hub.as_user("instructor", "GET", f"/api/contents/reports/{LESSON}")
    names = {c["name"] for c in listing["content"]}
    assert {"grades.csv", "mistakes.csv", "mistakes.png", "suspicion.txt"} <= names
    assert "uint8_out_of_bounds" in (hub.course / "reports" / LESSON / "mistakes.csv").read_text()


def test_each_learner_fetches_their_own_feedback_only(hub):
    points = _points()
    total = sum(points.values())
    expected = {
        ANN: total,
        BOB: total - points["test_invert"] - points["test_invert_hidden"],
        CAT: 0.0,
    }
    pages = {}
    for name in (ANN, BOB, CAT):
        status, listing = hub.assignments(name, "fetch_feedback")
        assert status == 200 and listing["success"], listing
        status, folder = hub.as_user(name, "GET", f"/api/contents/{LESSON}/feedback")
        assert status == 200, folder
        # one page, for the submission that counted (ann's first one was never graded)
        (stamp,) = [c["name"] for c in folder["content"]]
        path = urllib.parse.quote(f"{LESSON}/feedback/{stamp}/{LESSON}.html")
        status, page = hub.as_user(name, "GET", f"/api/contents/{path}?type=file&format=text")
        assert status == 200, page
        pages[name] = html.unescape(page["content"])
    for name, page in pages.items():
        assert f"{LESSON}: {expected[name]:g} / {total:g} points" in page, name
        assert f"Student: {name}" in page
        others = [n for n in (ANN, BOB, CAT) if n != name]
        assert not any(other in page for other in others), name
    if ROOT:  # released pages are named by a secret of each submission; nobody may list them
        done = _as_learner(ANN, "ls", str(hub.exchange / COURSE_ID / "feedback"))
        assert done.returncode != 0 and "Permission denied" in done.stderr, done.stderr
    # bob is told what went wrong, in his own feedback
    assert "uint8" in pages[BOB] and "wrap" in pages[BOB]
    assert "after the due date" in pages[CAT] and "NotImplementedError" in pages[CAT]
    assert "after the due date" not in pages[ANN]


def _resident_mib(name: str) -> float:
    """Resident memory of every process of the learner's system user, in MiB."""
    uid = int(subprocess.run(["id", "-u", name], capture_output=True, text=True, check=True).stdout)
    total = 0
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                total += int(re.search(r"VmRSS:\s+(\d+)", (entry / "status").read_text()).group(1))
        except (OSError, AttributeError):  # gone, or a kernel thread without VmRSS
            continue
    return total / 1024


def test_memory_of_a_learners_server(hub):
    """Printed for the README; bounded so that a leak or a second copy of JupyterLab shows."""
    if not ROOT:
        pytest.skip("measured per system user, which only a hub run as root has")
    rss = {name: round(_resident_mib(name)) for name in (ANN, BOB)}
    print(f"\n[hub] memory of each learner's server (no kernel running): {rss} MiB")
    assert all(50 < mib < 400 for mib in rss.values()), rss


def test_nothing_submitted_graded_or_released_is_lost_when_the_hub_restarts(hub):
    def on_disk(folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    ann_home = Path(f"/home/{ANN}") if ROOT else hub.state / "home" / ANN
    before = {"exchange": on_disk(hub.exchange), "ann": on_disk(ann_home / LESSON), "course": on_disk(hub.course)}
    assert len([p for p in before["exchange"] if p.startswith(f"{COURSE_ID}/inbound/") and p.endswith(".ipynb")]) == 4
    hub.stop()
    hub.start()
    _status, users = hub.call("GET", "/hub/api/users")
    assert {u["name"] for u in users} >= {"instructor", ANN, BOB, CAT}
    assert not any(u["servers"] for u in users)  # stopped with the hub; they start again at the next log-in
    after = {"exchange": on_disk(hub.exchange), "ann": on_disk(ann_home / LESSON), "course": on_disk(hub.course)}
    assert after == before
    assert any(p.startswith("feedback/") and p.endswith(".html") for p in after["ann"])  # her fetched feedback
