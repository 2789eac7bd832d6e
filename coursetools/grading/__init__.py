"""Grading a class: sandboxed, parallel, with a mistake tally and a suspicion report.

``python -m coursetools grade LESSON`` (``make grade LESSON=...``). The layers, in the order a
submission meets them:

- ``normalise``: validate a submitted notebook and repair it against the lesson's source;
- ``sandbox``: the OS-level sandbox (bubblewrap) and resource limits for learner code;
- ``child``: the program inside the sandbox that runs the learner's cells and calls functions;
- ``protocol``: plain data between the two (JSON and ``.npy`` bytes, never pickle);
- ``session``: the grader's side of one submission: cells, calls, time limits, crashes;
- ``plan``: what the source's test cells check (exercise, seed, points), judged in the grader;
- ``gradebook``: the single writer of scores into nbgrader's gradebook;
- ``report``: feedback HTML, grades CSV, mistake tally (CSV, PNG) and suspicion report;
- ``command``: validation, workers, progress and the summary.
"""
