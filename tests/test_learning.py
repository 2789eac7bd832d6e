"""Tests of cnnlib.learning (lesson 09's answers) and cnnlib.plots.learning (its figures).

Gradients are compared with an independent oracle: ``cnnlib.gradcheck.numerical_gradient`` over
``cnnlib.ops.conv2d_loops``, the plain-loop convolution.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnnlib import gradcheck, learning, ops, plots

SOBEL = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]]) / 4


def _loss_of(image, target):
    return lambda kernel: learning.mse(ops.conv2d_loops(image, kernel), target)


# ------------------------------------------------------------------ mse, numerical_gradient


def test_mse_by_hand_and_shape_errors():
    assert learning.mse(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 0.0], [3.0, 8.0]])) == 5.0
    with pytest.raises(ValueError, match="same shape"):
        learning.mse(np.zeros(3), np.zeros(4))


def test_numerical_gradient_of_a_quadratic_form_is_exact_and_leaves_w_alone():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(4, 4))
    w = rng.normal(size=4)
    before = w.copy()
    grad = learning.numerical_gradient(lambda v: float(v @ a @ v), w, eps=1e-3)
    np.testing.assert_allclose(grad, (a + a.T) @ w, rtol=1e-8)  # central differences: exact for quadratics
    np.testing.assert_array_equal(w, before)


def test_numerical_gradient_visits_every_entry_of_every_axis():
    w = np.arange(12, dtype=float).reshape(2, 3, 2) / 10
    grad = learning.numerical_gradient(lambda v: float(np.sum(v**3)), w, eps=1e-4)
    np.testing.assert_allclose(grad, 3 * w**2, atol=1e-7)


def test_numerical_gradient_central_beats_one_sided_by_the_curvature_times_eps():
    w = np.array([2.0])
    central = learning.numerical_gradient(lambda v: float(np.sum(v**3)), w, eps=0.1)
    assert central[0] == pytest.approx(12 + 0.01)  # 3 w^2 + eps^2


@pytest.mark.parametrize(
    "f, w, eps, message",
    [
        ("sum", np.zeros(2), 1e-5, "f must be a function"),
        (np.sum, np.zeros(2), 0.0, "eps must be a small positive number"),
        (np.sum, np.array(["a"]), 1e-5, "real numbers"),
    ],
)
def test_numerical_gradient_says_what_it_expected(f, w, eps, message):
    with pytest.raises((TypeError, ValueError), match=message):
        learning.numerical_gradient(f, w, eps)


# ------------------------------------------------------------------ filter_gradient


def test_filter_gradient_by_hand():
    image = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [2.0, 0.0, 1.0]])
    error = np.array([[1.0, 0.0], [0.0, 0.0]])  # only the top-left window has an error
    np.testing.assert_allclose(learning.filter_gradient(image, error), 2 / 4 * image[:2, :2])


@pytest.mark.parametrize("shape, kernel", [((6, 6), (3, 3)), ((5, 7), (2, 4)), ((4, 4), (4, 4))])
def test_filter_gradient_matches_the_numerical_gradient_of_the_loss(shape, kernel):
    rng = np.random.default_rng(sum(shape))
    image = rng.uniform(0, 1, size=shape)
    k = rng.normal(size=kernel)
    target = rng.normal(size=(shape[0] - kernel[0] + 1, shape[1] - kernel[1] + 1))
    error = ops.conv2d_loops(image, k) - target
    loss = _loss_of(image, target)
    numerical = gradcheck.numerical_gradient(lambda: loss(k), k)
    assert gradcheck.rel_error(learning.filter_gradient(image, error), numerical) < 1e-7


def test_filter_gradient_rejects_an_error_larger_than_the_image():
    with pytest.raises(ValueError, match=r"\(H - kh \+ 1, W - kw \+ 1\)"):
        learning.filter_gradient(np.zeros((3, 3)), np.zeros((4, 2)))


# ------------------------------------------------------------------ sgd_step, learn_filter, filter_path


def test_sgd_step_by_hand_returns_a_new_array():
    w = np.array([1.0, -2.0])
    new = learning.sgd_step(w, np.array([0.5, -4.0]), 0.1)
    np.testing.assert_allclose(new, [0.95, -1.6])
    np.testing.assert_array_equal(w, [1.0, -2.0])
    with pytest.raises(ValueError, match="same shape"):
        learning.sgd_step(w, np.zeros(3), 0.1)


def test_learn_filter_recovers_a_hidden_edge_filter_and_leaves_start_alone():
    inputs, targets = learning.edge_pairs(SOBEL, n=5, size=9, seed=4)
    start = np.random.default_rng(1).normal(0, 0.5, size=(3, 3))
    before = start.copy()
    learned = learning.learn_filter(inputs, targets, start, lr=0.3, steps=200)
    assert np.abs(learned - SOBEL).max() < 1e-3
    np.testing.assert_array_equal(start, before)
    np.testing.assert_array_equal(learning.learn_filter(inputs, targets, start, 0.3, 0), start)


def test_one_step_of_learn_filter_is_sgd_on_the_mean_of_the_filter_gradients():
    inputs, targets = learning.edge_pairs(SOBEL, n=3, size=6, seed=2)
    start = np.ones((3, 3))
    grads = [learning.filter_gradient(x, ops.conv2d_loops(x, start) - t) for x, t in zip(inputs, targets)]
    expected = start - 0.2 * sum(grads) / 3
    np.testing.assert_allclose(learning.learn_filter(inputs, targets, start, 0.2, 1), expected)


def test_filter_path_keeps_every_step_its_loss_falls_or_explodes_with_the_learning_rate():
    inputs, targets = learning.edge_pairs(SOBEL, n=4, size=8, seed=1)
    start = np.zeros((3, 3))
    kernels, losses = learning.filter_path(inputs, targets, start, 0.3, 50)
    assert kernels.shape == (51, 3, 3) and losses.shape == (51,)
    np.testing.assert_allclose(kernels[-1], learning.learn_filter(inputs, targets, start, 0.3, 50))
    assert np.all(np.diff(losses) < 0)
    assert losses[0] == pytest.approx(np.mean([learning.mse(0 * t, t) for t in targets]))
    # above 2 / (largest curvature) every step overshoots: the loss grows without end
    patches = np.lib.stride_tricks.sliding_window_view(inputs, (3, 3), axis=(1, 2)).reshape(-1, 9)
    largest = np.linalg.eigvalsh(2 * patches.T @ patches / len(patches)).max()
    _, exploding = learning.filter_path(inputs, targets, start, 1.1 * 2 / largest, 200)
    assert exploding[-1] > 1e6 * exploding[0]


def test_learn_filter_says_when_targets_do_not_fit():
    with pytest.raises(ValueError, match=r"one feature map per input"):
        learning.learn_filter(np.zeros((2, 5, 5)), np.zeros((2, 4, 4)), np.zeros((3, 3)))


# ------------------------------------------------------------------ accuracy, edge_pairs


def test_accuracy_by_hand_and_against_a_loop():
    scores = np.array([[2.0, 0.5, -1.0], [0.1, 0.3, 0.2], [1.0, 3.0, 0.0], [0.0, -2.0, 4.0]])
    assert learning.accuracy(scores, np.array([0, 1, 2, 2])) == 0.75
    rng = np.random.default_rng(7)
    scores, labels = rng.normal(size=(100, 10)), rng.integers(0, 10, 100)
    right = sum(int(max(range(10), key=lambda k, r=row: r[k]) == label) for row, label in zip(scores, labels))
    assert learning.accuracy(scores, labels) == right / 100
    with pytest.raises(ValueError, match=r"scores \(N, K\) and labels \(N,\)"):
        learning.accuracy(scores, labels[:5])


def test_edge_pairs_are_the_kernel_s_maps():
    inputs, targets = learning.edge_pairs(SOBEL, n=2, size=5, seed=0)
    assert inputs.shape == (2, 5, 5) and targets.shape == (2, 3, 3)
    np.testing.assert_allclose(targets[1], ops.conv2d_loops(inputs[1], SOBEL))


# ------------------------------------------------------------------ figures


def test_mosaic_lays_tiles_in_rows_with_blank_gaps():
    tiles = np.arange(3 * 2 * 2, dtype=float).reshape(3, 2, 2)
    out = plots.mosaic(tiles, ncols=2, scale=2, gap=1)
    assert out.shape == (2 * 4 + 1, 2 * 4 + 1)
    np.testing.assert_array_equal(out[:4, :4], np.kron(tiles[0], np.ones((2, 2))))
    np.testing.assert_array_equal(out[5:9, :4], np.kron(tiles[2], np.ones((2, 2))))
    assert np.isnan(out[4]).all() and np.isnan(out[:, 4]).all() and np.isnan(out[5:, 5:]).all()


def test_snapshot_maps_are_the_first_layer_s_padded_correlations_after_relu():
    rng = np.random.default_rng(3)
    filters, digit = rng.normal(size=(4, 3, 3, 1)), rng.uniform(size=(8, 8))
    maps = plots.snapshot_maps(filters, digit)
    padded = np.pad(digit, 1)
    assert maps.shape == (4, 8, 8)
    np.testing.assert_allclose(maps[2], np.maximum(ops.conv2d_loops(padded, filters[2, :, :, 0]), 0))


def test_the_figures_draw_what_they_are_given():
    inputs, targets = learning.edge_pairs(SOBEL, n=3, size=7, seed=0)
    kernels, losses = learning.filter_path(inputs, targets, np.zeros((3, 3)), 0.3, 40)
    fig = plots.show_filter_learning(kernels, losses, hidden=SOBEL)
    titles = [ax.get_title() for ax in fig.axes]
    assert "step 0\nloss " + f"{losses[0]:.2g}" in titles and "step 40\nloss " + f"{losses[40]:.2g}" in titles
    assert any("hidden" in t for t in titles)
    plt.close(fig)
    runs = {0.3: losses, 5.0: np.array([1.0, 10.0, 1e7, 1e9]), 9.0: np.array([1.0, 1e200, np.inf, np.nan])}
    ax = plots.show_learning_rates(runs)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    # the first and last losses as a printout with :.2g shows them, the whole run drawn
    assert labels[0] == f"lr = 0.3: loss {losses[0]:.2g} -> {losses[40]:.2g} at step 40"
    assert labels[1] == "lr = 5: loss 1 -> 1e+09 at step 3, explodes"
    assert labels[2] == "lr = 9: loss 1 -> nan at step 3, explodes"
    lines = ax.get_lines()
    assert list(lines[1].get_ydata()) == [1.0, 10.0, 1e7, 1e9]
    assert list(lines[2].get_ydata()) == [1.0, 1e200] and list(lines[3].get_xdata()) == [1]  # cut, marked
    plt.close(ax.figure)
    snapshots = {s: np.full((16, 3, 3, 1), s / 10) for s in (0, 4, 8, 40)}
    fig = plots.show_snapshots(snapshots, digit=np.eye(8), accuracy={40: 0.981})
    titles = [ax.get_title() for ax in fig.axes]
    assert (
        "step 40: first-layer filters (test accuracy 98%)" in titles
        and "step 0: first-layer filters" in titles
    )
    plt.close(fig)
    fig = plots.show_snapshots(snapshots, digit=np.eye(8), captions={4: "after 4 steps (epoch 1)"})
    titles = [ax.get_title() for ax in fig.axes]
    assert (
        "after 4 steps (epoch 1)\nfirst-layer filters" in titles and "step 40: first-layer filters" in titles
    )
    plt.close(fig)
    with pytest.raises(ValueError, match="no snapshot at steps"):
        plots.show_snapshots(snapshots, steps=[5])
    with pytest.raises(ValueError, match="one loss per kernel"):
        plots.show_filter_learning(kernels, losses[:-1])


# ------------------------------------------------------------------ fit as lesson 09 uses it


def _small_run(**kwargs):
    from cnnlib.data import load_digits
    from cnnlib.layers import digits_cnn
    from cnnlib.train import fit

    digits = load_digits()
    model = digits_cnn(seed=0)
    return fit(model, digits.x_train[:128], digits.y_train[:128], epochs=2, progress=False, **kwargs), model


def test_fit_without_shuffling_takes_the_samples_in_the_order_given_whatever_the_seed():
    first, model_a = _small_run(shuffle=False, seed=0)
    second, model_b = _small_run(shuffle=False, seed=1)
    _, model_c = _small_run(seed=0)
    np.testing.assert_array_equal(model_a.flat_params, model_b.flat_params)  # the seed draws no order
    assert first.loss == second.loss and not np.array_equal(model_a.flat_params, model_c.flat_params)


def test_fit_trains_with_one_blas_thread_of_numpy_unless_told_otherwise(monkeypatch):
    from cnnlib import train

    def numpy_threads():
        return {lib["num_threads"] for lib in train._BLAS.info() if "numpy" in lib["filepath"]}

    seen = []
    original = train.train_epoch

    def watched(*args, **kwargs):
        seen.append(numpy_threads())
        return original(*args, **kwargs)

    monkeypatch.setattr(train, "train_epoch", watched)
    before = numpy_threads()
    _small_run()
    assert seen == [{1}, {1}] and numpy_threads() == before  # put back afterwards
    seen.clear()
    _small_run(blas_threads=None)
    assert seen == [before, before]  # the library's own setting
