"""coursetools.grading.cluster without a cluster: what makes a worker unfit, and the local pool.
The cluster itself (a scheduler and two workers on loopback) is tested in tests/test_grading.py."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from coursetools.grading import cluster
from coursetools.grading.cluster import LocalPool, SchedulerLost, mismatches

HERE = {"course": "0123456789abcdef", "version": "0.1.0", "numpy": "2.4.1", "host": "grader", "bwrap": True}


def test_workers_that_cannot_grade_are_named_with_what_is_wrong_and_good_ones_pass():
    found = {
        "tcp://10.0.0.2:40000": dict(HERE, host="node2"),
        "tcp://10.0.0.3:40000": ModuleNotFoundError("No module named 'coursetools'"),
        "tcp://10.0.0.4:40000": dict(HERE, host="node4", course="fedcba9876543210", version="0.0.9"),
        "tcp://10.0.0.5:40000": dict(HERE, host="node5", numpy="2.3.5"),
        "tcp://10.0.0.6:40000": dict(HERE, host="node6", numpy="2.4.3", bwrap=False),  # a patch release differs
    }
    assert mismatches(found, HERE) == [
        "tcp://10.0.0.3:40000 cannot run the course's code: ModuleNotFoundError: No module named 'coursetools'",
        "tcp://10.0.0.4:40000 (node4) has the course at fingerprint fedcba9876543210 (version 0.0.9), "
        "this course is at 0123456789abcdef",
        "tcp://10.0.0.5:40000 (node5) has numpy 2.3.5, this course 2.4.1",
    ]


def test_the_local_pool_gives_each_students_result_or_the_exception_of_ours_and_goes_on(monkeypatch, tmp_path):
    def grade_files(job, student, files):
        if student == "bob":
            raise RuntimeError("boom")
        return {"student": student, "files": files}

    monkeypatch.setattr(cluster, "grade_files", grade_files)
    for student in ("ann", "bob", "cat"):
        (tmp_path / student).mkdir()
        (tmp_path / student / "a.ipynb").write_bytes(student.encode())
    found = dict(LocalPool(2).grade(None, {s: tmp_path / s for s in ("ann", "bob", "cat")}))
    assert found["ann"] == {"student": "ann", "files": {"a.ipynb": b"ann"}}
    assert found["cat"]["files"] == {"a.ipynb": b"cat"}
    assert isinstance(found["bob"], RuntimeError) and str(found["bob"]) == "boom"


class FakeFuture:
    def __init__(self, outcome) -> None:
        self.outcome = outcome

    def result(self):
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome

    def done(self) -> bool:
        return True

    def release(self) -> None:
        pass


class FakeClient:
    """Two workers; a third, without the course, joins when the first task is sent and takes it."""

    status = "running"

    def __init__(self) -> None:
        self.workers = {"tcp://a:1": 1, "tcp://b:1": 1}
        self.retired, self.sent = [], []
        self.scheduler = self

    def ncores(self):
        return dict(self.workers)

    def sync(self, function, callback_timeout=None):
        return function()

    def run(self, function, workers=None, on_error="raise"):
        return {
            w: ModuleNotFoundError("No module named 'coursetools'") if w == "tcp://new:1" else cluster.identity()
            for w in workers or self.workers
        }

    def retire_workers(self, workers, close_workers=False):
        self.retired += workers
        for worker in workers:
            self.workers.pop(worker)

    def submit(self, function, job, student, files, key=""):
        self.sent.append(student)
        if len(self.sent) == 1:  # the stranger joins and takes the first task
            self.workers["tcp://new:1"] = 1
            return FakeFuture(ModuleNotFoundError("No module named 'coursetools'"))
        return FakeFuture({"student": student, "files": files})


def test_a_worker_that_joins_without_the_course_is_retired_and_its_submission_sent_again(tmp_path):
    for student in ("ann", "bob"):
        (tmp_path / student).mkdir()
        (tmp_path / student / "a.ipynb").write_bytes(student.encode())
    grading = cluster.Cluster("tcp://scheduler:8786")
    grading.client = FakeClient()
    grading.checked = {"tcp://a:1": True, "tcp://b:1": True}
    grading._wait = lambda futures: set(futures)
    lesson = SimpleNamespace(lesson="01_pixels")
    found = [o for o in grading.grade(lesson, {s: tmp_path / s for s in ("ann", "bob")}) if o[0]]
    assert sorted(found) == [("ann", {"student": "ann", "files": {"a.ipynb": b"ann"}}),
                             ("bob", {"student": "bob", "files": {"a.ipynb": b"bob"}})]
    assert grading.client.sent == ["ann", "bob", "ann"]  # ann's first try went to the stranger
    assert grading.client.retired == ["tcp://new:1"] and grading.in_use() == 2
    assert grading.notes == [
        "retired tcp://new:1 cannot run the course's code: ModuleNotFoundError: No module named 'coursetools'"
    ]


def test_a_lost_scheduler_ends_the_grading_with_the_address():
    grading = cluster.Cluster("tcp://scheduler:8786")
    grading.client = FakeClient()
    grading.client.status = "connecting"
    with pytest.raises(SchedulerLost, match="lost the Dask scheduler at tcp://scheduler:8786"):
        list(grading.grade(None, {"ann": Path("/nowhere")}))
