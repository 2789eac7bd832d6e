"""Lesson 10 (seeing): a wrong answer for every catalogued mistake, and other right answers."""

from . import RightAnswer, WrongAnswer

_FEATURE = '''def feature_maps(net, x, k):
    """The output of layer k (counted from 0) for the batch x."""
    out = x{start}
    for layer in list(net.layers.values()){upto}:
        out = layer.forward(out)
    return out{pick}
'''


def _feature(upto="[:k + 1]", pick="", start=""):
    return _FEATURE.format(upto=upto, pick=pick, start=start)


_TOP = '''def top_patches(net, images, unit, n):
    """The n images whose best position excites map f of layer k most, and the boxes they see."""
    from cnnlib.deep_stacks import field_box, receptive_field
    from cnnlib.seeing import feature_maps, stack_of
    k, f = unit
    maps = feature_maps(net, images, {layer})[..., f]
    count, height, width = maps.shape
    flat = maps.reshape(count, -1)
{rank}
    stack = stack_of(net, {below})
    boxes = []
    for i, position in zip(chosen, where):
        row, col = divmod(int(position), {split})
        boxes.append((int(i), *{box}))
    return values, np.array(boxes)
'''

_PER_IMAGE = """    best = flat.argmax(axis=1)
    bests = flat[np.arange(count), best]
    chosen = np.argsort(-bests, kind="stable")[:n]
    values, where = bests[chosen], best[chosen]"""

_INCREASING = """    best = flat.argmax(axis=1)
    bests = flat[np.arange(count), best]
    chosen = np.argsort(bests, kind="stable")[-n:]   # the n largest, smallest first
    values, where = bests[chosen], best[chosen]"""

_EVERY_POSITION = """    order = np.argsort(-flat.ravel(), kind="stable")[:n]
    chosen, where = np.divmod(order, flat.shape[1])
    values = flat.ravel()[order]"""


_SMALLEST = """    best = flat.argmax(axis=1)
    bests = flat[np.arange(count), best]
    chosen = np.argsort(bests, kind="stable")[:n]
    values, where = bests[chosen], best[chosen]"""


def _top(rank=_PER_IMAGE, box="field_box(stack, row, col)", layer="k", below=None, split="width"):
    return _TOP.format(rank=rank, box=box, layer=layer, below=below or layer, split=split)


_OCCLUSION = '''def occlusion_map(predict, image, patch, stride):
    """How much predict's score drops when a grey square hides each part of the image, scaled to 1."""
    height, width = image.shape
    rows, cols = (height - patch) // stride + 1, (width - patch) // stride + 1
    base = predict(image)
    drops = np.zeros((rows, cols))
{copy_once}    for r in range(rows):
        for c in range(cols):
{copy}            hidden[r * stride:r * stride + patch, c * stride:c * stride + patch] = {fill}
            drops[r, c] = {drop}
{scale}
'''

_SCALE = """    largest = np.abs(drops).max()
    if largest == 0:
        return drops
    return drops / largest"""


def _occlusion(
    copy="            hidden = image.copy()\n",
    copy_once="",
    fill="0.5",
    drop="base - predict(hidden)",
    scale=_SCALE,
):
    return _OCCLUSION.format(copy=copy, copy_once=copy_once, fill=fill, drop=drop, scale=scale)


_FACES = '''def classify_faces(x_train, y_train, x_test, seed):
    """Train a small CNN on the faces; return its labels for x_test (1 = face)."""
    from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU, Sequential
    from cnnlib.train import fit
    net = Sequential([Conv2D(1, 8, 5), ReLU(), MaxPool2D(3), Flatten(), Dense(7 * 7 * 8, 2)],
                     input_shape=(25, 25, 1), seed=seed)
    fit(net, x_train, y_train, epochs={epochs}, batch_size=16, lr={lr}, seed=seed, progress=False)
    return {labels}
'''


def _faces(epochs=15, lr=0.003, labels="net.predict(x_test)", outputs=2):
    return _FACES.format(epochs=epochs, lr=lr, labels=labels).replace(
        "7 * 7 * 8, 2)", f"7 * 7 * 8, {outputs})"
    )


