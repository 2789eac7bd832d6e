"""Tests of cnnlib.layers: worked examples, the plain-loop operations of cnnlib.ops as the
oracle for every forward pass, and numerical gradients (cnnlib.gradcheck) for every backward."""

import numpy as np
import pytest

from cnnlib.gradcheck import layer_gradient_errors, numerical_gradient, rel_error
from cnnlib.layers import (
    AvgPool2D,
    Conv2D,
    Dense,
    Flatten,
    MaxPool2D,
    ReLU,
    Sequential,
    digits_cnn,
    he_normal,
)
from cnnlib.losses import SoftmaxCrossEntropy
from cnnlib.ops import avg_pool2d_loops, conv2d_loops, max_pool2d_loops, relu_loops

GRAD_TOLERANCE = 1e-6  # float64 analytic vs numerical gradients agree to ~1e-8 when right


def digits_net(seed=0, dtype=np.float32):
    return digits_cnn(seed, dtype)


# --------------------------------------------------------------------------
# Forward passes: by hand, then against the loop versions
# --------------------------------------------------------------------------


def test_conv2d_forward_by_hand_with_bias_and_padding():
    conv = Conv2D(1, 1, 2, padding=1, dtype=np.float64)
    conv.params["w"][...] = np.array([[1, 2], [3, -1]]).reshape(1, 2, 2, 1)  # the seed article's filter
    conv.params["b"][...] = 10
    x = np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 2, 2, 1)
    # out = 1*top-left + 2*top-right + 3*bottom-left - 1*bottom-right of each window, + 10.
    # Padded with zeros, the top-left window is [[0, 0], [0, 1]]: -1 + 10 = 9; the centre one is
    # [[1, 2], [3, 4]]: 1 + 4 + 9 - 4 + 10 = 20; the bottom-right one [[4, 0], [0, 0]]: 4 + 10 = 14.
    expected = [[9, 11, 16], [9, 20, 24], [16, 21, 14]]
    np.testing.assert_array_equal(conv.forward(x)[0, :, :, 0], expected)


@pytest.mark.parametrize(
    ("channels", "filters", "kernel", "stride", "padding"),
    [(1, 4, 3, 1, 1), (3, 2, 3, 1, 0), (2, 3, (2, 3), 2, (1, 0)), (3, 5, 1, 1, 0), (2, 2, 3, (2, 1), 2)],
)
def test_conv2d_forward_matches_the_loops(channels, filters, kernel, stride, padding):
    rng = np.random.default_rng(channels * 10 + filters)
    conv = Conv2D(channels, filters, kernel, stride=stride, padding=padding, seed=1, dtype=np.float64)
    conv.params["b"][...] = rng.standard_normal(filters)
    x = rng.standard_normal((3, 6, 7, channels))
    expected = conv2d_loops(x, conv.params["w"], conv.params["b"], stride=stride, padding=padding)
    np.testing.assert_allclose(conv.forward(x), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(conv.forward(x, training=True), expected, rtol=1e-12, atol=1e-12)


def test_conv2d_forward_in_float32_matches_the_loops_and_stays_float32():
    rng = np.random.default_rng(3)
    conv = Conv2D(16, 32, 3, padding=1, seed=0)
    x = rng.standard_normal((5, 4, 4, 16)).astype(np.float32)
    out = conv.forward(x)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, conv2d_loops(x, conv.params["w"], padding=1), rtol=1e-4, atol=1e-4)


def test_conv2d_outputs_are_fresh_arrays_not_reused_buffers():
    conv = Conv2D(1, 2, 3, padding=1, seed=0)
    rng = np.random.default_rng(0)
    x1, x2 = rng.random((4, 5, 5, 1), np.float32), rng.random((4, 5, 5, 1), np.float32)
    first = conv.forward(x1)
    kept = first.copy()
    conv.forward(x2)
    np.testing.assert_array_equal(first, kept)


