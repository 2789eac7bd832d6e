"""`make lab` as a learner meets it: JupyterLab serves the student notebooks, the nbgrader
extension (with its Validate button) is installed, and validation uses the course's settings."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _make_lab_command() -> list[str]:
    """The jupyter command line `make lab` would run (from `make -n`, which runs nothing)."""
    dry_run = subprocess.run(["make", "-n", "lab"], cwd=REPO, capture_output=True, text=True, check=True)
    (line,) = [line for line in dry_run.stdout.splitlines() if "jupyter lab" in line]
    program, *args = shlex.split(line)
    assert program == str(REPO / ".venv" / "bin" / "jupyter")
    return [str(BIN / "jupyter"), *args]  # this interpreter's, also when run outside .venv


def test_make_lab_starts_jupyterlab_on_the_student_notebooks_and_allows_root():
    args = _make_lab_command()[1:]
    assert args[:2] == ["lab", "--ServerApp.root_dir=notebooks"]
    assert f"--LabApp.app_settings_dir={REPO}/assets/lab/student" in args
    assert ("--allow-root" in args) == (os.getuid() == 0)


def test_the_nbgrader_lab_extension_is_installed_and_enabled():
    listing = subprocess.run(
        [str(BIN / "jupyter"), "labextension", "list"], capture_output=True, text=True, check=True
    )
    lines = [line for line in (listing.stdout + listing.stderr).splitlines() if "@jupyter/nbgrader" in line]
    assert lines and "enabled" in lines[0] and "OK" in lines[0], listing.stdout + listing.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(url: str, token: str, data: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers={"Authorization": f"token {token}"})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status, response.read()


def _start_lab(extra: list[str] = ()):
    """Start JupyterLab the way `make lab` does (venv bin on PATH, from the repo root); yield (url, token)."""
    port, token = _free_port(), "course-test-token"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    # the very command `make lab` runs, plus a fixed port and token and no browser
    overridden = {arg.split("=")[0] for arg in extra}
    command = [
        *(arg for arg in _make_lab_command() if arg.split("=")[0] not in overridden),
        "--no-browser",
        f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}",
        "--ServerApp.ip=127.0.0.1",
        *extra,
    ]
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _request(f"{base}/api/status", token)
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.poll() is not None else ""
                    pytest.fail(f"JupyterLab did not start:\n{output}")
                time.sleep(0.5)
        yield base, token
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def lab():
    """JupyterLab started the way `make lab` starts it, on the student notebooks."""
    yield from _start_lab()


def test_lab_serves_the_interface_and_lesson_01(lab):
    base, token = lab
    status, page = _request(f"{base}/lab", token)
    assert status == 200 and b"JupyterLab" in page
    # the student view: nbgrader's instructor panels are off, its Validate button is not
    config = json.loads(re.search(rb'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    disabled = config["disabledExtensions"]
    assert "@jupyter/nbgrader:create-assignment" in disabled and "@jupyter/nbgrader:formgrader" in disabled
    assert "@jupyter/nbgrader:validate-assignment" not in disabled
    status, body = _request(f"{base}/api/contents/01_pixels/01_pixels.ipynb", token)
    notebook = json.loads(body)["content"]
    assert any("make_smiley" in "".join(c["source"]) for c in notebook["cells"])


def test_validate_button_backend_reports_the_unfinished_exercises(lab):
    base, token = lab
    body = json.dumps({"path": "01_pixels/01_pixels.ipynb"}).encode()
    status, reply = _request(f"{base}/assignments/validate", token, data=body)
    result = json.loads(reply)
    assert status == 200 and result["success"], result
    failed = result["value"].get("failed", [])
    # every visible check of the untouched notebook fails, each naming NotImplementedError
    assert len(failed) >= 4, result["value"]
    assert all("NotImplementedError" in "".join(f.get("error", "")) for f in failed), failed


# ------------------------------------------------------------------ the widgets in a real browser

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = REPO / "build" / "screenshots"
# lesson -> what its widget cells show: the stepper's HTML, the explorer's images, the receptive fields'
# images under a layer menu and row and column sliders
# One lesson per kind of widget: lesson 06's pooling stepper is the same widget as lesson 04's (its
# pooling arithmetic is tested without a browser, in tests/test_widgets.py).
WIDGET_LESSONS = {
    "04_convolution": "stepper",
    "07_filterbanks": "explorer",
    "08_deep_stacks": "fields",
    "09_learning": "snapshots",
    "10_seeing": "pad",
}


def _browser_or_skip():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the browser test needs playwright: make test installs it from requirements.txt")
    if not Path(CHROMIUM).exists():
        pytest.skip("the browser test needs Debian's chromium: apt-get install chromium (.ci/run does)")
    return sync_playwright


@pytest.fixture(scope="module")
def solved_lab(tmp_path_factory):
    """JupyterLab as `make lab` starts it, on solved copies of the widget lessons in a scratch folder:
    a learner who has done the exercises sees the widgets run on their own functions (the student
    versions stop at the first unfinished check), and nothing in notebooks/ is touched."""
    root = tmp_path_factory.mktemp("solved")
    for lesson in WIDGET_LESSONS:
        if (REPO / "solutions" / lesson).exists():
            shutil.copytree(REPO / "solutions" / lesson, root / lesson)
    yield from _start_lab(extra=[f"--ServerApp.root_dir={root}"])


@pytest.fixture(scope="module")
def browser(solved_lab):
    sync_playwright = _browser_or_skip()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


def _kernel_idle(base: str, token: str, path: str) -> bool:
    _, body = _request(f"{base}/api/sessions", token)
    return any(s["path"] == path and s["kernel"]["execution_state"] == "idle" for s in json.loads(body))


def _run_all(page, base: str, token: str, path: str) -> None:
    # a workspace of its own, reset: only this notebook open (JupyterLab restores the last tabs)
    workspace = path.split("/")[0]
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{path}?token={token}&reset")
    try:
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    except Exception:  # a first start on a busy machine can stall the page: one reload
        page.screenshot(path=str(SCREENSHOTS / f"{path.split('/')[0]}-stalled.png"))
        page.reload()
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    deadline = time.monotonic() + 90
    while not _kernel_idle(base, token, path):  # the kernel is up
        assert time.monotonic() < deadline, "the notebook's kernel did not start"
        time.sleep(0.5)
    page.click("div.lm-MenuBar-itemLabel:text-is('Run')")
    page.click("li.lm-Menu-item:has-text('Run All Cells')")


@pytest.mark.parametrize("lesson", sorted(WIDGET_LESSONS))
def test_the_lessons_widgets_render_and_answer_a_slider_in_a_real_browser(solved_lab, browser, lesson):
    base, token = solved_lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        _run_all(page, base, token, f"{lesson}/{lesson}.ipynb")
        kind = WIDGET_LESSONS[lesson]
        if kind == "stepper":
            view = page.locator(".widget-html-content:has-text('output row 0, column 0')").first
            view.wait_for(timeout=120_000)
            view.scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENSHOTS / f"{lesson}-before.png"))
            handle = page.locator(".widget-hslider:has-text('position') .noUi-handle").first
            handle.focus()
            handle.press("ArrowRight")  # the next window: row 0, column 1
            page.locator(".widget-html-content:has-text('output row 0, column 1')").first.wait_for(
                timeout=30_000
            )
        elif kind == "fields":
            # the input panel's box moves when the chosen unit moves one row down
            caption = page.locator(".widget-html-content:has-text('unit (row 9, column 12) of pool 2')").first
            caption.wait_for(timeout=120_000)
            field = page.locator(".widget-image").first
            field.scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENSHOTS / f"{lesson}-before.png"))
            before = field.get_attribute("src")
            handle = page.locator(".widget-hslider:has-text('row') .noUi-handle").first
            handle.focus()
            handle.press("ArrowRight")
            page.locator(
                ".widget-html-content:has-text('unit (row 10, column 12) of pool 2')"
            ).first.wait_for(timeout=30_000)
            page.wait_for_function(
                "([element, before]) => element.getAttribute('src') !== before",
                arg=[field.element_handle(), before],
                timeout=30_000,
            )
        elif kind == "snapshots":
            # fit's tqdm bar is a widget, its curves an image in the training cell's output
            page.locator(".widget-hprogress").first.wait_for(timeout=120_000)
            training = page.locator(".jp-CodeCell:has-text('snapshot_steps=')").first
            training.locator(".jp-RenderedImage img").first.wait_for(timeout=120_000)
            images = page.locator(".widget-image")
            images.nth(1).wait_for(timeout=120_000)  # the filters and one digit's maps
            filters = images.nth(0)
            filters.scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENSHOTS / f"{lesson}-before.png"))
            before = filters.get_attribute("src")
            handle = page.locator(".widget-hslider:has-text('step') .noUi-handle").first
            handle.focus()
            for _ in range(10):
                handle.press("ArrowRight")
            page.wait_for_function(
                "([element, before]) => element.getAttribute('src') !== before",
                arg=[filters.element_handle(), before],
                timeout=30_000,
            )
            page.locator(".widget-html-content:has-text('after 40 training steps')").first.wait_for(
                timeout=30_000
            )
        elif kind == "pad":
            # click four cells of the digit pad: the network reads the drawing again each time
            view = page.locator(".widget-html-content:has-text('prediction:')").first
            view.wait_for(timeout=120_000)
            view.scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENSHOTS / f"{lesson}-before.png"))
            before = view.inner_text()
            cells = page.locator(".digit-pad-cell")
            assert cells.count() == 64
            for index in (17, 25, 33, 41):  # a stroke down column 1
                cells.nth(index).click()
            page.wait_for_function(
                "([element, before]) => element.innerText !== before",
                arg=[view.element_handle(), before],
                timeout=30_000,
            )
        else:
            images = page.locator(".widget-image")
            images.nth(3).wait_for(timeout=120_000)
            feature = images.nth(1)
            feature.scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENSHOTS / f"{lesson}-before.png"))
            before = feature.get_attribute("src")
            handle = page.locator(".widget-hslider:has-text('w[1,1]') .noUi-handle").first
            handle.focus()
            for _ in range(5):
                handle.press("ArrowRight")
            page.wait_for_function(
                "([element, before]) => element.getAttribute('src') !== before",
                arg=[feature.element_handle(), before],
                timeout=30_000,
            )
        page.screenshot(path=str(SCREENSHOTS / f"{lesson}-after.png"))
        shown = "widget-hslider" if kind == "stepper" else "widget-image"  # fields: images too
        widget = page.locator(f".jp-OutputArea-output:has(.{shown})").first
        widget.screenshot(path=str(SCREENSHOTS / f"{lesson}-widget.png"))
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0 or "Traceback" not in errors.first.inner_text()
    finally:
        page.close()
