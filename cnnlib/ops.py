"""The building blocks of a CNN in pure numpy: convolution, activations and pooling.

Conventions, shared by the whole course:

- arrays are channels-last: an image is ``(H, W)`` or ``(H, W, C)``, a batch is
  ``(N, H, W, C)``, a filter bank is ``(F, kh, kw, C)`` and biases are ``(F,)``;
- "convolution" is cross-correlation, as in every deep-learning library: the
  kernel slides over the image without being flipped;
- integer and boolean inputs are computed in float64 (a uint8 image cannot
  overflow); floating inputs keep their dtype (float32 in, float32 out);
- inputs are never modified; Python lists are accepted wherever arrays are.

Each fast operation has a plain-loop twin (`conv2d_loops`, `max_pool2d_loops`,
`avg_pool2d_loops`, `relu_loops`) that spells the definition out one number at a
time. They are slow on purpose: the lessons show them, and the tests use them as
the oracle the fast versions must agree with.

Each public function is also the answer to a lesson's exercise (``@answer``): while a learner's
own version is checked, it is switched off (see ``cnnlib.guard``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from numbers import Integral, Real
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided
from numpy.typing import ArrayLike

from .guard import answer

__all__ = [
    "output_size",
    "WindowGeometry",
    "window_geometry",
    "as_pair",
    "conv2d",
    "conv2d_loops",
    "relu",
    "relu_loops",
    "leaky_relu",
    "sigmoid",
    "softmax",
    "max_pool2d",
    "max_pool2d_loops",
    "avg_pool2d",
    "avg_pool2d_loops",
]

IntOrPair = int | tuple[int, int]

# Bytes of im2col columns built and multiplied per block. Blocks keep memory
# bounded (a batch is never copied kh*kw times over) and the columns in cache
# (L2/L3) between being built and being read. A matrix product with many filters
# gains from big blocks (fewer, larger BLAS calls). A single filter makes a
# memory-bound matrix-vector product; smaller blocks measured faster for it (BLAS
# splits a large one over threads, and their spinning slows the next copy).
_BLOCK_BYTES = 4 << 20
_BLOCK_BYTES_ONE_FILTER = 1 << 20

# Per-thread work array for the im2col columns, kept between calls: fresh memory
# costs a page fault per 4 KiB on first touch (0.4-1 ms per MiB measured on the
# course's 2-core VM), which for course-sized convolutions can cost more than the
# arithmetic.
_scratch = threading.local()


def _work_array(size: int, dtype: np.dtype) -> np.ndarray:
    """A 1-D array of `size` elements of `dtype` with arbitrary content, reused across calls."""
    nbytes = size * dtype.itemsize
    buffer = getattr(_scratch, "buffer", None)
    if buffer is None or buffer.nbytes < nbytes:
        buffer = np.empty(nbytes, np.uint8)
        if nbytes <= _BLOCK_BYTES:  # never keep an unusually large one alive
            _scratch.buffer = buffer
    return buffer[:nbytes].view(dtype)


# --------------------------------------------------------------------------
# Input checking
# --------------------------------------------------------------------------


def _as_numbers(a: ArrayLike, name: str) -> np.ndarray:
    """Return `a` as an array of real numbers, or raise a readable error."""
    try:
        arr = np.asarray(a)
    except (TypeError, ValueError) as exc:  # ragged nested lists
        raise ValueError(
            f"{name} must be a rectangular array of numbers; could not convert it ({exc})"
        ) from None
    # Booleans are accepted as 0/1 (binary images are common in the course);
    # complex numbers, strings and Python objects are not.
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must contain real numbers (bool, int or float); got an array of dtype {arr.dtype}"
        )
    return arr


def _float_dtype(*arrays: np.ndarray) -> np.dtype:
    """The dtype to compute in: the floating inputs' common dtype, else float64."""
    floats = [a.dtype for a in arrays if a.dtype.kind == "f"]
    return np.result_type(*floats) if floats else np.dtype(np.float64)


def _as_float(a: ArrayLike, name: str) -> np.ndarray:
    arr = _as_numbers(a, name)
    return arr.astype(_float_dtype(arr), copy=False)


def _is_int(value: object) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def as_pair(value: IntOrPair, name: str, minimum: int = 1, meaning: str = "") -> tuple[int, int]:
    """Turn an int or a pair of ints into a (rows, cols) pair, checking its range.

    Examples
    --------
    >>> as_pair(3, "stride"), as_pair((2, 1), "size")
    ((3, 3), (2, 1))
    """
    if _is_int(value):
        pair = (int(value), int(value))
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(map(_is_int, value)):
        pair = (int(value[0]), int(value[1]))
    else:
        raise TypeError(f"{name} must be an int or a pair of ints (rows, cols); got {value!r}")
    if min(pair) < minimum:
        why = f" ({meaning})" if meaning else ""
        raise ValueError(f"{name} must be >= {minimum}{why}; got {value!r}")
    return pair