@pytest.mark.parametrize(("size", "stride"), [(2, None), (3, 1), ((2, 3), (1, 2)), (2, 3)])
@pytest.mark.parametrize("pool, loops", [(MaxPool2D, max_pool2d_loops), (AvgPool2D, avg_pool2d_loops)])
def test_pooling_forward_matches_the_loops(pool, loops, size, stride):
    x = np.random.default_rng(1).standard_normal((2, 7, 6, 3))
    layer = pool(size, stride)
    np.testing.assert_allclose(layer.forward(x, training=True), loops(x, size, stride), rtol=1e-12)


def test_max_pool_sends_the_gradient_to_the_maximum_by_hand():
    x = np.array(
        [
            [1, 5, 0, 2],
            [3, 2, 7, 1],
            [0, 0, 4, 4],
            [9, 1, 4, 4],
        ],
        dtype=np.float64,
    ).reshape(1, 4, 4, 1)
    pool = MaxPool2D(2)
    np.testing.assert_array_equal(pool.forward(x, training=True)[0, :, :, 0], [[5, 7], [9, 4]])
    dx = pool.backward(np.array([[10.0, 20.0], [30.0, 40.0]]).reshape(1, 2, 2, 1))[0, :, :, 0]
    # each window's gradient goes to its maximum; the four tied 4s: only the first in reading order
    expected = [
        [0, 10, 0, 0],
        [0, 0, 20, 0],
        [0, 0, 40, 0],
        [30, 0, 0, 0],
    ]
    np.testing.assert_array_equal(dx, expected)


@pytest.mark.parametrize(("size", "stride"), [(2, None), (3, 1), (2, 1)])
def test_max_pool_ties_give_one_gradient_per_window(size, stride):
    # a constant map: every element ties; the total gradient must equal the total of dout
    pool = MaxPool2D(size, stride)
    x = np.ones((2, 5, 5, 3))
    out = pool.forward(x, training=True)
    dout = np.random.default_rng(0).random(out.shape)
    np.testing.assert_allclose(pool.backward(dout).sum(), dout.sum())


def test_relu_forward_matches_the_loops_and_avg_pool_backward_by_hand():
    x = np.random.default_rng(2).standard_normal((2, 3, 3, 2))
    np.testing.assert_array_equal(ReLU().forward(x), relu_loops(x))
    pool = AvgPool2D(2)
    pool.forward(np.zeros((1, 5, 4, 1)), training=True)
    dx = pool.backward(np.array([[4.0, 8.0], [12.0, 16.0]]).reshape(1, 2, 2, 1))[0, :, :, 0]
    # a quarter of each window's gradient to each of its pixels; the leftover 5th row gets nothing
    np.testing.assert_array_equal(dx, [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4], [0, 0, 0, 0]])


def test_flatten_is_channels_last_and_dense_is_x_at_w_plus_b():
    x = np.arange(12.0).reshape(1, 2, 3, 2)  # (N, H, W, C)
    flat = Flatten().forward(x)
    np.testing.assert_array_equal(flat, [list(range(12))])  # row by row, channels innermost
    dense = Dense(3, 2, dtype=np.float64)
    dense.params["w"][...] = [[1, 0], [0, 1], [1, 1]]
    dense.params["b"][...] = [0.5, -0.5]
    np.testing.assert_array_equal(dense.forward(np.array([[1.0, 2.0, 3.0]])), [[4.5, 4.5]])


# --------------------------------------------------------------------------
# Backward passes: numerical gradients of every layer, float64, small random cases
# --------------------------------------------------------------------------


LAYERS = {
    "conv 3x3 pad 1": lambda: Conv2D(3, 4, 3, padding=1, seed=1, dtype=np.float64),
    "conv 3x3 no pad": lambda: Conv2D(3, 2, 3, seed=2, dtype=np.float64),
    "conv 2x3 stride 2 pad (1, 0)": lambda: Conv2D(
        3, 2, (2, 3), stride=2, padding=(1, 0), seed=3, dtype=np.float64
    ),
    "conv 1x1": lambda: Conv2D(3, 2, 1, seed=4, dtype=np.float64),
    "conv 3x3 stride (1, 2) pad 2": lambda: Conv2D(
        3, 2, 3, stride=(1, 2), padding=2, seed=5, dtype=np.float64
    ),
    "relu": ReLU,
    "max pool 2x2": lambda: MaxPool2D(2),
    "max pool 3x3 stride 1 (overlapping)": lambda: MaxPool2D(3, stride=1),
    "max pool 2x2 stride 3 (gaps)": lambda: MaxPool2D(2, stride=3),
    "avg pool 2x2": lambda: AvgPool2D(2),
    "avg pool 2x3 stride 1": lambda: AvgPool2D((2, 3), stride=1),
    "flatten": Flatten,
}


