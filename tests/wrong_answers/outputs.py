"""Lesson 03 (outputs): a wrong answer for every catalogued mistake, and other right answers."""

from . import RightAnswer, WrongAnswer

_ONE_HOT = "def one_hot(labels, num_classes):\n{}"
_MULTI_HOT = "def multi_hot(present, classes):\n{}"
_SOFTMAX = "def softmax(scores):\n{}"
_TOP_K = "def top_k(scores, k):\n{}"

WRONG = {
    "one_hot": [
        WrongAnswer(
            "one column per label",
            _ONE_HOT.format(
                """    labels = np.asarray(labels)
    rows = np.zeros((num_classes, len(labels)), dtype=int)
    rows[labels, np.arange(len(labels))] = 1
    return rows
"""
            ),
            mistake="transposed",
        ),
        WrongAnswer(
            "width from the largest label",
            _ONE_HOT.format(
                """    labels = np.asarray(labels)
    return np.eye(labels.max() + 1, dtype=int)[labels]
"""
            ),
            mistake="width_from_labels",
        ),
        WrongAnswer(
            "rows[:, labels] = 1",
            _ONE_HOT.format(
                """    rows = np.zeros((len(labels), num_classes), dtype=int)
    rows[:, labels] = 1
    return rows
"""
            ),
            mistake="all_rows",
        ),
        WrongAnswer(
            "classes counted from 1 (label + 1)",
            _ONE_HOT.format(
                """    rows = np.zeros((len(labels), num_classes), dtype=int)
    for i, label in enumerate(labels):
        rows[i, label + 1] = 1
    return rows
"""
            ),
            mistake="off_by_one_right",
        ),
        WrongAnswer(
            "classes counted from 1 (label - 1)",
            _ONE_HOT.format(
                """    rows = np.zeros((len(labels), num_classes), dtype=int)
    for i, label in enumerate(labels):
        rows[i, label - 1] = 1
    return rows
"""
            ),
            mistake="off_by_one_left",
        ),
        WrongAnswer(
            "labels.shape on a list",
            _ONE_HOT.format(
                """    rows = np.zeros((labels.shape[0], num_classes), dtype=int)
    rows[np.arange(labels.shape[0]), labels] = 1
    return rows
"""
            ),
            mistake="list_has_no_shape",
        ),
        WrongAnswer(
            "floats from np.eye",
            _ONE_HOT.format("    return np.eye(num_classes)[np.asarray(labels)]\n"),
            message="has the right values but dtype float64; expected one of int64",
        ),
        WrongAnswer(
            "a list of lists",
            _ONE_HOT.format(
                "    return [[int(c == label) for c in range(num_classes)] for label in labels]\n"
            ),
            message="returned a list with the right numbers; return a numpy array",
        ),
    ],
    "multi_hot": [
        WrongAnswer(
            "one one-hot row per name",
            _MULTI_HOT.format(
                """    classes = list(classes)
    rows = np.zeros((len(present), len(classes)), dtype=int)
    for i, name in enumerate(present):
        rows[i, classes.index(name)] = 1
    return rows
"""
            ),
            mistake="one_row_per_name",
        ),
        WrongAnswer(
            "return inside the loop",
            _MULTI_HOT.format(
                """    vector = np.zeros(len(classes), dtype=int)
    for name in present:
        vector[list(classes).index(name)] = 1
        return vector
    return vector
"""
            ),
            mistake="only_first",
        ),
        WrongAnswer(
            "+= 1 counts",
            _MULTI_HOT.format(
                """    vector = np.zeros(len(classes), dtype=int)
    for name in present:
        vector[list(classes).index(name)] += 1
    return vector
"""
            ),
            mistake="counts",
        ),
        WrongAnswer(
            "positions counted from 1",
            _MULTI_HOT.format(
                """    vector = np.zeros(len(classes), dtype=int)
    for name in present:
        vector[list(classes).index(name) + 1] = 1
    return vector
"""
            ),
            mistake="off_by_one",
        ),
        WrongAnswer(
            "booleans from np.isin",
            _MULTI_HOT.format("    return np.isin(list(classes), list(present))\n"),
            message="has the right values but dtype bool; expected one of int64",
        ),
    ],
    "softmax": [
        WrongAnswer(
            "np.exp straight away",
            _SOFTMAX.format(
                """    exps = np.exp(scores)
    return exps / exps.sum(axis=-1, keepdims=True)
"""
            ),
            mistake="overflow",
        ),
        WrongAnswer(
            "math.exp in loops",
            _SOFTMAX.format(
                """    import math
    scores = np.asarray(scores, dtype=float)
    rows = scores.reshape(-1, scores.shape[-1])
    out = np.zeros(rows.shape)
    for i, row in enumerate(rows):
        exps = [math.exp(s) for s in row]
        out[i] = [e / sum(exps) for e in exps]
    return out.reshape(scores.shape)
"""
            ),
            mistake="math_overflow",
        ),
        WrongAnswer(
            "maximum of the whole batch",
            _SOFTMAX.format(
                """    exps = np.exp(scores - scores.max())
    return exps / exps.sum(axis=-1, keepdims=True)
"""
            ),
            mistake="global_max",
        ),
        WrongAnswer(
            "written for one vector only",
            _SOFTMAX.format(
                """    exps = np.exp(scores - np.max(scores))
    return exps / np.sum(exps)
"""
            ),
            mistake="whole_batch",
        ),
        WrongAnswer(
            "axis 0",
            _SOFTMAX.format(
                """    exps = np.exp(scores - scores.max(axis=0, keepdims=True))
    return exps / exps.sum(axis=0, keepdims=True)
"""
            ),
            mistake="wrong_axis",
        ),
        WrongAnswer(
            "axis 1",
            _SOFTMAX.format(
                """    exps = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)
"""
            ),
            mistake="axis_1_on_vector",
        ),
        WrongAnswer(
            "no keepdims",
            _SOFTMAX.format(
                """    exps = np.exp(scores - scores.max(axis=-1))
    return exps / exps.sum(axis=-1)
"""
            ),
            mistake="no_keepdims",
        ),
        WrongAnswer(
            "forgot to divide",
            _SOFTMAX.format("    return np.exp(scores - scores.max(axis=-1, keepdims=True))\n"),
            mistake="not_normalised",
        ),
        WrongAnswer(
            "np.exp alone",
            _SOFTMAX.format("    return np.exp(scores)\n"),
            mistake="not_normalised",
        ),
        WrongAnswer(
            "divided by the largest",
            _SOFTMAX.format(
                """    exps = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return exps / exps.max(axis=-1, keepdims=True)
"""
            ),
            mistake="not_normalised",
        ),
        WrongAnswer(
            "no exp at all",
            _SOFTMAX.format("    return scores / scores.sum(axis=-1, keepdims=True)\n"),
            mistake="no_exp",
        ),
        WrongAnswer(
            "subtracts in place",
            _SOFTMAX.format(
                """    scores -= scores.max(axis=-1, keepdims=True)
    exps = np.exp(scores)
    return exps / exps.sum(axis=-1, keepdims=True)
"""
            ),
            message="changed its argument `scores` in place",
        ),
    ],
    "top_k": [
        WrongAnswer(
            "argsort, first k",
            _TOP_K.format("    return np.argsort(scores)[:k]\n"),
            mistake="smallest_first",
        ),
        WrongAnswer(
            "argsort, last k",
            _TOP_K.format("    return np.argsort(scores, kind='stable')[-k:]\n"),
            mistake="increasing_order",
        ),
        WrongAnswer(
            "argsort reversed",
            _TOP_K.format("    return np.argsort(scores, kind='stable')[::-1][:k]\n"),
            mistake="ties_reversed",
        ),
        WrongAnswer(
            "sorted scores",
            _TOP_K.format("    return np.sort(scores)[::-1][:k]\n"),
            mistake="values_not_indices",
        ),
        WrongAnswer(
            "classes numbered from 1",
            _TOP_K.format("    return np.argsort(-scores, kind='stable')[:k] + 1\n"),
            mistake="off_by_one",
        ),
        WrongAnswer(
            "k forgotten",
            _TOP_K.format("    return np.argsort(-scores, kind='stable')\n"),
            mistake="ignores_k",
        ),
        WrongAnswer(
            "a Python list",
            _TOP_K.format("    return sorted(range(len(scores)), key=lambda i: -scores[i])[:k]\n"),
            message="returned a list with the right numbers; return a numpy array",
        ),
    ],
}

