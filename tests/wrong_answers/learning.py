"""Lesson 09 (learning): a wrong answer for every catalogued mistake, and other right answers."""

from . import RightAnswer, WrongAnswer

# numerical_gradient: {loop} walks the indices, {body} computes grad[index].
_NUMERICAL = '''def numerical_gradient(f, w, eps=1e-5):
    """Central differences: (f(w + eps) - f(w - eps)) / (2 eps) for every entry of w."""
    grad = np.zeros(w.shape)
    for index in {loop}:
{body}
    return grad
'''


def _numerical(body: str, loop: str = "np.ndindex(w.shape)") -> str:
    return _NUMERICAL.format(loop=loop, body=body)


_COPIES = """        w_plus = w.copy()
        w_plus[index] += eps
        w_minus = w.copy()
        w_minus[index] -= eps
"""

_FILTER = '''def filter_gradient(image, error):
    """Gradient of mean(error ** 2) with respect to the kernel: the image correlated with the error."""
    image = image.astype(float)
    eh, ew = error.shape
    kh, kw = image.shape[0] - eh + 1, image.shape[1] - ew + 1
    grad = np.zeros((kh, kw))
    for i in range(kh):
        for j in range(kw):
            grad[i, j] = {value}
    return grad
'''

_SGD = "def sgd_step(w, grad, lr):\n    return {}\n"

# learn_filter: {gradient} of one image's error, {combine} the list of gradients, {update} the step.
_LEARN = '''def learn_filter(inputs, targets, start, lr=0.1, steps=100):
    """Gradient descent on one kernel from start, the mean gradient over the images at each step."""
    from cnnlib.ops import conv2d
    kernel = start.copy()
    for step in range(steps):
        grads = []
        for x, t in zip(inputs, targets):
            error = conv2d(x, kernel) - t
            grads.append({gradient})
        grad = {combine}
        kernel = {update}
    return kernel
'''


def _learn(
    gradient: str = "2 / error.size * conv2d(x, error)",
    combine: str = "np.mean(grads, axis=0)",
    update: str = "kernel - lr * grad",
) -> str:
    return _LEARN.format(gradient=gradient, combine=combine, update=update)


_ACCURACY = "def accuracy(scores, labels):\n    return {}\n"

