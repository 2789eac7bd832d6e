"""Every lesson's exercises against their catalogues: run directly, without nbgrader.

For each lesson folder, each exercise: the reference passes its own visible and hidden checks;
every catalogued mistake has a known-wrong answer in ``tests/wrong_answers/<topic>.py`` and the
check names it; the other right answers pass; the untouched stub, the library shortcut and a
function that returns nothing fail with messages that say so. (``tests/test_course.py`` does the
same through nbgrader's autograder.)
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from cnnlib.checks import CheckFailure, check, exercises
from cnnlib.guard import qualified_name, resolve
from coursetools import pipeline
from tests.wrong_answers import for_lesson, right_for_lesson

LESSONS = pipeline.lessons(pipeline.REPO_ROOT)
HIDDEN_SEEDS = (0, 1)


def define(source: str, name: str):
    """Run an answer's source as a notebook cell would and return the function ``name``."""
    namespace: dict = {"np": np}
    exec(compile(source, f"<answer {name}>", "exec"), namespace)
    return namespace[name]


def failure(exercise, function) -> str:
    """The message of the first failing check, visible cases first, then hidden ones."""
    for seed in (None, *HIDDEN_SEEDS):
        try:
            check(exercise, function, seed)
        except CheckFailure as error:
            return str(error)
    return ""


def _params(kind: str):
    params = []
    for lesson in LESSONS:
        catalogue = for_lesson(lesson) if kind == "wrong" else right_for_lesson(lesson)
        for name, answers in catalogue.items():
            params += [pytest.param(lesson, name, a, id=f"{lesson}-{name}-{a.label}") for a in answers]
    return params


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_reference_passes_its_own_checks_and_is_guarded(lesson, capsys):
    for name, exercise in exercises(lesson).items():
        # (with nothing switched off: the reference is the library's answer itself)
        assert failure(dataclasses.replace(exercise, shortcuts={}), exercise.reference) == "", name
        assert f"{name}: all" in capsys.readouterr().out
        assert exercise.reference in exercise.blocked, f"{name}: the reference itself is not switched off"
        for function in exercise.blocked:
            if isinstance(function, str):  # another library's, by dotted path: installed here
                assert resolve(function) is not None, f"{name}: {function} does not exist"
            else:
                assert getattr(function, "is_answer", False), f"{qualified_name(function)} lacks @answer"


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_catalogued_mistake_has_a_wrong_answer_and_every_exercise_has_one(lesson):
    wrong = for_lesson(lesson)
    for name, exercise in exercises(lesson).items():
        covered = {a.mistake for a in wrong.get(name, [])}
        missing = {m.key for m in exercise.mistakes} - covered
        assert not missing, f"{name}: no wrong answer in tests/wrong_answers makes {sorted(missing)}"
        assert len({m.key for m in exercise.mistakes}) == len(exercise.mistakes), f"{name}: duplicate keys"
    assert set(wrong) == set(exercises(lesson)), "wrong answers for every exercise, and only those"


@pytest.mark.parametrize("lesson,name,answer", _params("wrong"))
def test_a_wrong_answer_fails_and_the_message_names_its_mistake(lesson, name, answer):
    exercise = exercises(lesson)[name]
    message = failure(exercise, define(answer.source, name))
    assert message, f"'{answer.label}' passed every check"
    if answer.mistake:
        (mistake,) = [m for m in exercise.mistakes if m.key == answer.mistake]
        assert f"Likely mistake: {mistake.says}" in message, message
    else:
        assert answer.message in message, message


@pytest.mark.parametrize("lesson,name,answer", _params("right"))
def test_another_right_answer_passes(lesson, name, answer):
    exercise = exercises(lesson)[name]
    assert failure(exercise, define(answer.source, name)) == ""


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_untouched_stub_fails_saying_what_to_do(lesson):
    def stub(*args, **kwargs):
        raise NotImplementedError()

    for exercise in exercises(lesson).values():
        assert "replace `raise NotImplementedError()`" in failure(exercise, stub)


@pytest.mark.parametrize("lesson", LESSONS)
def test_calling_the_library_answer_is_refused_kindly_through_any_alias(lesson):
    for name, exercise in exercises(lesson).items():
        for library in exercise.blocked:
            alias = resolve(library) if isinstance(library, str) else library

            def shortcut(*args, _f=alias, **kwargs):
                return _f(*args, **kwargs)

            message = failure(exercise, shortcut)
            assert f"{name}(" in message and "used a shortcut" in message, message
            if isinstance(library, str):
                assert f"{library} computes this exercise's answer, so it is switched off" in message
            else:
                assert f"{qualified_name(library)} is cnnlib's own answer to this exercise" in message
                later = f"and from {exercise.free_from} on" if exercise.free_from else "and in your own work after"
                assert f"this one is yours to write. Outside this check (in the exercises after it, {later}" in message
        # and outside the check the library answer works again
        for case in exercise.visible:
            args, kwargs = exercise.call_arguments(case)
            exercise.reference(*args, **kwargs)


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_function_that_forgets_to_return_is_told_so(lesson):
    for exercise in exercises(lesson).values():
        assert "returned None. Did you forget the `return` statement?" in failure(
            exercise, lambda *a, **k: None
        )