WRONG = {
    "feature_maps": [
        WrongAnswer(
            "the network's own feature_maps",
            """def feature_maps(net, x, k):
    return net.feature_maps(x)[list(net.layers)[k]]
""",
            message="cnnlib.layers.Sequential.feature_maps computes this exercise's answer",
        ),
        WrongAnswer("layers[:k]: one layer short", _feature(upto="[:k]"), mistake="one_short"),
        WrongAnswer("layers[:k + 2]: one layer past", _feature(upto="[:k + 2]"), mistake="one_past"),
        WrongAnswer("every layer", _feature(upto=""), mistake="whole_network"),
        WrongAnswer("the first image only", _feature(pick="[0]"), mistake="first_image_only"),
        WrongAnswer("maps made whole numbers", _feature(pick=".astype(int)"), mistake="made_integers"),
        WrongAnswer(
            "images made whole numbers", _feature(start=".astype(int)"), mistake="input_made_integers"
        ),
        WrongAnswer(
            "every layer's output, in a list",
            """def feature_maps(net, x, k):
    outputs, out = [], x
    for layer in list(net.layers.values())[:k + 1]:
        out = layer.forward(out)
        outputs.append(out)
    return outputs
""",
            message="The answer is layer 0's output alone, one array of shape (3, 4, 4, 2)",
        ),
    ],
    "top_patches": [
        WrongAnswer("the n largest, smallest first", _top(rank=_INCREASING), mistake="increasing"),
        WrongAnswer(
            "boxes at the unit's own row and column",
            _top(box="(row, col, row + receptive_field(stack), col + receptive_field(stack))"),
            mistake="not_mapped_back",
        ),
        WrongAnswer(
            "boxes spread by the strides, not shifted by the padding",
            _top(
                box="(row * jump, col * jump, row * jump + size, col * jump + size)",
            ).replace(
                "    boxes = []\n",
                "    boxes = []\n    size = receptive_field(stack)\n"
                "    jump = int(np.prod([layer[3] if layer[0] == 'conv' else layer[2] for layer in stack]))\n",
            ),
            mistake="padding_ignored",
        ),
        WrongAnswer(
            "every position of every image ranked", _top(rank=_EVERY_POSITION), mistake="several_per_image"
        ),
        WrongAnswer("maps of layer k - 1", _top(layer="k - 1"), mistake="one_short"),
        WrongAnswer("the n smallest, smallest first", _top(rank=_SMALLEST), mistake="smallest"),
        WrongAnswer("divmod by the height", _top(split="height"), mistake="divmod_by_height"),
        WrongAnswer(
            "field_box(stack, col, row)",
            _top(box="field_box(stack, col, row)"),
            mistake="rows_columns_swapped",
        ),
        WrongAnswer("boxes of layer k - 1, maps of k", _top(below="k - 1"), mistake="box_one_short"),
    ],
    "occlusion_map": [
        WrongAnswer(
            "occluded minus original", _occlusion(drop="predict(hidden) - base"), mistake="sign_inverted"
        ),
        WrongAnswer("raw drops", _occlusion(scale="    return drops"), mistake="not_normalised"),
        WrongAnswer(
            "divided by drops.max()",
            _occlusion(scale="    return drops / drops.max() if drops.max() > 0 else drops"),
            mistake="scaled_by_largest_value",
        ),
        WrongAnswer(
            "one copy before the loops",
            _occlusion(copy="", copy_once="    hidden = image.copy()\n"),
            mistake="gray_piles_up",
        ),
        WrongAnswer("a black square", _occlusion(fill="0"), mistake="black_patch"),
        WrongAnswer("a square of 1.0", _occlusion(fill="1.0"), mistake="ink_patch"),
        WrongAnswer(
            "squares one pixel apart",
            _occlusion().replace(
                "hidden[r * stride:r * stride + patch, c * stride:c * stride + patch]",
                "hidden[r:r + patch, c:c + patch]",
            ),
            mistake="stride_ignored",
        ),
        WrongAnswer(
            "no guard for all-zero drops",
            _occlusion(scale="    return drops / np.abs(drops).max()"),
            mistake="zero_divided",
        ),
        WrongAnswer(
            "painted on the image itself",
            _occlusion(copy="            hidden = image\n"),
            message="changed its argument `image` in place",
        ),
    ],
    "classify_faces": [
        WrongAnswer(
            "every image a face",
            "def classify_faces(x_train, y_train, x_test, seed):\n    return np.ones(len(x_test), dtype=int)\n",
            mistake="everything_a_face",
        ),
        WrongAnswer(
            "no image a face",
            "def classify_faces(x_train, y_train, x_test, seed):\n    return np.zeros(len(x_test), dtype=int)\n",
            mistake="nothing_a_face",
        ),
        WrongAnswer(
            "the smallest score's class",
            _faces(labels="net.forward(x_test).argmin(axis=1)"),
            mistake="labels_swapped",
        ),
        WrongAnswer(
            "brighter than the median training image: a face (80 % right)",
            """def classify_faces(x_train, y_train, x_test, seed):
    threshold = np.median(x_train.mean(axis=(1, 2, 3)))
    return (x_test.mean(axis=(1, 2, 3)) > threshold).astype(int)
""",
            message="40 of 50 right (80%); at least 45 (90%) must be.",
        ),
        WrongAnswer("a dense layer with 1 output", _faces(outputs=1), mistake="one_output"),
        WrongAnswer(
            "the two scores, not labels",
            _faces(labels="net.forward(x_test)"),
            message="net.predict(x_test) gives them (net.forward gives two scores per image",
        ),
        WrongAnswer(
            "scikit-learn's logistic regression",
            """def classify_faces(x_train, y_train, x_test, seed):
    from sklearn.linear_model import LogisticRegression
    model = LogisticRegression(max_iter=1000).fit(x_train.reshape(len(x_train), -1), y_train)
    return model.predict(x_test.reshape(len(x_test), -1))
""",
            message="sklearn.linear_model.LogisticRegression.predict computes this exercise's answer",
        ),
        WrongAnswer(
            "cnnlib's face network",
            """def classify_faces(x_train, y_train, x_test, seed):
    from cnnlib.seeing import face_cnn
    from cnnlib.train import fit
    net = face_cnn(seed)
    fit(net, x_train, y_train, epochs=15, batch_size=16, lr=0.003, seed=seed, progress=False)
    return net.predict(x_test)
""",
            message="cnnlib.seeing.face_cnn is cnnlib's own answer to this exercise",
        ),
    ],
}

