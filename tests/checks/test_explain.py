"""Tests of cnnlib.checks.explain: the text of check messages."""

import numpy as np

from cnnlib.checks import explain


def test_numbers_are_written_as_a_person_writes_them():
    assert [explain.number(v) for v in (3, np.uint8(7), -1.0, 0.25, 1 / 3, np.nan, True)] == [
        "3", "7", "-1", "0.25", "0.3333", "nan", "True",
    ]  # fmt: skip


def test_grid_lines_align_numbers_and_bracket_a_window():
    lines = explain.grid_lines(np.array([[1, 20, 3], [4, 5, -6]]), mark=(1, 2, 0, 2))
    assert lines == ["   1  20   3", " [ 4   5] -6"]


def test_a_large_array_is_shown_around_a_cell_with_a_note():
    lines, note = explain.around(np.arange(400).reshape(20, 20), (10, 15))
    assert note == "rows 8..12, columns 13..17"
    assert lines[2].split() == ["213", "214", "215", "216", "217"]


def test_the_plane_through_a_cell_of_a_batch_is_named_by_its_fixed_axes():
    batch = np.zeros((2, 3, 4, 5))
    flat, cell, fixed = explain.plane(batch, (1, 2, 3, 4), ("sample", "row", "column", "channel"))
    assert flat.shape == (3, 4) and cell == (2, 3) and fixed == "sample 1, channel 4"
    bank = np.zeros((6, 3, 3, 2))
    assert (
        explain.plane(bank, (5, 0, 1, 1), ("filter", "row", "column", "channel"))[2] == "filter 5, channel 1"
    )


def test_a_weighted_sum_is_written_out_with_negative_numbers_in_brackets():
    text, total = explain.weighted_sum(np.array([[1, 2], [3, -1]]), np.array([[0, 2], [9, 2]]))
    assert (text, total) == ("1*0 + 2*2 + 3*9 + (-1)*2", 29.0)
    text, total = explain.weighted_sum(np.ones((3, 3, 4)), np.full((3, 3, 4), 0.5), bias=-1)
    assert text == "(channel 0: 4.5) + (channel 1: 4.5) + (channel 2: 4.5) + (channel 3: 4.5) + bias (-1)"
    assert total == 17.0


def test_pooling_is_written_out():
    assert explain.pooled(np.array([[1, 5], [3, 2]]), "max") == ("max(1, 5, 3, 2)", 5.0)
    assert explain.pooled(np.array([[1, 5], [3, 2]]), "mean") == ("mean(1, 5, 3, 2)", 2.75)


def test_grids_print_nan_and_infinity_as_words():
    assert explain.grid_lines(np.array([[np.nan, np.inf, -np.inf, 0.5]])) == ["   nan   inf  -inf   0.5"]
