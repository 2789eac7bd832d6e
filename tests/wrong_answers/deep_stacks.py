"""Lesson 08 (deep_stacks): a wrong answer for every catalogued mistake, and other right answers."""

from . import RightAnswer, WrongAnswer

# shape_after as a learner writes it; {side} is the size of one side, from n, size, stride, padding.
_SHAPE = '''def shape_after(shape, layer):
    """The shape of one sample after layer."""
    kind = layer[0]
    if kind == "flatten":
        return {flatten}
    if kind == "dense":
        return (layer[1],)
    height, width, channels = shape
    if kind == "conv":
        _, filters, size, stride, padding = layer
        out_channels = {channels}
    else:
        _, size, stride = layer
        padding, out_channels = 0, channels
    return tuple({side} for n in (height, width)) + (out_channels,)
'''

_RIGHT_SIDE = "(n + 2 * padding - size) // stride + 1"


def _shape(side=_RIGHT_SIDE, channels="filters", flatten="(height * width * channels,)"):
    source = _SHAPE.format(side=side, channels=channels, flatten=flatten)
    # flatten needs the three sides before they are read below
    return source.replace(
        '    if kind == "flatten":\n', '    if kind == "flatten":\n        height, width, channels = shape\n'
    )


# receptive_field with a running field and jump; {grow} is what each layer adds, {jump} the update.
_FIELD = '''def receptive_field(layers):
    """The side of the input square one unit after layers sees."""
    field, jump = {start}, 1
    for layer in layers:
        if layer[0] == "conv":
            size, stride, padding = layer[2], layer[3], layer[4]
        else:
            size, stride, padding = layer[1], layer[2], 0
        field += {grow}
        {jump}
    return field
'''


def _field(grow="(size - 1) * jump", jump="jump *= stride", start="1"):
    return _FIELD.format(grow=grow, jump=jump, start=start)


_DENSE = '''def dense(x, weights, biases):
    """A fully connected layer: x (N, D_in), weights (D_in, D_out), biases (D_out,) -> (N, D_out)."""
    return {body}
'''

# forward written layer by layer with cnnlib's ops; {one} and {two} finish each conv layer, {flat}
# flattens, {end} is what is returned from the scores.
_FORWARD = '''def forward(images, conv1_w, conv1_b, conv2_w, conv2_b, dense_w, dense_b):
    """Scores (N, K) of the two-layer CNN on a batch of images (N, H, W, C)."""
    from cnnlib.ops import conv2d, max_pool2d, avg_pool2d, relu
    x = conv2d(images, conv1_w, conv1_b, padding=1)
    x = {one}
    x = conv2d(x, conv2_w, conv2_b, padding=1)
    x = {two}
    x = {flat}
    scores = x @ dense_w + dense_b
    return {end}
'''


def _forward(
    one="max_pool2d(relu(x), 2)", two="max_pool2d(relu(x), 2)", flat="x.reshape(len(x), -1)", end="scores"
):
    return _FORWARD.format(one=one, two=two, flat=flat, end=end)


# has_corner as a learner writes it: the vertical arm's +1 and -1 cells ({down}, {up}), the
# horizontal arm's ({right}, {left}), each an index of the (3, 3, 4) weights.
_CORNER = '''def has_corner(image, edges):
    """Whether a top-left corner of a bright shape is anywhere in image."""
    from cnnlib.ops import conv2d, relu
    weights = np.zeros((3, 3, 4))
    weights[{down}] = 1
    weights[{up}] = -1
    weights[{right}] = 1
    weights[{left}] = -1
    edge_maps = {relu}(conv2d(image[:, :, None], edges{padding}))
    corners = relu(conv2d(edge_maps, weights[None], np.array([{bias}]){padding}))
    return bool((corners > 0).any())
'''


def _corner(
    down="1:, 1, 0", up="0, 1, 0", right="1, 1:, 2", left="1, 0, 2", bias="-1.0", padding="", relu="relu"
):
    return _CORNER.format(down=down, up=up, right=right, left=left, bias=bias, padding=padding, relu=relu)


