"""Lesson 05 (nonlinearity): a wrong answer for every catalogued mistake, and other right answers.

The relu_gap answers call ``cnnlib.ops.conv2d`` and ``relu`` (free to use from lesson 04 and in
later exercises of this lesson) and the learner's own ``combined_kernel``, defined in the same
source, as a learner's notebook would have it from exercise 3.
"""

from . import RightAnswer, WrongAnswer

_RELU = "def relu(x):\n{}"
_LEAKY = "def leaky_relu(x, slope=0.01):\n{}"
_COMBINED = "def combined_kernel(a, b):\n{}"

# The learner's own combined kernel from exercise 3 (a correct one), for relu_gap's sources.
_OWN_COMBINED = """def combined_kernel(a, b):
    kh, kw = a.shape
    lh, lw = b.shape
    c = np.zeros((kh + lh - 1, kw + lw - 1))
    for i in range(kh):
        for j in range(kw):
            c[i:i + lh, j:j + lw] += a[i, j] * b
    return c


"""

_GAP = _OWN_COMBINED + "from cnnlib.ops import conv2d, relu\n\n\ndef relu_gap(image, a, b):\n{}"

WRONG = {
    "relu": [
        WrongAnswer(
            "minimum instead of maximum", _RELU.format("    return np.minimum(x, 0)\n"), mistake="wrong_side"
        ),
        WrongAnswer(
            "zeroes the positive values",
            _RELU.format("    out = x.copy()\n    out[out > 0] = 0\n    return out\n"),
            mistake="wrong_side",
        ),
        WrongAnswer("absolute value", _RELU.format("    return np.abs(x)\n"), mistake="absolute_value"),
        WrongAnswer("a step", _RELU.format("    return (x > 0).astype(float)\n"), mistake="step"),
        WrongAnswer(
            "changes its input",
            _RELU.format("    x[x < 0] = 0\n    return x\n"),
            message="changed its argument `x` in place",
        ),
        WrongAnswer(
            "np.maximum with out=x",
            _RELU.format("    return np.maximum(x, 0, out=x)\n"),
            message="changed its argument `x` in place",
        ),
    ],
    "leaky_relu": [
        WrongAnswer(
            "slope on the positive side",
            _LEAKY.format("    return np.where(x > 0, slope * x, x)\n"),
            mistake="slope_on_positive_side",
        ),
        WrongAnswer(
            "threshold on the wrong side",
            _LEAKY.format("    return np.where(x < 0, x, slope * x)\n"),
            mistake="slope_on_positive_side",
        ),
        WrongAnswer(
            "0.01 typed in",
            _LEAKY.format("    return np.where(x > 0, x, 0.01 * x)\n"),
            mistake="slope_ignored",
        ),
        WrongAnswer(
            "scales an int copy in place",
            _LEAKY.format("    out = x.copy()\n    out[out < 0] *= slope\n    return out\n"),
            mistake="int_cannot_hold_fractions",
        ),
        WrongAnswer(
            "writes fractions into an int copy",
            _LEAKY.format(
                "    out = x.copy()\n    negative = out < 0\n    out[negative] = slope * out[negative]\n    return out\n"
            ),
            mistake="int_truncated",
        ),
        WrongAnswer("plain ReLU", _LEAKY.format("    return np.maximum(x, 0)\n"), mistake="plain_relu"),
        WrongAnswer("slope everywhere", _LEAKY.format("    return slope * x\n"), mistake="slope_everywhere"),
        WrongAnswer(
            "changes its input",
            _LEAKY.format("    x = np.asarray(x, dtype=float)\n    x[x < 0] *= slope\n    return x\n"),
            message="changed its argument `x` in place",
        ),
    ],
    "combined_kernel": [
        WrongAnswer("cell by cell", _COMBINED.format("    return a * b\n"), mistake="elementwise"),
        WrongAnswer(
            "lesson 04's conv2d without padding",
            "from cnnlib.ops import conv2d\n\n\n" + _COMBINED.format("    return conv2d(a, b)\n"),
            mistake="not_full",
        ),
        WrongAnswer(
            "padded a, b not flipped",
            "from cnnlib.ops import conv2d\n\n\n"
            + _COMBINED.format(
                "    lh, lw = b.shape\n"
                "    padded = np.pad(a, ((lh - 1, lh - 1), (lw - 1, lw - 1)))\n"
                "    return conv2d(padded, b)\n"
            ),
            mistake="correlated",
        ),
        WrongAnswer(
            "loops with b's index running backwards",
            _COMBINED.format(
                "    kh, kw = a.shape\n    lh, lw = b.shape\n"
                "    c = np.zeros((kh + lh - 1, kw + lw - 1))\n"
                "    for i in range(kh):\n        for j in range(kw):\n"
                "            for p in range(lh):\n                for q in range(lw):\n"
                "                    c[i - p + lh - 1, j - q + lw - 1] += a[i, j] * b[p, q]\n"
                "    return c\n"
            ),
            mistake="correlated",
        ),
        WrongAnswer(
            "padded b, a not flipped",
            "from cnnlib.ops import conv2d\n\n\n"
            + _COMBINED.format(
                "    kh, kw = a.shape\n"
                "    padded = np.pad(b, ((kh - 1, kh - 1), (kw - 1, kw - 1)))\n"
                "    return conv2d(padded, a)\n"
            ),
            mistake="correlated_swapped",
        ),
        WrongAnswer(
            "an int array for c, slices",
            _COMBINED.format(
                "    kh, kw = a.shape\n    lh, lw = b.shape\n"
                "    c = np.zeros((kh + lh - 1, kw + lw - 1), dtype=int)\n"
                "    for i in range(kh):\n        for j in range(kw):\n"
                "            c[i:i + lh, j:j + lw] += a[i, j] * b\n"
                "    return c\n"
            ),
            mistake="int_cannot_hold_fractions",
        ),
        WrongAnswer(
            "an int array for c, four loops",
            _COMBINED.format(
                "    kh, kw = a.shape\n    lh, lw = b.shape\n"
                "    c = np.zeros((kh + lh - 1, kw + lw - 1), dtype=int)\n"
                "    for i in range(kh):\n        for j in range(kw):\n"
                "            for p in range(lh):\n                for q in range(lw):\n"
                "                    c[i + p, j + q] += a[i, j] * b[p, q]\n"
                "    return c\n"
            ),
            mistake="int_truncated",
        ),
        WrongAnswer(
            "scales b in place",
            _COMBINED.format(
                "    kh, kw = a.shape\n    lh, lw = b.shape\n"
                "    c = np.zeros((kh + lh - 1, kw + lw - 1))\n"
                "    for i in range(kh):\n        for j in range(kw):\n"
                "            piece = b\n            piece *= a[i, j]\n"
                "            c[i:i + lh, j:j + lw] += piece\n"
                "    return c\n"
            ),
            message="changed its argument `b` in place",
        ),
    ],
    "relu_gap": [
        WrongAnswer(
            "a and b swapped",
            _GAP.format(
                "    two = conv2d(relu(conv2d(image, b)), a)\n"
                "    one = conv2d(image, combined_kernel(b, a))\n"
                "    return float(np.abs(two - one).max())\n"
            ),
            mistake="swapped_filters",
        ),
        WrongAnswer(
            "no ReLU",
            _GAP.format(
                "    two = conv2d(conv2d(image, a), b)\n"
                "    one = conv2d(image, combined_kernel(a, b))\n"
                "    return float(np.abs(two - one).max())\n"
            ),
            mistake="no_relu",
        ),
        WrongAnswer(
            "ReLU on the image",
            _GAP.format(
                "    two = conv2d(conv2d(relu(image), a), b)\n"
                "    one = conv2d(image, combined_kernel(a, b))\n"
                "    return float(np.abs(two - one).max())\n"
            ),
            mistake="no_relu",
        ),
        WrongAnswer(
            "ReLU at the end",
            _GAP.format(
                "    two = relu(conv2d(conv2d(image, a), b))\n"
                "    one = conv2d(image, combined_kernel(a, b))\n"
                "    return float(np.abs(two - one).max())\n"
            ),
            mistake="relu_at_end",
        ),
        WrongAnswer(
            "no absolute value",
            _GAP.format(
                "    two = conv2d(relu(conv2d(image, a)), b)\n"
                "    one = conv2d(image, combined_kernel(a, b))\n"
                "    return float((two - one).max())\n"
            ),
            mistake="signed_difference",
        ),
        WrongAnswer(
            "the mean difference",
            _GAP.format(
                "    two = conv2d(relu(conv2d(image, a)), b)\n"
                "    one = conv2d(image, combined_kernel(a, b))\n"
                "    return float(np.mean(np.abs(two - one)))\n"
            ),
            mistake="mean_not_max",
        ),
        WrongAnswer(
            "combined kernel by correlation",
            _GAP.format(
                "    lh, lw = b.shape\n"
                "    c = conv2d(np.pad(a, ((lh - 1, lh - 1), (lw - 1, lw - 1))), b)\n"
                "    two = conv2d(relu(conv2d(image, a)), b)\n"
                "    return float(np.abs(two - conv2d(image, c)).max())\n"
            ),
            mistake="correlated_kernel",
        ),
        WrongAnswer(
            "returns the difference map",
            _GAP.format(
                "    two = conv2d(relu(conv2d(image, a)), b)\n"
                "    return np.abs(two - conv2d(image, combined_kernel(a, b)))\n"
            ),
            message="expected a number",
        ),
    ],
}

