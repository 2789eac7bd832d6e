"""Test order for pytest-xdist: the longest test modules start first.

`make test` runs on two workers with ``--dist loadscope --no-loadscope-reorder`` (a module, a class
or a notebook stays on one worker; scopes go out in collection order, two to each worker first,
then one at a time to whichever is free: the hub's test and the browser tests on one worker, one
after the other (two Chromiums side by side made the hub's time out), the catalogue and nbgrader
on the other, whose shorter pair leaves room for the many small scopes). Left in alphabetical order,
a long module collected late (the hub's end to end, the browser tests) runs alone at the end
while the other worker idles; started first, the many short scopes fill in around them.
"""

LONGEST_FIRST = (
    "tests/test_hub.py",
    "tests/test_grading.py",
    "tests/test_lab.py",
    "tests/test_nbgrader.py",
)


def pytest_collection_modifyitems(config, items):
    def rank(item):
        path = item.nodeid.split("::", 1)[0]
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the order within each module and among the rest is kept
