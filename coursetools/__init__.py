"""Instructor tooling: generating, autograding and giving feedback on the course's lessons.

Kept apart from ``cnnlib`` (the teaching code learners import): it drives nbgrader and is used by
``make release`` and by the tests of the grading round trip.
"""