WRONG = {
    "has_corner": [
        WrongAnswer("no bias", _corner(bias="0.0"), mistake="one_edge_enough"),
        WrongAnswer("padding 1 in both layers", _corner(padding=", padding=1"), mistake="padding_added"),
        WrongAnswer("the vertical arm up", _corner(down=":2, 1, 0", up="2, 1, 0"), mistake="arm_points_up"),
        WrongAnswer(
            "the horizontal arm left", _corner(right="1, :2, 2", left="1, 2, 2"), mistake="arm_points_left"
        ),
        WrongAnswer(
            "right and bottom edge slices",
            _corner(down="1:, 1, 1", up="0, 1, 1", right="1, 1:, 3", left="1, 0, 3"),
            mistake="other_slices",
        ),
        WrongAnswer("no ReLU on layer 1", _corner(relu=""), mistake="relu_forgotten"),
        WrongAnswer(
            "only the left-edges arm", _corner(right="1, 0:0, 2", left="1, 0:0, 2"), mistake="top_arm_missing"
        ),
        WrongAnswer(
            "only the top-edges arm", _corner(down="0:0, 1, 0", up="0:0, 1, 0"), mistake="left_arm_missing"
        ),
        WrongAnswer("a bias of +1", _corner(bias="1.0"), mistake="bias_not_negative"),
        WrongAnswer(
            "the top-edges arm down a column (rows and columns swapped)",
            _corner(right="1:, 1, 2", left="0, 1, 2"),
            mistake="top_arm_across",
        ),
        WrongAnswer(
            "the left-edges arm along a row",
            _corner(down="1, 1:, 0", up="1, 0, 0"),
            mistake="left_arm_across",
        ),
        WrongAnswer(
            "the left-edges arm in slice 1",
            _corner(down="1:, 1, 1", up="0, 1, 1"),
            mistake="left_arm_in_right_edges",
        ),
        WrongAnswer(
            "the top-edges arm in slice 3",
            _corner(right="1, 1:, 3", left="1, 0, 3"),
            mistake="top_arm_in_bottom_edges",
        ),
        WrongAnswer(
            "a bias that only half cancels one edge",
            _corner(bias="-0.5"),
            mistake="one_edge_enough",
        ),
    ],
    "shape_after": [
        WrongAnswer(
            "padding not counted", _shape(side="(n - size) // stride + 1"), mistake="padding_ignored"
        ),
        WrongAnswer(
            "padding counted twice",
            _shape(side="(n + 4 * padding - size) // stride + 1"),
            mistake="padding_twice",
        ),
        WrongAnswer(
            "padding on one side",
            _shape(side="(n + padding - size) // stride + 1"),
            mistake="padding_one_side",
        ),
        WrongAnswer("stride not used", _shape(side="n + 2 * padding - size + 1"), mistake="stride_ignored"),
        WrongAnswer("no + 1", _shape(side="(n + 2 * padding - size) // stride"), mistake="no_plus_one"),
        WrongAnswer("sides kept", _shape(side="n"), mistake="size_kept"),
        WrongAnswer("conv keeps the channels", _shape(channels="channels"), mistake="channels_kept"),
        WrongAnswer(
            "the width worked out from the height",
            _shape().replace("for n in (height, width)", "for n in (height, height)"),
            mistake="width_from_height",
        ),
        WrongAnswer(
            "cnnlib.layers' output_shape",
            """def shape_after(shape, layer):
    from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D
    if layer[0] == "conv":
        _, filters, size, stride, padding = layer
        return Conv2D(shape[2], filters, size, stride, padding).output_shape(shape)
    if layer[0] == "pool":
        return MaxPool2D(layer[1], layer[2]).output_shape(shape)
    if layer[0] == "flatten":
        return Flatten().output_shape(shape)
    return Dense(shape[0], layer[1]).output_shape(shape)
""",
            message="cnnlib.layers.Conv2D.output_shape computes this exercise's answer, so it is switched off",
        ),
        WrongAnswer(
            "a cnnlib.layers.Sequential's shapes",
            """def shape_after(shape, layer):
    from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, Sequential
    if layer[0] == "conv":
        _, filters, size, stride, padding = layer
        built = Conv2D(shape[2], filters, size, stride, padding)
    elif layer[0] == "pool":
        built = MaxPool2D(layer[1], layer[2])
    elif layer[0] == "flatten":
        built = Flatten()
    else:
        built = Dense(shape[0], layer[1])
    return Sequential([built], input_shape=shape).output_shape
""",
            message="this one is yours to write",
        ),
        WrongAnswer(
            "flatten without channels", _shape(flatten="(height * width,)"), mistake="channels_not_flattened"
        ),
        WrongAnswer(
            "flatten keeps the shape", _shape(flatten="tuple(shape)"), mistake="flatten_kept_the_shape"
        ),
        WrongAnswer(
            "a list instead of a tuple, with a wrong side",
            _shape(side="(n - size) // stride + 1")
            .replace("return tuple(", "return list(")
            .replace(") + (out_channels,)", ") + [out_channels]"),
            mistake="padding_ignored",
        ),
    ],
    "receptive_field": [
        WrongAnswer("jump += stride", _field(jump="jump += stride"), mistake="strides_added"),
        WrongAnswer("this layer's stride", _field(grow="(size - 1) * stride"), mistake="own_stride"),
        WrongAnswer("strides ignored", _field(grow="size - 1"), mistake="strides_ignored"),
        WrongAnswer(
            "padding added", _field(grow="(size - 1 + 2 * padding) * jump"), mistake="padding_counted"
        ),
        WrongAnswer("size * jump", _field(grow="size * jump", start="0"), mistake="whole_window_added"),
        WrongAnswer(
            "a pool's size and stride swapped",
            _field().replace("layer[1], layer[2], 0", "layer[2], layer[1], 0"),
            mistake="pool_size_and_stride_swapped",
        ),
        WrongAnswer(
            "the jump multiplied before the field grows",
            _field().replace(
                "        field += (size - 1) * jump\n        jump *= stride\n",
                "        jump *= stride\n        field += (size - 1) * jump\n",
            ),
            mistake="jump_grown_too_early",
        ),
        WrongAnswer("the field started at 0", _field(start="0"), mistake="field_starts_at_zero"),
    ],
    "dense": [
        WrongAnswer(
            "x @ weights.T", _DENSE.format(body="x @ weights.T + biases"), mistake="weights_transposed"
        ),
        WrongAnswer(
            "biases as a column",
            _DENSE.format(body="x @ weights + biases.reshape(-1, 1)"),
            mistake="bias_wrong_axis",
        ),
        WrongAnswer(
            "weights @ x.T",
            _DENSE.format(body="weights.T @ x.T + biases[:, None]"),
            mistake="samples_on_columns",
        ),
        WrongAnswer("no biases", _DENSE.format(body="x @ weights"), mistake="bias_forgotten"),
        WrongAnswer(
            "x made whole numbers",
            _DENSE.format(body="x.astype(int) @ weights + biases"),
            mistake="inputs_made_whole",
        ),
        WrongAnswer(
            "cnnlib.layers.Dense",
            """def dense(x, weights, biases):
    from cnnlib.layers import Dense
    layer = Dense(*weights.shape, dtype=np.float64)
    layer.params["w"][...] = weights
    layer.params["b"][...] = biases
    return layer.forward(np.asarray(x, np.float64))
""",
            message="cnnlib.layers.Dense.forward computes this exercise's answer, so it is switched off",
        ),
        WrongAnswer(
            "ReLU inside", _DENSE.format(body="np.maximum(x @ weights + biases, 0)"), mistake="relu_added"
        ),
        WrongAnswer(
            "a loop that adds the bias per input",
            _DENSE.format(
                body="np.array([[sum(row[i] * weights[i, j] + biases[j] for i in range(len(row))) "
                "for j in range(weights.shape[1])] for row in x])"
            ),
            message="is not right yet",
        ),
    ],
    "forward": [
        WrongAnswer(
            "no ReLU at all",
            _forward(one="max_pool2d(x, 2)", two="max_pool2d(x, 2)"),
            mistake="relu_forgotten",
        ),
        WrongAnswer("no ReLU in layer 1", _forward(one="max_pool2d(x, 2)"), mistake="relu_forgotten_first"),
        WrongAnswer("no ReLU in layer 2", _forward(two="max_pool2d(x, 2)"), mistake="relu_forgotten_second"),
        WrongAnswer(
            "flattened channels first",
            _forward(flat="x.transpose(0, 3, 1, 2).reshape(len(x), -1)"),
            mistake="flatten_channels_first",
        ),
        WrongAnswer(
            "average pooling",
            _forward(one="avg_pool2d(relu(x), 2)", two="avg_pool2d(relu(x), 2)"),
            mistake="average_pooling",
        ),
        WrongAnswer(
            "softmax at the end",
            _forward(end="np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)"),
            mistake="softmax_applied",
        ),
        WrongAnswer("ReLU on the scores", _forward(end="np.maximum(scores, 0)"), mistake="relu_on_scores"),
        WrongAnswer(
            "flattened with reshape(-1, N).T",
            _forward(flat="x.reshape(-1, len(x)).T"),
            mistake="flatten_mixes_images",
        ),
        WrongAnswer(
            "a cnnlib.layers.Sequential with the six arrays",
            """def forward(images, conv1_w, conv1_b, conv2_w, conv2_b, dense_w, dense_b):
    from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU, Sequential
    net = Sequential(
        [
            Conv2D(conv1_w.shape[3], conv1_w.shape[0], 3, padding=1), ReLU(), MaxPool2D(2),
            Conv2D(conv2_w.shape[3], conv2_w.shape[0], 3, padding=1), ReLU(), MaxPool2D(2),
            Flatten(), Dense(*dense_w.shape),
        ],
        input_shape=images.shape[1:],
        dtype=np.float64,
    )
    arrays = (conv1_w, conv1_b, conv2_w, conv2_b, dense_w, dense_b)
    for name, value in zip(("conv1.w", "conv1.b", "conv2.w", "conv2.b", "dense1.w", "dense1.b"), arrays):
        net.params[name][...] = value
    return net.forward(images)
""",
            message="cnnlib.layers.Sequential.forward computes this exercise's answer, so it is switched off",
        ),
    ],
}