RIGHT = {
    "feature_maps": [
        RightAnswer(
            "by the layers' names",
            """def feature_maps(net, x, k):
    names = list(net.layers)
    out = np.asarray(x, dtype=np.float32)
    for name in names[:k + 1]:
        out = net.layers[name].forward(out)
    return out
""",
        ),
    ],
    "top_patches": [
        RightAnswer(
            "a loop over the images, boxes by hand",
            """def top_patches(net, images, unit, n):
    from cnnlib.seeing import feature_maps, stack_of
    k, f = unit
    maps = feature_maps(net, images, k)[..., f]
    found = []
    for i in range(len(maps)):
        row, col = np.unravel_index(np.argmax(maps[i]), maps[i].shape)
        found.append((float(maps[i, row, col]), i, int(row), int(col)))
    found.sort(key=lambda item: -item[0])   # sorted() keeps equal ones in image order
    field, jump, offset = 1, 1, 0
    for layer in stack_of(net, k):
        size, stride, padding = (layer[2], layer[3], layer[4]) if layer[0] == "conv" else (layer[1], layer[2], 0)
        field += (size - 1) * jump
        offset += padding * jump
        jump *= stride
    boxes = [(i, r * jump - offset, c * jump - offset, r * jump - offset + field, c * jump - offset + field)
             for _, i, r, c in found[:n]]
    return np.array([v for v, *_ in found[:n]]), np.array(boxes)
""",
        ),
    ],
    "occlusion_map": [
        RightAnswer(
            "relative to the largest absolute drop, written with max and min",
            _occlusion(
                scale="    largest = max(drops.max(), -drops.min())\n    return drops / largest if largest else drops"
            ),
        ),
    ],
    "classify_faces": [
        RightAnswer("the course's digit-style CNN, made for faces", _faces(epochs=10, lr=0.005)),
    ],
}