WRONG = {
    "numerical_gradient": [
        WrongAnswer(
            "one-sided differences",
            _numerical(
                "        w_plus = w.copy()\n        w_plus[index] += eps\n"
                "        grad[index] = (f(w_plus) - f(w)) / eps"
            ),
            mistake="one_sided",
        ),
        WrongAnswer(
            "divided by eps, not 2 eps",
            _numerical(_COPIES + "        grad[index] = (f(w_plus) - f(w_minus)) / eps"),
            mistake="not_halved",
        ),
        WrongAnswer(
            "a fixed step of its own (1e-5), eps ignored",
            _numerical(
                "        h = 1e-5\n        w_plus = w.copy()\n        w_plus[index] += h\n"
                "        w_minus = w.copy()\n        w_minus[index] -= h\n"
                "        grad[index] = (f(w_plus) - f(w_minus)) / (2 * h)"
            ),
            mistake="eps_ignored",
        ),
        WrongAnswer(
            "sign flipped: f(w_minus) - f(w_plus)",
            _numerical(_COPIES + "        grad[index] = (f(w_minus) - f(w_plus)) / (2 * eps)"),
            mistake="sign_flipped",
        ),
        WrongAnswer(
            "a fixed nudge of 0.01 in the body, eps ignored",
            _numerical(
                "        eps_used = 0.01\n        w_plus = w.copy()\n        w_plus[index] += eps_used\n"
                "        w_minus = w.copy()\n        w_minus[index] -= eps_used\n"
                "        grad[index] = (f(w_plus) - f(w_minus)) / (2 * eps_used)"
            ),
            mistake="eps_fixed",
        ),
        WrongAnswer(
            "every entry nudged at once: w + eps",
            _numerical("        grad[index] = (f(w + eps) - f(w - eps)) / (2 * eps)"),
            mistake="all_at_once",
        ),
        WrongAnswer(
            "an integer grad array",
            _numerical(_COPIES + "        grad[index] = (f(w_plus) - f(w_minus)) / (2 * eps)").replace(
                "np.zeros(w.shape)", "np.zeros(w.shape, dtype=int)"
            ),
            mistake="whole_numbers",
        ),
        WrongAnswer(
            "w_plus = w without a copy: w itself is nudged",
            _numerical(
                "        w_plus = w\n        w_plus[index] += eps\n        up = f(w_plus)\n"
                "        w_minus = w\n        w_minus[index] -= eps\n"
                "        grad[index] = (up - f(w_minus)) / (2 * eps)"
            ),
            mistake="shared_copy",
        ),
        WrongAnswer(
            "for i in range(len(w)): whole rows nudged at once",
            _numerical(
                _COPIES + "        grad[index] = (f(w_plus) - f(w_minus)) / (2 * eps)", loop="range(len(w))"
            ),
            mistake="rows_only",
        ),
        WrongAnswer(
            "nudged in place, put back by adding eps: w drifts by a rounding error",
            _numerical(
                "        w[index] += eps\n        up = f(w)\n        w[index] -= 2 * eps\n"
                "        down = f(w)\n        w[index] += eps\n        grad[index] = (up - down) / (2 * eps)"
            ),
            message="nudge copies, never w itself",
        ),
    ],
    "filter_gradient": [
        WrongAnswer(
            "sign flipped",
            _FILTER.format(value="-2 * np.mean(error * image[i:i + eh, j:j + ew])"),
            mistake="sign_flipped",
        ),
        WrongAnswer(
            "summed, not averaged",
            _FILTER.format(value="2 * np.sum(error * image[i:i + eh, j:j + ew])"),
            mistake="summed",
        ),
        WrongAnswer(
            "the 2 forgotten",
            _FILTER.format(value="np.mean(error * image[i:i + eh, j:j + ew])"),
            mistake="two_forgotten",
        ),
        WrongAnswer(
            "divided by the image's size",
            _FILTER.format(value="2 * np.sum(error * image[i:i + eh, j:j + ew]) / image.size"),
            mistake="divided_by_image_size",
        ),
        WrongAnswer(
            "kernel flipped (the window read from the far corner)",
            _FILTER.format(
                value="2 * np.mean(error * image[kh - 1 - i:kh - 1 - i + eh, kw - 1 - j:kw - 1 - j + ew])"
            ),
            mistake="flipped",
        ),
        WrongAnswer(
            "a true convolution (scipy.signal.convolve2d)",
            "def filter_gradient(image, error):\n    from scipy.signal import convolve2d\n"
            "    return 2 / error.size * convolve2d(image.astype(float), error, mode='valid')\n",
            mistake="convolved",
        ),
        WrongAnswer(
            "a result array in the image's dtype (np.zeros_like(image))",
            _FILTER.format(value="2 * np.mean(error * image[i:i + eh, j:j + ew])")
            .replace("    image = image.astype(float)\n", "")
            .replace("np.zeros((kh, kw))", "np.zeros((kh, kw), dtype=image.dtype)"),
            mistake="image_dtype",
        ),
    ],
    "sgd_step": [
        WrongAnswer("uphill", _SGD.format("w + lr * grad"), mistake="sign_flipped"),
        WrongAnswer("no learning rate", _SGD.format("w - grad"), mistake="lr_ignored"),
        WrongAnswer("divided by the learning rate", _SGD.format("w - grad / lr"), mistake="divided_by_lr"),
        WrongAnswer("the step alone", _SGD.format("-lr * grad"), mistake="step_only"),
        WrongAnswer("an integer array", _SGD.format("(w - lr * grad).astype(int)"), mistake="whole_numbers"),
        WrongAnswer(
            "cnnlib's optimiser on a copy",
            "def sgd_step(w, grad, lr):\n    from cnnlib.optim import SGD\n    new = w.copy()\n"
            "    SGD(new, grad, lr=lr).step()\n    return new\n",
            message="cnnlib.optim.SGD.step computes this exercise's answer",
        ),
        WrongAnswer(
            "w changed in place",
            "def sgd_step(w, grad, lr):\n    w -= lr * grad\n    return w\n",
            message="changed its argument `w` in place",
        ),
    ],
    "learn_filter": [
        WrongAnswer("uphill", _learn(update="kernel + lr * grad"), mistake="sign_flipped"),
        WrongAnswer(
            "summed over the images", _learn(combine="np.sum(grads, axis=0)"), mistake="summed_over_batch"
        ),
        WrongAnswer(
            "the error's sign flipped: target - map",
            _learn().replace("error = conv2d(x, kernel) - t", "error = t - conv2d(x, kernel)"),
            mistake="sign_flipped",
        ),
        WrongAnswer(
            "a learning rate of its own, 1.2", _learn(update="kernel - 1.2 * grad"), mistake="lr_fixed"
        ),
        WrongAnswer(
            "a step after every image",
            _LEARN.replace(
                "        grads = []\n        for x, t in zip(inputs, targets):\n"
                "            error = conv2d(x, kernel) - t\n            grads.append({gradient})\n"
                "        grad = {combine}\n        kernel = {update}\n",
                "        for x, t in zip(inputs, targets):\n            error = conv2d(x, kernel) - t\n"
                "            kernel = kernel - lr * 2 / error.size * conv2d(x, error)\n",
            ),
            mistake="per_image_steps",
        ),
        WrongAnswer(
            "the filter solved in closed form (least squares)",
            """def learn_filter(inputs, targets, start, lr, steps):
    kh, kw = start.shape
    rows, values = [], []
    for x, t in zip(inputs, targets):
        for r in range(t.shape[0]):
            for c in range(t.shape[1]):
                rows.append(x[r:r + kh, c:c + kw].ravel())
                values.append(t[r, c])
    return np.linalg.lstsq(np.array(rows), np.array(values), rcond=None)[0].reshape(kh, kw)
""",
            mistake="exact_filter",
        ),
        WrongAnswer(
            "flipped gradient",
            _learn(gradient="(2 / error.size * conv2d(x, error))[::-1, ::-1]"),
            mistake="flipped_gradient",
        ),
        WrongAnswer(
            "the last image's gradient only",
            _learn(combine="grads[-1]"),
            mistake="one_image_only",
        ),
        WrongAnswer(
            "start changed in place",
            _learn()
            .replace("kernel = start.copy()", "kernel = start")
            .replace("kernel = kernel - lr * grad", "kernel -= lr * grad"),
            message="changed its argument `start` in place",
        ),
    ],
    "accuracy": [
        WrongAnswer(
            "a percentage",
            _ACCURACY.format("100 * np.mean(scores.argmax(axis=1) == labels)"),
            mistake="percent",
        ),
        WrongAnswer(
            "a count", _ACCURACY.format("int(np.sum(scores.argmax(axis=1) == labels))"), mistake="count"
        ),
        WrongAnswer(
            "argmin",
            _ACCURACY.format("float(np.mean(scores.argmin(axis=1) == labels))"),
            mistake="lowest_score",
        ),
        WrongAnswer(
            "the right/wrong array itself",
            _ACCURACY.format("scores.argmax(axis=1) == labels"),
            mistake="mask_not_fraction",
        ),
        WrongAnswer(
            "divided with //",
            _ACCURACY.format("np.sum(scores.argmax(axis=1) == labels) // len(labels)"),
            mistake="floor_division",
        ),
        WrongAnswer(
            "scikit-learn's accuracy_score",
            "def accuracy(scores, labels):\n    from sklearn.metrics import accuracy_score\n"
            "    return accuracy_score(labels, scores.argmax(axis=1))\n",
            message="accuracy_score.__wrapped__ computes this exercise's answer",
        ),
        WrongAnswer(
            "argmax without an axis",
            _ACCURACY.format("float(np.mean(np.argmax(scores) == labels))"),
            mistake="argmax_no_axis",
        ),
        WrongAnswer(
            "the label's score above 0.5",
            _ACCURACY.format("float(np.mean(scores[np.arange(len(labels)), labels] > 0.5))"),
            mistake="threshold",
        ),
        WrongAnswer(
            "axis 0",
            _ACCURACY.format("float(np.mean(scores.argmax(axis=0) == labels))"),
            mistake="wrong_axis",
        ),
    ],
}

