"""Where submissions are graded: threads of this process (``LocalPool``) or the workers of a Dask
cluster (``Cluster``, ``python -m coursetools grade LESSON --scheduler tcp://HOST:8786``).

Both run ``job.grade_files`` for each submission and hand its plain result back to the one
process that writes the gradebook, the feedback and the reports (``command.grade``), one result
at a time, as they arrive. ``grade`` yields ``(student, result or exception)`` and, on a cluster,
``(None, None)`` about once a second so the progress line can show the workers in use.

On a cluster:

- every worker is asked at the start what it has (``job.identity``): a worker that cannot run
  the course's code, or has another version of it (its fingerprint) or of numpy, is named and
  the run refused before anything is graded;
- a worker that joins later is asked too; one without the course is retired from the cluster,
  and a submission it failed is sent again (at most three times);
- a worker that dies mid-run costs nothing: Dask runs its submissions again elsewhere, and each
  submission's result is taken once, so nothing is written to the gradebook twice; a
  submission that kills three workers in turn is failed as a grader error (tried again by the
  next run);
- at most a few submissions per worker thread are in flight, so a class of thousands never sits
  in the scheduler's memory;
- a scheduler that goes away ends the run with ``SchedulerLost``: what was graded is kept.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .job import Job, WrongCourse, folder_files, grade_files, identity
from .sandbox import Sandbox

__all__ = ["LocalPool", "Cluster", "ClusterRefused", "SchedulerLost", "mismatches"]

Outcome = tuple[str | None, Any]
RESEND = 3  # times a submission failed by a worker without the course is sent again


class ClusterRefused(RuntimeError):
    """The cluster cannot grade this course (no scheduler, no workers, a worker without the course)."""


class SchedulerLost(RuntimeError):
    """The connection to the scheduler was lost mid-run."""


class LocalPool:
    """``workers`` threads of this process, each driving one sandboxed child at a time."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.notes: list[str] = []
        self.serial_seconds = 0.0  # the threads read the submissions

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc) -> None:
        pass

    def check(self, job: Job) -> None:
        pass

    def confined(self, use_bwrap: bool | None) -> bool:
        return Sandbox(use_bwrap=use_bwrap).confined

    def in_use(self) -> int:
        return self.workers

    def grade(self, job: Job, submissions: dict[str, Path]) -> Iterator[Outcome]:
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            futures = {
                pool.submit(lambda s, f: grade_files(job, s, folder_files(f)), student, folder): student
                for student, folder in submissions.items()
            }
            for future in as_completed(futures):
                try:
                    yield futures[future], future.result()
                except Exception as error:  # a bug of ours must not stop the class
                    yield futures[future], error


def mismatches(found: dict[str, Any], here: dict[str, Any]) -> list[str]:
    """What is wrong with each worker, as sentences (empty when every worker can grade):
    ``found`` is worker -> its ``identity()`` or the exception it raised, ``here`` this process's."""
    wrong = []
    for worker, there in sorted(found.items()):
        if isinstance(there, BaseException):  # Dask may wrap what the worker raised in an Exception
            why = str(there) if type(there) is Exception else f"{type(there).__name__}: {there}"
            wrong.append(f"{worker} cannot run the course's code: {why}")
        elif there.get("course") != here["course"]:
            wrong.append(
                f"{worker} ({there.get('host')}) has the course at fingerprint {there.get('course')} "
                f"(version {there.get('version')}), this course is at {here['course']}"
            )
        elif there.get("numpy", "").split(".")[:2] != here["numpy"].split(".")[:2]:
            wrong.append(
                f"{worker} ({there.get('host')}) has numpy {there.get('numpy')}, this course {here['numpy']}"
            )
    return wrong


HOW_TO_INSTALL = (
    "Every worker needs the same course: a checkout of the same commit with its requirements "
    "installed (`make venv`, or `pip install -r requirements.txt` in it), and `dask worker` run "
    "from that environment (see the README, 'Grading on a cluster')."
)