@pytest.mark.parametrize("name", list(LAYERS))
@pytest.mark.parametrize("shape", [(2, 5, 6, 3), (1, 4, 4, 3)])
def test_backward_matches_the_numerical_gradient(name, shape):
    x = np.random.default_rng(sum(shape)).standard_normal(shape)
    errors = layer_gradient_errors(LAYERS[name](), x, seed=7)
    assert max(errors.values()) < GRAD_TOLERANCE, errors


def test_dense_backward_matches_the_numerical_gradient():
    x = np.random.default_rng(0).standard_normal((4, 6))
    errors = layer_gradient_errors(Dense(6, 3, seed=0, dtype=np.float64), x)
    assert set(errors) == {"x", "w", "b"}
    assert max(errors.values()) < GRAD_TOLERANCE, errors


def test_the_whole_network_and_loss_backward_match_the_numerical_gradient():
    net = Sequential(
        [
            Conv2D(1, 3, 3, padding=1),
            ReLU(),
            MaxPool2D(2),
            Conv2D(3, 4, 3, padding=1),
            ReLU(),
            AvgPool2D(2),
            Flatten(),
            Dense(4, 3),
        ],
        input_shape=(4, 4, 1),
        seed=0,
        dtype=np.float64,
    )
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((3, 4, 4, 1)), np.array([0, 2, 1])
    loss = SoftmaxCrossEntropy()
    loss.forward(net.forward(x, training=True), y)
    net.backward(loss.backward())
    analytic = net.flat_grads.copy()
    numeric = numerical_gradient(lambda: loss.forward(net.forward(x), y), net.flat_params)
    assert rel_error(analytic, numeric) < GRAD_TOLERANCE


def test_first_layer_skips_the_input_gradient_but_fills_its_own():
    conv = Conv2D(1, 2, 3, padding=1, seed=0, dtype=np.float64)
    x = np.random.default_rng(0).standard_normal((2, 4, 4, 1))
    conv.forward(x, training=True)
    assert conv.backward(np.ones((2, 4, 4, 2)), input_grad=False) is None
    np.testing.assert_allclose(conv.grads["b"], [32.0, 32.0])  # 2 images x 16 pixels of dout = 1


def test_evaluating_between_forward_and_backward_changes_no_gradient():
    rng = np.random.default_rng(0)
    net = digits_net(seed=0)
    x, other = rng.random((8, 8, 8, 1), np.float32), rng.random((8, 8, 8, 1), np.float32)
    dscores = rng.standard_normal((8, 10)).astype(np.float32)
    net.forward(x, training=True)
    net.backward(dscores)
    expected = net.flat_grads.copy()
    net.forward(x, training=True)
    net.forward(other)  # evaluation, same batch size: must not overwrite what backward needs
    net.backward(dscores)
    np.testing.assert_array_equal(net.flat_grads, expected)


def test_backward_before_forward_says_what_to_do():
    with pytest.raises(RuntimeError, match=r"call forward\(x, training=True\) before backward"):
        Conv2D(1, 1, 3).backward(np.zeros((1, 2, 2, 1), np.float32))


# --------------------------------------------------------------------------
# Initialisation, Sequential, shapes and errors, saving
# --------------------------------------------------------------------------


