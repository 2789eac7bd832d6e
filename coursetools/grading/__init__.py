"""Grading a class: sandboxed, parallel, with a mistake tally and a suspicion report.

``python -m coursetools grade LESSON`` (``make grade LESSON=...``). The layers, in the order a
submission meets them:

- ``normalise``: validate a submitted notebook and repair it against the lesson's source;
- ``limits``: every limit of grading, declared once (command-line options, sandbox, session);
- ``sandbox``: the OS-level sandbox (bubblewrap) and resource limits for learner code;
- ``child``: the program inside the sandbox that runs the learner's cells and calls functions;
- ``protocol``: typed messages between the two, each request beside its reply (JSON and ``.npy``
  bytes, never pickle), checked on arrival;
- ``session``: the grader's side of one submission: cells, calls, time limits, crashes;
- ``plan``: what the source's test cells check (exercise, seed, points), judged in the grader by
  ``cnnlib.checks.run_check``, the judge a notebook's check cell uses too;
- ``job``: one submission's grading as a task (bytes in, plain results out), the same function
  for a thread of this machine and a worker of a cluster; the course's fingerprint;
- ``cluster``: where tasks run: the local pool of threads, or a Dask cluster's workers (checked
  for the course, faults survived, nothing graded twice);
- ``gradebook``: the single writer of scores into nbgrader's gradebook;
- ``record``: one student's result as typed data, kept between runs;
- ``report``: feedback HTML, grades CSV, mistake tally (CSV, PNG) and suspicion report;
- ``command``: validation, workers, progress, results written as they arrive, and the summary.

Each module has its unit tests in ``tests/grading/test_<module>.py``.
"""