def _check_ndim(x: np.ndarray, name: str) -> None:
    if x.ndim not in (2, 3, 4):
        raise ValueError(
            f"{name} must be an image (H, W), an image with channels (H, W, C) or a batch "
            f"(N, H, W, C); got an array of shape {x.shape}"
        )


def _as_batch(x: np.ndarray) -> np.ndarray:
    """View an (H, W), (H, W, C) or (N, H, W, C) array as (N, H, W, C)."""
    if x.ndim == 2:
        return x[None, :, :, None]
    if x.ndim == 3:
        return x[None]
    return x


def _from_batch(out: np.ndarray, ndim: int) -> np.ndarray:
    """Undo `_as_batch` on a result of shape (N, H', W', C')."""
    if ndim == 2:
        return out[0, :, :, 0]
    if ndim == 3:
        return out[0]
    return out


# --------------------------------------------------------------------------
# Sizes
# --------------------------------------------------------------------------


@answer
def output_size(n: int, k: int, stride: int = 1, padding: int = 0) -> int:
    """Number of positions a window of size `k` takes along an axis of size `n`.

    Implements ``floor((n + 2*padding - k) / stride) + 1``: the input is padded with
    `padding` zeros on both sides, and windows that would stick out are dropped.

    Parameters
    ----------
    n : int
        Input size along the axis (>= 1).
    k : int
        Kernel (or pooling window) size along the axis, 1 <= k <= n + 2*padding.
    stride : int
        Step between two windows (>= 1).
    padding : int
        Zeros added on each side (>= 0).

    Returns
    -------
    int
        The output size along the axis.

    Examples
    --------
    >>> output_size(28, 3)
    26
    >>> output_size(28, 3, stride=2, padding=1)
    14
    """
    for name, value, minimum in (("n", n, 1), ("k", k, 1), ("stride", stride, 1), ("padding", padding, 0)):
        if not _is_int(value):
            raise TypeError(f"{name} must be an int; got {value!r}")
        if value < minimum:
            raise ValueError(f"{name} must be >= {minimum}; got {value}")
    if k > n + 2 * padding:
        raise ValueError(
            f"kernel size {k} is larger than the padded input size {n + 2 * padding} "
            f"(n={n} plus 2*padding={2 * padding})"
        )
    return _positions(n, k, stride, padding)


def _positions(n: int, k: int, stride: int, padding: int) -> int:
    """``output_size`` without its checks (and without its guard: cnnlib's own explanations use it
    while a learner's ``output_size`` is being checked)."""
    return (n + 2 * padding - k) // stride + 1


@dataclass(frozen=True)
class WindowGeometry:
    """Where the windows of a convolution or a pooling lie; each field is a (rows, cols) pair.

    Output cell ``(r, c)`` comes from the window at rows ``r*stride[0] .. r*stride[0] + size[0] - 1``
    and the matching columns of the input padded with ``padding`` zeros on each side.

    Examples
    --------
    >>> g = window_geometry("max", 2)
    >>> g.stride, g.output_shape(5, 4), g.bounds(1, 1)
    ((2, 2), (2, 2), (2, 4, 2, 4))
    """

    size: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]

    def output_shape(self, height: int, width: int) -> tuple[int, int]:
        """Rows and columns of the output for an input of ``height`` x ``width`` (before padding)."""
        return (
            _positions(height, self.size[0], self.stride[0], self.padding[0]),
            _positions(width, self.size[1], self.stride[1], self.padding[1]),
        )

    def bounds(self, row: int, col: int) -> tuple[int, int, int, int]:
        """``(top, bottom, left, right)`` of output cell (row, col)'s window in the padded input
        (bottom and right excluded, as in a slice)."""
        top, left = row * self.stride[0], col * self.stride[1]
        return top, top + self.size[0], left, left + self.size[1]

    def pad(self, image: np.ndarray) -> np.ndarray:
        """``image`` (H, W) or (H, W, C) with ``padding`` zeros around its rows and columns."""
        (pr, pc), image = self.padding, np.asarray(image)
        if not (pr or pc):
            return image
        return np.pad(image, ((pr, pr), (pc, pc)) + ((0, 0),) * (image.ndim - 2))