def test_he_normal_has_the_standard_deviation_sqrt_2_over_fan_in():
    w = he_normal(np.random.default_rng(0), (200, 3, 3, 16), fan_in=144)
    assert w.dtype == np.float32
    assert abs(w.std() - np.sqrt(2 / 144)) < 0.005 and abs(w.mean()) < 0.005
    conv = Conv2D(16, 64, 3, seed=0)
    assert abs(conv.params["w"].std() - np.sqrt(2 / 144)) < 0.01
    np.testing.assert_array_equal(conv.params["b"], 0)


def test_sequential_names_layers_and_parameters_and_counts_them():
    net = digits_net()
    assert list(net.layers) == ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten1", "dense1"]
    assert {name: p.shape for name, p in net.params.items()} == {
        "conv1.w": (16, 3, 3, 1),
        "conv1.b": (16,),
        "conv2.w": (32, 3, 3, 16),
        "conv2.b": (32,),
        "dense1.w": (128, 10),
        "dense1.b": (10,),
    }
    assert set(net.grads) == set(net.params)
    # 16*9 + 16, 32*144 + 32, 128*10 + 10
    assert net.flat_params.size == 160 + 4640 + 1290
    assert net.shapes["pool2"] == (2, 2, 32)
    assert "6090" in net.summary()


def test_sequential_parameters_are_views_of_the_flat_buffer():
    net = digits_net()
    net.flat_params[:] = 0
    assert not net.params["conv2.w"].any() and not net.layers["conv2"].params["w"].any()
    net.params["dense1.b"][3] = 7
    assert net.flat_params[-7] == 7


def test_same_seed_same_weights_other_seed_other_weights():
    np.testing.assert_array_equal(digits_net(seed=3).flat_params, digits_net(seed=3).flat_params)
    assert not np.array_equal(digits_net(seed=3).flat_params, digits_net(seed=4).flat_params)


def test_a_layer_that_does_not_fit_is_named_with_both_shapes():
    with pytest.raises(ValueError) as info:
        Sequential([Conv2D(1, 8, 3), ReLU(), Flatten(), Dense(100, 10)], input_shape=(8, 8, 1))
    message = str(info.value)
    assert "layer 4" in message and "Dense(100 -> 10)" in message
    assert "(288,)" in message and "100 features" in message  # what it got, what it wanted
    with pytest.raises(
        ValueError,
        match=r"layer 1 \(conv1\).*the input of shape \(8, 8, 1\).*C = 3 channels per sample; got input",
    ):
        Sequential([Conv2D(3, 8, 3)], input_shape=(8, 8, 1))


def test_a_batch_of_the_wrong_shape_is_refused_with_both_shapes():
    net = digits_net()
    with pytest.raises(ValueError, match=r"expects a batch of shape \(N, 8, 8, 1\); got shape \(4, 8, 8\)"):
        net.forward(np.zeros((4, 8, 8)))
    with pytest.raises(ValueError, match=r"dense.*Dense\(6 -> 2\).*\(N, 6\); got shape \(3, 5\)"):
        Dense(6, 2).forward(np.zeros((3, 5), np.float32))


def test_save_and_load_round_trip_and_refuse_another_network(tmp_path):
    net = digits_net(seed=1)
    path = tmp_path / "digits.npz"
    net.save(path)
    other = digits_net(seed=2)
    other.load(path)
    np.testing.assert_array_equal(other.flat_params, net.flat_params)
    x = np.random.default_rng(0).random((3, 8, 8, 1), np.float32)
    np.testing.assert_array_equal(other.forward(x), net.forward(x))
    small = Sequential([Conv2D(1, 2, 3), Flatten(), Dense(72, 10)], input_shape=(8, 8, 1))
    with pytest.raises(ValueError, match=r"missing \['conv1.b'|does not match|has shape"):
        small.load(path)


def test_feature_maps_and_predict():
    net = digits_net()
    x = np.random.default_rng(0).random((3, 8, 8, 1), np.float32)
    maps = net.feature_maps(x)
    assert list(maps) == list(net.layers)
    np.testing.assert_array_equal(maps["relu1"], np.maximum(maps["conv1"], 0))
    np.testing.assert_array_equal(net.predict(x), maps["dense1"].argmax(axis=1))
