"""coursetools.grading.cluster without a cluster: what makes a worker unfit, and the local pool.
The cluster itself (a scheduler and two workers on loopback) is tested in tests/test_grading.py."""

from __future__ import annotations

from coursetools.grading import cluster
from coursetools.grading.cluster import LocalPool, mismatches

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