def window_geometry(
    op: str, size: IntOrPair, stride: IntOrPair | None = None, padding: IntOrPair = 0
) -> WindowGeometry:
    """The windows of a convolution (``op="conv"``, ``size`` the kernel's) or a pooling ("max",
    "mean"), with the defaults of ``conv2d`` and the pools: a stride of None is 1 for a convolution
    and the window's size for a pooling."""
    if op not in ("conv", "max", "mean"):
        raise ValueError(f"op must be 'conv', 'max' or 'mean', got {op!r}")
    window = as_pair(size, "size", 1, "the window's height and width")
    if stride is None:
        stride = (1, 1) if op == "conv" else window
    return WindowGeometry(
        window,
        as_pair(stride, "stride", 1, "1 means every position"),
        as_pair(padding, "padding", 0, "zeros"),
    )


# --------------------------------------------------------------------------
# Convolution
# --------------------------------------------------------------------------


class _ConvArgs(NamedTuple):
    """conv2d's arguments, checked and in the batch form."""

    x: np.ndarray  # (N, H, W, C), input dtype
    w: np.ndarray  # (F, kh, kw, C), input dtype
    b: np.ndarray | None  # (F,)
    stride: tuple[int, int]
    padding: tuple[int, int]
    dtype: np.dtype  # to compute and return in
    out_shape: tuple[int, ...]  # the shape the caller gets back

    @property
    def out_batch_shape(self) -> tuple[int, int, int, int]:
        """(N, H', W', F)."""
        (n, h, w, _), (f, kh, kw, _) = self.x.shape, self.w.shape
        (sh, sw), (ph, pw) = self.stride, self.padding
        return n, output_size(h, kh, sh, ph), output_size(w, kw, sw, pw), f


def _prepare_conv(x, w, b, stride, padding) -> _ConvArgs:
    """Check conv2d's arguments (raising readable errors) and bring them to the batch form."""
    x = _as_numbers(x, "x")
    w = _as_numbers(w, "w")
    _check_ndim(x, "x")
    stride = as_pair(stride, "stride", 1, "1 means every position")
    padding = as_pair(padding, "padding", 0, "the number of zero rows/columns added on each side")

    if w.ndim == 2:
        if x.ndim != 2:
            raise ValueError(
                f"a single kernel w of shape (kh, kw) needs a single-channel image x of shape "
                f"(H, W); got x of shape {x.shape}. For images with channels or batches pass "
                f"a filter bank w of shape (F, kh, kw, C)"
            )
        w4 = w[None, :, :, None]
    elif w.ndim == 4:
        w4 = w
    else:
        raise ValueError(
            f"w must be a kernel (kh, kw) or a filter bank (F, kh, kw, C); got an array of shape {w.shape}"
        )
    if 0 in w4.shape:
        raise ValueError(f"w must not have an empty axis; got shape {w.shape}")

    x4 = _as_batch(x)  # a plain (H, W) image with a filter bank is a one-channel image
    n_filters, kh, kw, channels = w4.shape
    if x4.shape[3] != channels:
        raise ValueError(
            f"image has {x4.shape[3]} channels but filters expect {channels} "
            f"(filters are (F, kh, kw, C) = {w.shape})"
        )
    padded = (x4.shape[1] + 2 * padding[0], x4.shape[2] + 2 * padding[1])
    if kh > padded[0] or kw > padded[1]:
        raise ValueError(
            f"kernel ({kh}, {kw}) is larger than the padded image {padded}; a valid "
            f"convolution needs kernel <= image in both dimensions"
        )

    arrays = [x, w]
    if b is not None:
        b = _as_numbers(b, "b")
        if w.ndim == 2 and b.ndim != 0:
            raise ValueError(f"b for a single kernel (kh, kw) must be one number; got shape {b.shape}")
        if w.ndim == 4 and b.shape != (n_filters,):
            raise ValueError(
                f"b must have shape (F,) = ({n_filters},), one bias per filter; got shape {b.shape}"
            )
        arrays.append(b)
        b = b.reshape(-1)

    args = _ConvArgs(x4, w4, b, stride, padding, _float_dtype(*arrays), ())
    n, out_h, out_w, _ = args.out_batch_shape
    if w.ndim == 2:
        out_shape = (out_h, out_w)
    else:
        out_shape = (n, out_h, out_w, n_filters) if x.ndim == 4 else (out_h, out_w, n_filters)
    return args._replace(out_shape=out_shape)