RIGHT = {
    "has_corner": [
        RightAnswer("a stronger bias", _corner(bias="-1.25")),
        RightAnswer(
            "no negative cells, a bias below two edges",
            _corner(up="0:0, 1, 0", left="1, 0:0, 2", bias="-2.0"),
        ),
    ],
    "shape_after": [
        RightAnswer(
            "with ops.output_size",
            """def shape_after(shape, layer):
    from cnnlib.ops import output_size
    if layer[0] == "flatten":
        return (int(np.prod(shape)),)
    if layer[0] == "dense":
        return (layer[1],)
    if layer[0] == "conv":
        _, filters, size, stride, padding = layer
        return (output_size(shape[0], size, stride, padding), output_size(shape[1], size, stride, padding), filters)
    _, size, stride = layer
    return (output_size(shape[0], size, stride), output_size(shape[1], size, stride), shape[2])
""",
        ),
        RightAnswer(
            "as a list",
            _shape()
            .replace("return tuple(", "return list(")
            .replace(") + (out_channels,)", ") + [out_channels]")
            .replace("return (layer[1],)", "return [layer[1]]"),
        ),
    ],
    "receptive_field": [
        RightAnswer(
            "backwards from the unit",
            """def receptive_field(layers):
    field = 1
    for layer in reversed(layers):
        size, stride = (layer[2], layer[3]) if layer[0] == "conv" else (layer[1], layer[2])
        field = (field - 1) * stride + size
    return field
""",
        ),
    ],
    "dense": [
        RightAnswer("np.dot", _DENSE.format(body="np.dot(x, weights) + biases")),
        RightAnswer(
            "loops",
            """def dense(x, weights, biases):
    out = np.zeros((x.shape[0], weights.shape[1]))
    for n in range(x.shape[0]):
        for j in range(weights.shape[1]):
            out[n, j] = biases[j]
            for i in range(x.shape[1]):
                out[n, j] += x[n, i] * weights[i, j]
    return out
""",
        ),
    ],
    "forward": [
        RightAnswer(
            "with the learner's dense and a loop over the layers",
            """def dense(x, weights, biases):
    return x @ weights + biases


def forward(images, conv1_w, conv1_b, conv2_w, conv2_b, dense_w, dense_b):
    from cnnlib.ops import conv2d, max_pool2d, relu
    x = images
    for w, b in ((conv1_w, conv1_b), (conv2_w, conv2_b)):
        x = max_pool2d(relu(conv2d(x, w, b, padding=1)), 2)
    return dense(x.reshape(x.shape[0], -1), dense_w, dense_b)
""",
        ),
    ],
}