@contextmanager
def _quiet_dask():
    """Dask logs a lost connection as a traceback; the command says it in one line instead."""
    loggers = [logging.getLogger(name) for name in ("distributed", "distributed.client")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


class Cluster:
    """The workers of the Dask scheduler at ``address`` (``tcp://HOST:PORT``)."""

    def __init__(self, address: str, *, connect_seconds: float = 10, worker_seconds: float = 60) -> None:
        self.address, self.connect_seconds, self.worker_seconds = address, connect_seconds, worker_seconds
        self.client = None
        self.checked: dict[str, bool] = {}  # worker -> may grade
        self.present: list[str] = []  # the workers when last asked
        self.notes: list[str] = []  # workers sent away mid-run, and why
        self._threads = 0
        self.serial_seconds = 0.0  # reading and sending submissions, fetching results (one at a time)
        self.bwrap = True
        self._quiet = _quiet_dask()

    def __enter__(self) -> Cluster:
        from distributed import Client

        self._quiet.__enter__()
        try:
            self.client = Client(self.address, timeout=self.connect_seconds, set_as_default=False)
        except (OSError, TimeoutError) as error:
            self._quiet.__exit__(None, None, None)
            raise ClusterRefused(
                f"no Dask scheduler answers at {self.address} ({type(error).__name__}): start one with "
                "`dask scheduler` (README, 'Grading on a cluster') or grade here without --scheduler"
            ) from None
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.client is not None:
                self.client.close(timeout=5)
        except Exception:  # the scheduler may be gone already
            pass
        finally:
            self._quiet.__exit__(None, None, None)

    def check(self, job: Job) -> None:
        """Refuse (``ClusterRefused``) unless there is a worker and every worker has this course."""
        try:
            self.client.wait_for_workers(1, timeout=self.worker_seconds)
        except TimeoutError:
            raise ClusterRefused(
                f"the scheduler at {self.address} has no workers after {self.worker_seconds:g} s: "
                f"start some with `dask worker {self.address}`. {HOW_TO_INSTALL}"
            ) from None
        found = self.client.run(identity, on_error="return")
        wrong = mismatches(found, identity())
        if wrong:
            raise ClusterRefused(
                "these workers cannot grade this course, so nothing was graded:\n  "
                + "\n  ".join(wrong)
                + f"\n{HOW_TO_INSTALL}"
            )
        self.checked = dict.fromkeys(found, True)
        self.present = list(found)
        self.bwrap = all(there["bwrap"] for there in found.values())
        self._threads = sum(self.client.nthreads().values())

    def confined(self, use_bwrap: bool | None) -> bool:
        """Whether learner code runs in bubblewrap on every worker (as each result says too)."""
        return use_bwrap is not False and self.bwrap

    def in_use(self) -> int:
        """Workers that may grade, as last seen (the run asks the scheduler once a second)."""
        return sum(self.checked.get(w, False) for w in self.present)

    def _workers(self) -> list[str]:
        """The workers now (asked with a short timeout: a lost scheduler must not stall the run)."""
        if self._lost():
            return []
        try:
            threads = self.client.sync(self.client.scheduler.ncores, callback_timeout=2)
        except Exception:
            return []
        self._threads = sum(threads.values())
        self.present = list(threads)
        return self.present

    def _admit_new_workers(self) -> None:
        """Ask workers that joined mid-run what they have; retire those without the course."""
        new = [w for w in self._workers() if w not in self.checked]
        if not new:
            return
        found = self.client.run(identity, workers=new, on_error="return")
        here = identity()
        for worker, there in found.items():
            wrong = mismatches({worker: there}, here)
            self.checked[worker] = not wrong
            if wrong:
                self.notes.append(f"retired {wrong[0]}")
                try:
                    self.client.retire_workers([worker], close_workers=True)
                except Exception:
                    pass

    @staticmethod
    def _wait(futures: list) -> set:
        """The futures done, waiting at most a second for the first (Dask's ``wait`` would use
        whichever client of this process is the default, not necessarily this one)."""
        deadline = time.monotonic() + 1
        while True:
            done = {f for f in futures if f.done()}
            if done or time.monotonic() > deadline:
                return done
            time.sleep(0.02)

    def _lost(self) -> bool:
        return self.client.status not in ("running",)

    def _still_connected(self) -> None:
        if self._lost():
            raise SchedulerLost(f"lost the Dask scheduler at {self.address}")

    def grade(self, job: Job, submissions: dict[str, Path]) -> Iterator[Outcome]:
        waiting = deque(submissions)  # in order
        flying: dict[Any, str] = {}  # future -> student
        sent: dict[str, int] = {}

        def send(student: str) -> None:
            start = time.perf_counter()
            sent[student] = sent.get(student, 0) + 1
            files = folder_files(submissions[student])
            key = f"grade-{job.lesson}-{student}-{sent[student]}-{time.time_ns()}"
            future = self.client.submit(grade_files, job, student, files, key=key)
            flying[future] = student
            self.serial_seconds += time.perf_counter() - start

        while waiting or flying:
            self._still_connected()
            while waiting and len(flying) < 2 * max(self._threads, 1) + 2:  # a few per thread
                send(waiting.popleft())
            done = self._wait(list(flying))
            self._still_connected()
            for future in done:
                student = flying.pop(future)
                fetching = time.perf_counter()
                try:
                    result = future.result()
                    self.serial_seconds += time.perf_counter() - fetching
                except Exception as error:
                    self._still_connected()
                    if _wrong_course(error) and sent[student] < RESEND:
                        self._admit_new_workers()
                        waiting.appendleft(student)
                        continue
                    result = error
                finally:
                    future.release()
                yield student, result
            self._admit_new_workers()
            yield None, None


def _wrong_course(error: BaseException) -> bool:
    """A task that failed because its worker lacks this course (not because of the submission)."""
    return isinstance(error, (WrongCourse, ModuleNotFoundError, ImportError))