RIGHT = {
    "one_hot": [
        RightAnswer(
            "loop over the labels",
            _ONE_HOT.format(
                """    rows = np.zeros((len(labels), num_classes), dtype=int)
    for i, label in enumerate(labels):
        rows[i, label] = 1
    return rows
"""
            ),
        ),
        RightAnswer(
            "rows of an identity matrix",
            _ONE_HOT.format("    return np.eye(num_classes, dtype=np.int64)[np.asarray(labels)]\n"),
        ),
        RightAnswer(
            "comparison with arange, uint8",
            _ONE_HOT.format(
                "    return (np.asarray(labels)[:, None] == np.arange(num_classes)).astype(np.uint8)\n"
            ),
        ),
    ],
    "multi_hot": [
        RightAnswer(
            "loop over the classes",
            _MULTI_HOT.format("    return np.array([1 if name in present else 0 for name in classes])\n"),
        ),
        RightAnswer(
            "np.isin as int32",
            _MULTI_HOT.format("    return np.isin(list(classes), list(present)).astype(np.int32)\n"),
        ),
        RightAnswer(
            "index then fancy assignment",
            _MULTI_HOT.format(
                """    vector = np.zeros(len(classes), dtype=int)
    vector[[list(classes).index(name) for name in present]] = 1
    return vector
"""
            ),
        ),
    ],
    "softmax": [
        RightAnswer(
            "loops over rows with math.exp after the maximum",
            _SOFTMAX.format(
                """    import math
    scores = np.asarray(scores, dtype=float)
    rows = scores.reshape(-1, scores.shape[-1])
    out = np.zeros(rows.shape)
    for i, row in enumerate(rows):
        top = max(row)
        exps = [math.exp(s - top) for s in row]
        total = sum(exps)
        out[i] = [e / total for e in exps]
    return out.reshape(scores.shape)
"""
            ),
        ),
        RightAnswer(
            "a float32 result",
            _SOFTMAX.format(
                """    shifted = scores - np.max(scores, axis=-1, keepdims=True)
    exps = np.exp(shifted.astype(np.float32))
    return exps / exps.sum(axis=-1, keepdims=True)
"""
            ),
        ),
        RightAnswer(
            "log-sum-exp",
            _SOFTMAX.format(
                """    m = np.max(scores, axis=-1, keepdims=True)
    log_total = m + np.log(np.sum(np.exp(scores - m), axis=-1, keepdims=True))
    return np.exp(scores - log_total)
"""
            ),
        ),
        RightAnswer(
            "1-D and 2-D handled separately, float64",
            _SOFTMAX.format(
                """    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 1:
        exps = np.exp(scores - scores.max())
        return exps / exps.sum()
    exps = np.exp(scores - scores.max(axis=1)[:, None])
    return exps / exps.sum(axis=1)[:, None]
"""
            ),
        ),
    ],
    "top_k": [
        RightAnswer(
            "stable argsort of the negated scores",
            _TOP_K.format("    return np.argsort(-np.asarray(scores), kind='stable')[:k]\n"),
        ),
        RightAnswer(
            "repeated argmax on a copy",
            _TOP_K.format(
                """    left = np.array(scores, dtype=float)
    picked = []
    for _ in range(k):
        best = int(np.argmax(left))  # argmax returns the first of equal maxima
        picked.append(best)
        left[best] = -np.inf
    return np.array(picked)
"""
            ),
        ),
        RightAnswer(
            "lexsort by score, then index, int32",
            _TOP_K.format(
                """    scores = np.asarray(scores)
    order = np.lexsort((np.arange(len(scores)), -scores.astype(float)))
    return order[:k].astype(np.int32)
"""
            ),
        ),
    ],
}
