"""Tests of cnnlib.train: batches, determinism, snapshots, progress on stdout only, and that a
small CNN really learns the digits in a few epochs."""

import numpy as np
import pytest

from cnnlib.data import load_digits
from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU, Sequential, digits_cnn
from cnnlib.optim import SGD
from cnnlib.train import History, evaluate, first_filters, fit, shuffled_batches


@pytest.fixture(scope="module")
def digits():
    return load_digits()


def small_net(seed=0):
    return Sequential(
        [Conv2D(1, 8, 3, padding=1), ReLU(), MaxPool2D(2), Flatten(), Dense(128, 10)],
        input_shape=(8, 8, 1),
        seed=seed,
    )


def test_shuffled_batches_cover_every_sample_once():
    batches = shuffled_batches(10, 4, np.random.default_rng(0))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert sorted(np.concatenate(batches).tolist()) == list(range(10))
    again = shuffled_batches(10, 4, np.random.default_rng(0))
    assert all(np.array_equal(a, b) for a, b in zip(batches, again))


def course_net(seed=0):
    """Lesson 09's network (and the benchmark's)."""
    return digits_cnn(seed)


def test_training_learns_the_digits_in_five_epochs(digits):
    net = course_net()
    _, before = evaluate(net, digits.x_test, digits.y_test)
    history = fit(
        net,
        digits.x_train,
        digits.y_train,
        epochs=5,
        x_test=digits.x_test,
        y_test=digits.y_test,
        progress=False,
    )
    assert before < 0.3  # random weights: about a guess
    assert history.test_accuracy[-1] >= 0.95
    assert history.loss[0] > history.loss[-1]
    assert history.steps == [23, 46, 69, 92, 115]  # ceil(1437 / 64) steps per epoch
    assert len(history.seconds) == 5 and all(s > 0 for s in history.seconds)
    assert (net.predict(digits.x_test) == digits.y_test).mean() == history.test_accuracy[-1]


def test_same_seed_same_result_other_seed_other_result(digits):
    x, y = digits.x_train[:500], digits.y_train[:500]
    runs = []
    for seed in (0, 0, 1):
        net = course_net(seed)
        history = fit(
            net,
            x,
            y,
            epochs=2,
            batch_size=32,
            seed=seed,
            x_test=digits.x_test,
            y_test=digits.y_test,
            progress=False,
        )
        runs.append((net.flat_params.copy(), history.test_accuracy))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    assert runs[0][1] == runs[1][1]
    assert not np.array_equal(runs[0][0], runs[2][0])


def test_snapshots_keep_the_first_filters_at_the_chosen_steps(digits):
    net = small_net()
    initial = first_filters(net).copy()
    history = fit(
        net,
        digits.x_train[:256],
        digits.y_train[:256],
        epochs=2,
        batch_size=64,
        snapshot_steps=[0, 1, 5, 8, 100],
        progress=False,
    )
    assert sorted(history.snapshots) == [0, 1, 5, 8]  # 8 steps in all: 100 never came
    np.testing.assert_array_equal(history.snapshots[0], initial)
    np.testing.assert_array_equal(history.snapshots[8], net.params["conv1.w"])
    assert history.snapshots[1].shape == (8, 3, 3, 1)
    assert not np.array_equal(history.snapshots[1], history.snapshots[0])  # they are copies, not views


def test_stop_at_ends_training_at_the_first_epoch_that_reaches_it(digits):
    history = fit(
        small_net(),
        digits.x_train,
        digits.y_train,
        epochs=20,
        x_test=digits.x_test,
        y_test=digits.y_test,
        stop_at=0.9,
        progress=False,
    )
    assert history.test_accuracy[-1] >= 0.9
    assert all(a < 0.9 for a in history.test_accuracy[:-1])


def test_progress_goes_to_stdout_and_nothing_to_stderr(digits, capsys):
    fit(
        small_net(),
        digits.x_train[:128],
        digits.y_train[:128],
        epochs=2,
        x_test=digits.x_test[:50],
        y_test=digits.y_test[:50],
    )
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("epoch 1/2: loss ") and "test " in lines[1]


def test_plot_option_draws_the_curves_outside_a_notebook(digits, capsys):
    import matplotlib

    matplotlib.use("Agg")
    history = fit(
        small_net(),
        digits.x_train[:128],
        digits.y_train[:128],
        epochs=2,
        x_test=digits.x_test[:50],
        y_test=digits.y_test[:50],
        progress=False,
        plot=True,
    )
    from cnnlib.plots import show_training

    loss_ax, acc_ax = show_training(history)
    assert len(loss_ax.lines) == 2 and len(acc_ax.lines) == 2  # training and test
    np.testing.assert_allclose(acc_ax.lines[1].get_ydata(), np.array(history.test_accuracy) * 100)
    assert capsys.readouterr().err == ""


def test_another_optimizer_can_be_given(digits):
    net = small_net()
    history = fit(
        net,
        digits.x_train[:512],
        digits.y_train[:512],
        epochs=3,
        optimizer=SGD(net, lr=0.1, momentum=0.9),
        progress=False,
    )
    assert history.loss[-1] < history.loss[0]


def test_bad_arguments_are_explained(digits):
    with pytest.raises(ValueError, match="x has 10 samples but y has 9 labels"):
        fit(small_net(), digits.x_train[:10], digits.y_train[:9], progress=False)
    with pytest.raises(ValueError, match="stop_at needs test data"):
        fit(small_net(), digits.x_train[:10], digits.y_train[:10], stop_at=0.9, progress=False)
    assert History().epochs == 0