@answer
def conv2d(
    x: ArrayLike,
    w: ArrayLike,
    b: ArrayLike | None = None,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
) -> np.ndarray:
    """Slide kernels over an image and take a weighted sum at each position.

    This is cross-correlation (the kernel is not flipped), as in CNN libraries:
    ``out[r, c, f] = b[f] + sum over i, j, ch of xp[r*sh + i, c*sw + j, ch] * w[f, i, j, ch]``
    where ``xp`` is `x` with `padding` zeros around it.

    Parameters
    ----------
    x : array_like
        One of: a single-channel image (H, W); an image with channels (H, W, C); a
        batch (N, H, W, C). Numbers of any real dtype.
    w : array_like
        A single kernel (kh, kw), only with an (H, W) image; or a filter bank
        (F, kh, kw, C) whose C matches the image's (an (H, W) image counts as C=1).
    b : array_like, optional
        One bias per filter, shape (F,); a single number for a single kernel.
    stride : int or (int, int)
        Step between kernel positions, rows then columns (>= 1).
    padding : int or (int, int)
        Zero rows / columns added on each side of the image (>= 0).

    Returns
    -------
    numpy.ndarray
        (H', W') for an (H, W) image with a (kh, kw) kernel; (H', W', F) for one image
        with a filter bank; (N, H', W', F) for a batch; see `output_size` for H', W'.
        float32 if the floating inputs are float32, float64 for float64, integer or
        boolean inputs.

    Examples
    --------
    >>> conv2d([[1, 2, 0], [0, 1, 3]], [[1, 0], [0, 1]])
    array([[2., 5.]])
    """
    args = _prepare_conv(x, w, b, stride, padding)
    padded = _zero_pad(args.x, args.padding, args.dtype)
    out = _conv_batch(padded, args.w.astype(args.dtype, copy=False), args.stride)
    if args.b is not None:
        out += args.b.astype(args.dtype, copy=False)
    return out.reshape(args.out_shape)


def _zero_pad(x4: np.ndarray, padding: tuple[int, int], dtype: np.dtype) -> np.ndarray:
    """A C-contiguous copy (or the array itself) of x4 in `dtype`, zero-padded in H and W."""
    ph, pw = padding
    if ph == 0 and pw == 0:
        return np.ascontiguousarray(x4, dtype=dtype)
    n, h, w, c = x4.shape
    xp = np.zeros((n, h + 2 * ph, w + 2 * pw, c), dtype)
    xp[:, ph : ph + h, pw : pw + w, :] = x4
    return xp