RIGHT = {
    "relu": [
        RightAnswer("np.maximum", _RELU.format("    return np.maximum(x, 0)\n")),
        RightAnswer(
            "a loop over every value",
            _RELU.format(
                "    out = np.array(x, dtype=float)\n"
                "    for index in np.ndindex(out.shape):\n"
                "        if out[index] < 0:\n            out[index] = 0\n"
                "    return out\n"
            ),
        ),
        RightAnswer("np.where, keeps int", _RELU.format("    return np.where(x > 0, x, 0)\n")),
        RightAnswer("multiply by a mask", _RELU.format("    return x * (x > 0)\n")),
    ],
    "leaky_relu": [
        RightAnswer("np.where", _LEAKY.format("    return np.where(x > 0, x, slope * x)\n")),
        RightAnswer("maximum of x and slope * x", _LEAKY.format("    return np.maximum(x, slope * x)\n")),
        RightAnswer(
            "a loop over every value",
            _LEAKY.format(
                "    out = np.array(x, dtype=float)\n"
                "    for index in np.ndindex(out.shape):\n"
                "        if out[index] < 0:\n            out[index] = slope * out[index]\n"
                "    return out\n"
            ),
        ),
    ],
    "combined_kernel": [
        RightAnswer("a scaled copy of b per weight of a", _OWN_COMBINED),
        RightAnswer(
            "padded a, b flipped, with conv2d",
            "from cnnlib.ops import conv2d\n\n\n"
            + _COMBINED.format(
                "    lh, lw = b.shape\n"
                "    padded = np.pad(a, ((lh - 1, lh - 1), (lw - 1, lw - 1)))\n"
                "    return conv2d(padded, b[::-1, ::-1])\n"
            ),
        ),
        RightAnswer(
            "padded b, a flipped (the order does not matter)",
            "from cnnlib.ops import conv2d\n\n\n"
            + _COMBINED.format(
                "    kh, kw = a.shape\n"
                "    padded = np.pad(b, ((kh - 1, kh - 1), (kw - 1, kw - 1)))\n"
                "    return conv2d(padded, np.flip(a))\n"
            ),
        ),
        RightAnswer(
            "four loops, whole numbers kept",
            _COMBINED.format(
                "    kh, kw = a.shape\n    lh, lw = b.shape\n"
                "    c = np.zeros((kh + lh - 1, kw + lw - 1), dtype=np.result_type(a, b))\n"
                "    for i in range(kh):\n        for j in range(kw):\n"
                "            for p in range(lh):\n                for q in range(lw):\n"
                "                    c[i + p, j + q] += a[i, j] * b[p, q]\n"
                "    return c\n"
            ),
        ),
    ],
    "relu_gap": [
        RightAnswer(
            "as described",
            _GAP.format(
                "    two = conv2d(relu(conv2d(image, a)), b)\n"
                "    one = conv2d(image, combined_kernel(a, b))\n"
                "    return float(np.abs(two - one).max())\n"
            ),
        ),
        RightAnswer(
            "one - two, the kernels in the other order, np.max",
            _GAP.format(
                "    one = conv2d(image, combined_kernel(b, a))\n"
                "    first = conv2d(image, a)\n"
                "    two = conv2d(np.maximum(first, 0), b)\n"
                "    return np.max(np.abs(one - two))\n"
            ),
        ),
    ],
}