RIGHT = {
    "numerical_gradient": [
        RightAnswer(
            "over the flat view, with the original value saved and put back",
            """def numerical_gradient(f, w, eps=1e-5):
    w = w.astype(float)
    flat = w.reshape(-1)
    grad = np.zeros(w.size)
    for i in range(w.size):
        saved = flat[i]
        flat[i] = saved + eps
        up = f(w)
        flat[i] = saved - eps
        down = f(w)
        flat[i] = saved
        grad[i] = (up - down) / (2 * eps)
    return grad.reshape(w.shape)
""",
        ),
    ],
    "filter_gradient": [
        RightAnswer(
            "lesson 04's conv2d with the error as the kernel",
            "def filter_gradient(image, error):\n    from cnnlib.ops import conv2d\n"
            "    return 2 * conv2d(image.astype(float), error) / error.size\n",
        ),
    ],
    "sgd_step": [
        RightAnswer(
            "a copy, then in place",
            "def sgd_step(w, grad, lr):\n    new = w.copy()\n    new -= lr * grad\n    return new\n",
        )
    ],
    "learn_filter": [
        RightAnswer(
            "gradients added up and divided by N, steps with a for loop over the pairs",
            _learn(combine="sum(grads) / len(grads)"),
        ),
    ],
    "accuracy": [
        RightAnswer(
            "counted in a loop",
            "def accuracy(scores, labels):\n    right = 0\n    for row, label in zip(scores, labels):\n"
            "        right += int(np.argmax(row) == label)\n    return right / len(labels)\n",
        ),
    ],
}