def _conv_batch(xp: np.ndarray, w: np.ndarray, stride: tuple[int, int]) -> np.ndarray:
    """Convolve a padded batch (N, Hp, Wp, C) with filters (F, kh, kw, C), by im2col.

    Im2col turns the convolution into one matrix product, which BLAS runs at
    near-peak speed on all cores: each output pixel's window becomes one row of a
    "columns" matrix (M, kh*kw*C), and ``columns @ w.reshape(F, -1).T`` is the output
    (M, F). The columns are built and multiplied a block at a time (`_BLOCK_BYTES`),
    whole samples per block when they fit, else rows of one sample (a big image).

    There is no separate "shifted multiply-add" path (accumulating
    ``x[i::s, j::s] * w[i, j]`` over the kernel offsets): for one channel it was
    measured slower than offset-major columns + BLAS on every course shape (1.3-1.5x
    on a 512x512 image, 20x on a batch with 32 filters), as it makes ~2*kh*kw
    single-threaded passes over the output instead of kh*kw copies and one BLAS call.
    """
    n, hp, wp, channels = xp.shape
    n_filters, kh, kw, _ = w.shape
    sh, sw = stride
    out_h, out_w = (hp - kh) // sh + 1, (wp - kw) // sw + 1
    reduction = kh * kw * channels
    out = np.empty((n, out_h, out_w, n_filters), xp.dtype)
    # (K, F) with K ordered (i, j, ch), the order both column layouts use; BLAS
    # reads the transposed view without a copy.
    weights = w.reshape(n_filters, reduction).T
    # One channel: build the columns offset-major (one long strided copy per kernel
    # offset, and BLAS reads the result transposed for free); the pixel-major copy
    # would move only kw numbers at a time and is ~5x slower to build.
    columns = _columns_offset_major if channels == 1 else _columns_pixel_major

    budget = _BLOCK_BYTES if n_filters > 1 else _BLOCK_BYTES_ONE_FILTER
    rows_per_block = max(1, budget // (out_w * reduction * xp.itemsize))
    if rows_per_block >= out_h:
        samples, rows = rows_per_block // out_h, out_h
    else:
        samples, rows = 1, rows_per_block
    buffer = _work_array(min(samples, n) * rows * out_w * reduction, xp.dtype)
    for n0 in range(0, n, samples):
        for r0 in range(0, out_h, rows):
            block = out[n0 : n0 + samples, r0 : r0 + rows]
            block_rows = block.shape[1]
            # the input rows that these output rows' windows cover
            x_block = xp[n0 : n0 + samples, r0 * sh : (r0 + block_rows - 1) * sh + kh]
            cols = columns(x_block, kh, kw, stride, block_rows, out_w, buffer)
            np.matmul(cols, weights, out=block.reshape(-1, n_filters))
    return out


def _columns_offset_major(x_block, kh, kw, stride, out_h, out_w, buffer):
    """Im2col matrix (M, kh*kw) for one channel, stored transposed: row = kernel offset."""
    n = x_block.shape[0]
    sh, sw = stride
    cols = buffer[: kh * kw * n * out_h * out_w].reshape(kh, kw, n, out_h, out_w)
    for i in range(kh):
        for j in range(kw):
            cols[i, j] = x_block[:, i : i + sh * (out_h - 1) + 1 : sh, j : j + sw * (out_w - 1) + 1 : sw, 0]
    return cols.reshape(kh * kw, -1).T


def _columns_pixel_major(x_block, kh, kw, stride, out_h, out_w, buffer):
    """Im2col matrix (M, kh*kw*C): one row per output pixel, ordered (i, j, ch)."""
    n, _, _, channels = x_block.shape
    sh, sw = stride
    s_n, s_h, s_w, s_ch = x_block.strides
    # View of every window as (n, H', W', kh, kw*C): x_block is C-contiguous within
    # each row (s_w == C * s_ch), so a window's row of kw pixels is kw*C consecutive
    # numbers and numpy copies it as one run. Every window lies inside x_block.
    windows = as_strided(
        x_block, (n, out_h, out_w, kh, kw * channels), (s_n, sh * s_h, sw * s_w, s_h, s_ch), writeable=False
    )
    cols = buffer[: n * out_h * out_w * kh * kw * channels]
    np.copyto(cols.reshape(windows.shape), windows)
    return cols.reshape(n * out_h * out_w, kh * kw * channels)


@answer
def conv2d_loops(
    x: ArrayLike,
    w: ArrayLike,
    b: ArrayLike | None = None,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
) -> np.ndarray:
    """`conv2d` written as plain nested loops, one multiplication at a time.

    Same parameters, shapes, dtypes and errors as `conv2d`; thousands of times
    slower. Use it to read what a convolution computes, and as a test oracle.

    Examples
    --------
    >>> conv2d_loops([[1, 2, 0], [0, 1, 3]], [[1, 0], [0, 1]])
    array([[2., 5.]])
    """
    args = _prepare_conv(x, w, b, stride, padding)
    x, w, b = args.x, args.w, args.b
    (sh, sw), (ph, pw) = args.stride, args.padding
    n_images, height, width, channels = x.shape
    n_filters, kh, kw, _ = w.shape
    _, out_h, out_w, _ = args.out_batch_shape
    out = np.zeros((n_images, out_h, out_w, n_filters), args.dtype)
    for n in range(n_images):
        for r in range(out_h):
            for c in range(out_w):
                for f in range(n_filters):
                    total = 0.0 if b is None else float(b[f])
                    for i in range(kh):
                        for j in range(kw):
                            # position in the unpadded image; outside it is padding: zero
                            row = r * sh + i - ph
                            col = c * sw + j - pw
                            if 0 <= row < height and 0 <= col < width:
                                for ch in range(channels):
                                    total += float(x[n, row, col, ch]) * float(w[f, i, j, ch])
                    out[n, r, c, f] = total
    return out.reshape(args.out_shape)


# --------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------


@answer
def relu(x: ArrayLike) -> np.ndarray:
    """Rectified linear unit: keep positive values, replace negative ones by 0.

    Parameters
    ----------
    x : array_like
        Any shape, real numbers.

    Returns
    -------
    numpy.ndarray
        ``max(x, 0)`` elementwise, same shape; float64 for integer or boolean input,
        else x's dtype.

    Examples
    --------
    >>> relu([-2, 0, 3])
    array([0., 0., 3.])
    """
    x = _as_float(x, "x")
    return np.maximum(x, 0)


@answer
def relu_loops(x: ArrayLike) -> np.ndarray:
    """`relu` one element at a time, as a plain loop (for reading and as test oracle)."""
    x = _as_float(x, "x")
    out = np.empty_like(x)
    for index in np.ndindex(x.shape):
        out[index] = x[index] if x[index] > 0 else 0
    return out


@answer
def leaky_relu(x: ArrayLike, slope: float = 0.01) -> np.ndarray:
    """ReLU that lets a little of the negative side through: x if x > 0 else slope * x.

    Parameters
    ----------
    x : array_like
        Any shape, real numbers.
    slope : float
        Multiplier for negative inputs (a finite number, usually small and >= 0).

    Returns
    -------
    numpy.ndarray
        Same shape as x; float64 for integer or boolean input, else x's dtype.

    Examples
    --------
    >>> leaky_relu([-2.0, 3.0], slope=0.1)
    array([-0.2,  3. ])
    """
    x = _as_float(x, "x")
    if not isinstance(slope, Real) or isinstance(slope, bool):
        raise TypeError(f"slope must be a real number; got {slope!r}")
    if not np.isfinite(slope):
        raise ValueError(f"slope must be finite; got {slope!r}")
    return np.where(x > 0, x, x * x.dtype.type(slope))


@answer
def sigmoid(x: ArrayLike) -> np.ndarray:
    """Logistic function 1 / (1 + exp(-x)), squashing any number into (0, 1).

    Computed without overflow for large |x|: exp is only taken of -|x| <= 0.

    Parameters
    ----------
    x : array_like
        Any shape, real numbers.

    Returns
    -------
    numpy.ndarray
        Same shape as x, values in [0, 1]; float64 for integer or boolean input,
        else x's dtype.

    Examples
    --------
    >>> sigmoid([0.0, 1000.0, -1000.0])
    array([0.5, 1. , 0. ])
    """
    x = _as_float(x, "x")
    small = np.exp(-np.abs(x))  # in (0, 1]: cannot overflow
    return np.where(x >= 0, 1 / (1 + small), small / (1 + small))


@answer
def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """Turn scores into probabilities along `axis`: exp(x) / sum(exp(x)).

    Numerically stable: the maximum along `axis` is subtracted first, which does
    not change the result but keeps exp from overflowing.

    Parameters
    ----------
    x : array_like
        Scores, at least 1-D, non-empty along `axis`.
    axis : int
        The axis that sums to 1 (default: the last one).

    Returns
    -------
    numpy.ndarray
        Same shape as x, non-negative, summing to 1 along `axis`; float64 for
        integer or boolean input, else x's dtype.

    Examples
    --------
    >>> softmax([1000.0, 1000.0])
    array([0.5, 0.5])
    """
    x = _as_float(x, "x")
    if x.ndim == 0:
        raise ValueError("softmax needs an array with at least one axis; got a single number")
    if not _is_int(axis) or not -x.ndim <= axis < x.ndim:
        raise ValueError(
            f"axis must be an int in [{-x.ndim}, {x.ndim - 1}] for an array of shape {x.shape}; got {axis!r}"
        )
    if x.shape[axis] == 0:
        raise ValueError(f"softmax needs at least one score along axis {axis}; got shape {x.shape}")
    exps = np.exp(x - x.max(axis=axis, keepdims=True))
    return exps / exps.sum(axis=axis, keepdims=True)


# --------------------------------------------------------------------------
# Pooling
# --------------------------------------------------------------------------


def _prepare_pool(x, size, stride):
    """Check pooling arguments and bring x to the batch form.

    Returns (x as (N, H, W, C), window (kh, kw), stride (sh, sw), output (H', W'),
    x's number of dimensions, dtype to compute in).
    """
    x = _as_numbers(x, "x")
    _check_ndim(x, "x")
    window = as_pair(size, "size", 1, "the pooling window's height and width")
    stride = window if stride is None else as_pair(stride, "stride", 1, "1 means every position")
    x4 = _as_batch(x)
    height, width = x4.shape[1:3]
    if window[0] > height or window[1] > width:
        raise ValueError(
            f"pooling window {window} is larger than the image ({height}, {width}); the "
            f"window must fit inside the image in both dimensions"
        )
    out_hw = ((height - window[0]) // stride[0] + 1, (width - window[1]) // stride[1] + 1)
    return x4, window, stride, out_hw, x.ndim, _float_dtype(x)


def _pool(x, size, stride, combine):
    """Fold the kh*kw window elements together with the ufunc `combine`, in place.

    Loops over the offsets inside the window (4 for 2x2), not over pixels: each
    step combines one strided view holding that offset's element of every window,
    so all the work is whole-array numpy operations, overlapping windows included.
    Returns the result in the batch form, x's number of dimensions and the window.
    """
    x4, (kh, kw), (sh, sw), (out_h, out_w), ndim, dtype = _prepare_pool(x, size, stride)

    def element(i, j):  # (N, H', W', C): the (i, j)-th element of every window
        return x4[:, i : i + sh * (out_h - 1) + 1 : sh, j : j + sw * (out_w - 1) + 1 : sw]

    out = element(0, 0).astype(dtype)  # a copy: x is never written to
    for i in range(kh):
        for j in range(kw):
            if i or j:
                combine(out, element(i, j), out=out)
    return out, ndim, (kh, kw)


@answer
def max_pool2d(x: ArrayLike, size: IntOrPair = 2, stride: IntOrPair | None = None) -> np.ndarray:
    """Keep the largest value of each size x size window, channel by channel.

    Windows that would extend past the bottom or right edge are dropped (no
    padding), so a 5x5 map pooled 2x2 gives 2x2, not 3x3.

    Parameters
    ----------
    x : array_like
        (H, W), (H, W, C) or (N, H, W, C); pooled over the two spatial axes.
    size : int or (int, int)
        Window height and width (>= 1, at most the image size).
    stride : int or (int, int), optional
        Step between windows (>= 1); defaults to `size` (windows side by side).

    Returns
    -------
    numpy.ndarray
        Same number of dimensions as x, with H' = (H - kh) // sh + 1 and likewise W';
        float64 for integer or boolean input, else x's dtype.

    Examples
    --------
    >>> max_pool2d([[1, 2, 0, 0], [3, 4, 0, 5]])
    array([[4., 5.]])
    """
    out, ndim, _ = _pool(x, size, stride, np.maximum)
    return _from_batch(out, ndim)


@answer
def avg_pool2d(x: ArrayLike, size: IntOrPair = 2, stride: IntOrPair | None = None) -> np.ndarray:
    """Average each size x size window, channel by channel.

    Windows that would extend past the bottom or right edge are dropped (no
    padding), so a 5x5 map pooled 2x2 gives 2x2, not 3x3.

    Parameters
    ----------
    x : array_like
        (H, W), (H, W, C) or (N, H, W, C); pooled over the two spatial axes.
    size : int or (int, int)
        Window height and width (>= 1, at most the image size).
    stride : int or (int, int), optional
        Step between windows (>= 1); defaults to `size` (windows side by side).

    Returns
    -------
    numpy.ndarray
        Same number of dimensions as x, with H' = (H - kh) // sh + 1 and likewise W';
        float64 for integer or boolean input, else x's dtype.

    Examples
    --------
    >>> avg_pool2d([[1, 2, 0, 0], [3, 4, 0, 5]])
    array([[2.5 , 1.25]])
    """
    out, ndim, (kh, kw) = _pool(x, size, stride, np.add)
    out /= kh * kw
    return _from_batch(out, ndim)


@answer
def max_pool2d_loops(x: ArrayLike, size: IntOrPair = 2, stride: IntOrPair | None = None) -> np.ndarray:
    """`max_pool2d` as plain nested loops, one window at a time (for reading; test oracle).

    Same parameters, shapes, dtypes and errors as `max_pool2d`.
    """
    x4, (kh, kw), (sh, sw), (out_h, out_w), ndim, dtype = _prepare_pool(x, size, stride)
    n_images, _, _, channels = x4.shape
    out = np.zeros((n_images, out_h, out_w, channels), dtype)
    for n in range(n_images):
        for r in range(out_h):
            for c in range(out_w):
                for ch in range(channels):
                    largest = -np.inf
                    for i in range(kh):
                        for j in range(kw):
                            largest = max(largest, float(x4[n, r * sh + i, c * sw + j, ch]))
                    out[n, r, c, ch] = largest
    return _from_batch(out, ndim)


@answer
def avg_pool2d_loops(x: ArrayLike, size: IntOrPair = 2, stride: IntOrPair | None = None) -> np.ndarray:
    """`avg_pool2d` as plain nested loops, one window at a time (for reading; test oracle).

    Same parameters, shapes, dtypes and errors as `avg_pool2d`.
    """
    x4, (kh, kw), (sh, sw), (out_h, out_w), ndim, dtype = _prepare_pool(x, size, stride)
    n_images, _, _, channels = x4.shape
    out = np.zeros((n_images, out_h, out_w, channels), dtype)
    for n in range(n_images):
        for r in range(out_h):
            for c in range(out_w):
                for ch in range(channels):
                    total = 0.0
                    for i in range(kh):
                        for j in range(kw):
                            total += float(x4[n, r * sh + i, c * sw + j, ch])
                    out[n, r, c, ch] = total / (kh * kw)
    return _from_batch(out, ndim)


# --------------------------------------------------------------------------
# Gathering windows: im2col with precomputed indices (used by cnnlib.layers)
# --------------------------------------------------------------------------
#
# Training calls the same convolution thousands of times on batches of one shape.
# For that, the fastest im2col measured here is a single gather: the batch is
# written into the inside of a zero-bordered buffer kept between calls (the
# border is never written, so padding costs nothing), and `np.take` copies every
# window's pixels into the columns at once, using row numbers worked out once per
# shape. Each gathered row is one pixel's C channels, so the copy moves C numbers
# at a time.


def window_rows(
    n: int,
    padded_hw: tuple[int, int],
    kernel: tuple[int, int],
    stride: tuple[int, int] = (1, 1),
) -> np.ndarray:
    """Row numbers of every window's pixels in a padded batch viewed as a (N*Hp*Wp, C) table.

    Parameters
    ----------
    n : int
        Number of images in the batch.
    padded_hw : (int, int)
        Height and width (Hp, Wp) of the images, padding included.
    kernel : (int, int)
        Window height and width (kh, kw).
    stride : (int, int)
        Step between windows (sh, sw).

    Returns
    -------
    rows : ndarray, shape (N*H'*W', kh*kw), dtype intp
        ``rows[m, i*kw + j]`` is the pixel at offset (i, j) of the window of output pixel m,
        with m running over (image, output row, output column) in C order.

    Examples
    --------
    >>> window_rows(1, (3, 3), (2, 2))
    array([[0, 1, 3, 4],
           [1, 2, 4, 5],
           [3, 4, 6, 7],
           [4, 5, 7, 8]])
    """
    (hp, wp), (kh, kw), (sh, sw) = padded_hw, kernel, stride
    out_h, out_w = (hp - kh) // sh + 1, (wp - kw) // sw + 1
    corners = (
        np.arange(n)[:, None, None] * (hp * wp)
        + np.arange(0, out_h * sh, sh)[None, :, None] * wp
        + np.arange(0, out_w * sw, sw)[None, None, :]
    )
    offsets = (np.arange(kh)[:, None] * wp + np.arange(kw)[None, :]).reshape(-1)
    return (corners.reshape(-1, 1) + offsets).astype(np.intp)


def gather_windows(padded: np.ndarray, rows: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Im2col by one gather: the columns matrix of a padded batch, from `window_rows`' row numbers.

    Parameters
    ----------
    padded : ndarray, shape (N, Hp, Wp, C), C-contiguous
        The batch with its zero border.
    rows : ndarray, shape (M, kh*kw), intp
        From ``window_rows(N, (Hp, Wp), kernel, stride)``.
    out : ndarray, shape (M, kh*kw*C), optional
        Where to write the columns (reused between calls to save allocating them).

    Returns
    -------
    columns : ndarray, shape (M, kh*kw*C)
        One row per output pixel, ordered (i, j, ch) like a filter bank ``(F, kh, kw, C)``
        reshaped to ``(F, kh*kw*C)``.

    Examples
    --------
    >>> image = np.arange(9.0).reshape(1, 3, 3, 1)
    >>> gather_windows(image, window_rows(1, (3, 3), (2, 2)))[0]
    array([0., 1., 3., 4.])
    """
    channels = padded.shape[-1]
    m, k = rows.shape
    if out is None:
        out = np.empty((m, k * channels), padded.dtype)
    # mode="clip" skips numpy's bounds check, which would buffer `out` first; the
    # row numbers are correct by construction.
    np.take(padded.reshape(-1, channels), rows, axis=0, out=out.reshape(m, k, channels), mode="clip")
    return out


def scatter_add_windows(
    columns: np.ndarray,
    padded: np.ndarray,
    kernel: tuple[int, int],
    stride: tuple[int, int] = (1, 1),
) -> np.ndarray:
    """Col2im, the transpose of `gather_windows`: add each column entry back onto its pixel.

    A pixel that lies in several windows receives the sum of their entries. This is
    how the gradient of a convolution flows back to its input. Loops over the kh*kw
    kernel offsets (9 for 3x3), each adding one strided view of the whole batch.

    Parameters
    ----------
    columns : ndarray, shape (N*H'*W', kh*kw*C)
        One row per output pixel, ordered (i, j, ch).
    padded : ndarray, shape (N, Hp, Wp, C)
        Receives the sums (added to what it holds; zero it first for a plain col2im).
    kernel, stride : (int, int)
        Window size and step, as given to `window_rows`.

    Returns
    -------
    padded : ndarray, shape (N, Hp, Wp, C)
        The same array, for chaining.

    Examples
    --------
    >>> grid = np.zeros((1, 3, 3, 1))
    >>> scatter_add_windows(np.ones((4, 4)), grid, (2, 2))[0, :, :, 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    n, hp, wp, channels = padded.shape
    (kh, kw), (sh, sw) = kernel, stride
    out_h, out_w = (hp - kh) // sh + 1, (wp - kw) // sw + 1
    entries = columns.reshape(n, out_h, out_w, kh, kw, channels)
    for i in range(kh):
        for j in range(kw):
            padded[:, i : i + sh * (out_h - 1) + 1 : sh, j : j + sw * (out_w - 1) + 1 : sw] += entries[
                :, :, :, i, j
            ]
    return padded
