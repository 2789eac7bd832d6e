"""Time cnnlib.ops on course-typical shapes against its loop versions, scipy and PyTorch.

Run from the repository root:

    .venv/bin/python benchmarks/bench_ops.py

PyTorch is optional (not a course requirement): its columns appear when it can be
imported. Timing protocol, chosen because this machine is shared and noisy:

- every library is pinned to the same number of threads (2 by default);
- contestants run in alternating warm blocks: pause, one untimed call, then
  `CALLS` timed calls in a row; the blocks rotate (cnnlib, torch, cnnlib, ...)
  `BLOCKS` times. A library's idle worker threads keep spinning for a while after
  it ran and slow the next one down, hence the pause when switching;
- ratios compare medians over all timed calls of one run, never across runs;
- inputs are prepared outside the timing, in each library's own layout
  (NHWC numpy arrays for cnnlib, contiguous NCHW tensors for PyTorch).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy
from scipy.signal import correlate2d
from threadpoolctl import threadpool_info, threadpool_limits

from cnnlib import ops

try:
    import torch
    import torch.nn.functional as torch_f
except ImportError:  # torch is optional: only for comparison
    torch = None

THREADS = 2
BLOCKS = 5
CALLS = 5
PAUSE = 0.5  # seconds of rest before each block, so the previous library's threads go idle


@dataclass
class Timing:
    """All timed calls of one contestant, in seconds."""

    times: list[float] = field(default_factory=list)
    scale: float = 1.0  # loop versions run on a cut-down input; multiply to estimate the full one

    @property
    def min(self) -> float:
        return min(self.times) * self.scale

    @property
    def median(self) -> float:
        return statistics.median(self.times) * self.scale


def time_alternating(contestants: dict[str, Callable[[], object]], blocks: int) -> dict[str, Timing]:
    """Time each contestant in warm blocks of CALLS calls, rotating between them."""
    timings = {name: Timing() for name in contestants}
    for _ in range(blocks):
        for name, run in contestants.items():
            time.sleep(PAUSE)
            run()  # warm-up, not timed
            for _ in range(CALLS):
                start = time.perf_counter()
                run()
                timings[name].times.append(time.perf_counter() - start)
    return timings


def time_once(run: Callable[[], object], scale: float) -> Timing:
    """Time a slow pure-Python call once (it has no threads, caches or warm-up to speak of)."""
    start = time.perf_counter()
    run()
    return Timing([time.perf_counter() - start], scale)


@dataclass
class Case:
    name: str
    flops: float  # arithmetic operations of the full case
    cnnlib: Callable[[], np.ndarray]
    loops: Callable[[], np.ndarray]  # on a cut-down input when `loop_scale` > 1
    loop_scale: float
    loop_note: str = ""
    scipy: Callable[[], np.ndarray] | None = None
    torch: Callable[[], object] | None = None
    torch_to_nhwc: Callable[[object], np.ndarray] | None = None


def nchw(a: np.ndarray):
    """A contiguous NCHW torch tensor from an NHWC (or (F, kh, kw, C)) array."""
    return torch.from_numpy(np.ascontiguousarray(a.transpose(0, 3, 1, 2)))


def to_nhwc(t) -> np.ndarray:
    return t.numpy().transpose(0, 2, 3, 1)


def conv_flops(out_shape: tuple[int, ...], kernel_size: int) -> float:
    """Two operations (multiply, add) per kernel element per output value."""
    return 2.0 * math.prod(out_shape) * kernel_size


def make_cases(rng: np.random.Generator) -> list[Case]:
    cases = []

    # (a) one grayscale image, one 3x3 kernel
    for dtype in (np.float64, np.float32):
        image = rng.random((512, 512)).astype(dtype)
        kernel = rng.standard_normal((3, 3)).astype(dtype)
        case = Case(
            name=f"(a) 512x512 gray, 3x3, {np.dtype(dtype).name}",
            flops=conv_flops((510, 510), 9),
            cnnlib=lambda x=image, w=kernel: ops.conv2d(x, w),
            loops=lambda x=image, w=kernel: ops.conv2d_loops(x, w),
            loop_scale=1,
            scipy=lambda x=image, w=kernel: correlate2d(x, w, mode="valid"),
        )
        if torch is not None:
            ti, tk = torch.from_numpy(image)[None, None], torch.from_numpy(kernel)[None, None]
            case.torch = lambda ti=ti, tk=tk: torch_f.conv2d(ti, tk)
            case.torch_to_nhwc = lambda t: t.numpy()[0, 0]
        cases.append(case)

    # (b), (c), (d): batches with filter banks, float32 as in training. The loop
    # version of (c) and (d) would take minutes: it runs on the first image only,
    # and its time (linear in the batch size) is scaled up.
    conv_shapes = [
        ("(b) 64x28x28x1, 32 3x3", (64, 28, 28, 1), (32, 3, 3, 1), 64),
        ("(c) 64x13x13x32, 64 3x3", (64, 13, 13, 32), (64, 3, 3, 32), 1),
        ("(d) 256x32x32x3, 32 5x5", (256, 32, 32, 3), (32, 5, 5, 3), 1),
    ]
    pool_input = None
    for name, x_shape, w_shape, loop_images in conv_shapes:
        x = rng.random(x_shape, dtype=np.float32)
        w = rng.standard_normal(w_shape, dtype=np.float32)
        out_shape = (x_shape[0], x_shape[1] - w_shape[1] + 1, x_shape[2] - w_shape[2] + 1, w_shape[0])
        case = Case(
            name=name,
            flops=conv_flops(out_shape, math.prod(w_shape[1:])),
            cnnlib=lambda x=x, w=w: ops.conv2d(x, w),
            loops=lambda x=x[:loop_images], w=w: ops.conv2d_loops(x, w),
            loop_scale=x_shape[0] / loop_images,
            loop_note=(
                f"{name[:3]}: loops timed on {loop_images} of {x_shape[0]} images, scaled x{x_shape[0]}"
                if loop_images < x_shape[0]
                else ""
            ),
        )
        if torch is not None:
            tx, tw = nchw(x), nchw(w)
            case.torch = lambda tx=tx, tw=tw: torch_f.conv2d(tx, tw)
            case.torch_to_nhwc = to_nhwc
        cases.append(case)
        if pool_input is None:
            pool_input = ops.conv2d(x, w)  # (b)'s output: (64, 26, 26, 32) float32

    # 2x2 pooling of (b)'s output
    for label, fast, slow, torch_pool in (
        ("max", ops.max_pool2d, ops.max_pool2d_loops, "max_pool2d"),
        ("avg", ops.avg_pool2d, ops.avg_pool2d_loops, "avg_pool2d"),
    ):
        case = Case(
            name=f"{label} pool 2x2 on (b)'s output",
            flops=float(pool_input.size),  # one max / add per input value read
            cnnlib=lambda y=pool_input, f=fast: f(y, 2),
            loops=lambda y=pool_input, f=slow: f(y, 2),
            loop_scale=1,
        )
        if torch is not None:
            pool, ty = getattr(torch_f, torch_pool), nchw(pool_input)
            case.torch = lambda ty=ty, pool=pool: pool(ty, 2)
            case.torch_to_nhwc = to_nhwc
        cases.append(case)
    return cases


def matmul_rate(blocks: int) -> float:
    """float32 GFLOP/s of a 1024x1024 matrix product: the yardstick for this machine."""
    a = np.random.default_rng(0).random((1024, 1024), dtype=np.float32)
    timing = time_alternating({"matmul": lambda: a @ a}, blocks)["matmul"]
    return 2 * 1024**3 / timing.median / 1e9


def machine_info(threads: int) -> list[str]:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    lines = [
        f"CPU: {cpu}, {os.cpu_count()} logical cores, {threads} threads used by each library",
        f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"torch {torch.__version__ if torch is not None else 'not installed'}",
    ]
    for pool in threadpool_info():
        lines.append(
            f"{pool['user_api']}: {pool['internal_api']} {pool.get('version')} "
            f"kernel={pool.get('architecture')} threads={pool['num_threads']} "
            f"({os.path.basename(pool['filepath'])})"
        )
    blas_env = {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS", "OMP_", "MKL_"))}
    lines.append(f"thread/BLAS environment: {blas_env or 'none set'}")
    return lines


def ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1e3:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=BLOCKS, help="alternating blocks per case")
    parser.add_argument("--threads", type=int, default=THREADS, help="threads for every library")
    args = parser.parse_args()

    threadpool_limits(limits=args.threads)
    if torch is not None:
        torch.set_num_threads(args.threads)
    for line in machine_info(args.threads):
        print(line)

    rate = matmul_rate(args.blocks)
    print(f"float32 1024x1024 matmul (numpy): {rate:.1f} GFLOP/s (median)\n")

    rng = np.random.default_rng(0)
    cases = make_cases(rng)
    header = (
        f"{'case':<34} {'cnnlib ms':>15} {'loops ms':>13} {'x faster':>8} "
        f"{'scipy ms':>8} {'x':>5} {'torch ms':>15} {'cnn/torch':>9} {'GFLOP/s':>8} "
        f"{'%mm':>4}"
    )
    print(
        f"protocol: {args.blocks} alternating warm blocks per contestant, {CALLS} timed calls each, "
        f"{PAUSE} s pause before each block"
    )
    print("times: min / median over all timed calls; 'loops ms' marked * is scaled from a cut-down input")
    print(
        "x faster = loops / cnnlib; x = scipy / cnnlib; cnn/torch = cnnlib / torch "
        "(medians; < 1 means cnnlib is faster);"
    )
    print(
        "GFLOP/s of cnnlib's median, %mm = as a share of the matmul rate (pooling: one op per value read)\n"
    )
    print(header)
    print("-" * len(header))

    torch_ratios, results = [], {}
    for case in cases:
        contestants = {"cnnlib": case.cnnlib}
        if case.scipy is not None:
            contestants["scipy"] = case.scipy
        if case.torch is not None:
            contestants["torch"] = case.torch
            expected = case.torch_to_nhwc(case.torch())
            np.testing.assert_allclose(
                case.cnnlib(),
                expected,
                rtol=1e-3,
                atol=1e-3,
                err_msg=f"{case.name}: cnnlib and torch disagree",
            )
        timings = time_alternating(contestants, args.blocks)
        loops = time_once(case.loops, case.loop_scale)
        cnn = timings["cnnlib"]
        speedup = loops.median / cnn.median
        gflops = case.flops / cnn.median / 1e9
        scipy_t = timings.get("scipy")
        torch_t = timings.get("torch")
        ratio = cnn.median / torch_t.median if torch_t else None
        if ratio is not None:
            torch_ratios.append(ratio)
        results[case.name] = (speedup, ratio, gflops / rate)
        star = "*" if case.loop_scale != 1 else " "
        print(
            f"{case.name:<34} {ms(cnn.min):>7}/{ms(cnn.median):>7} "
            f"{ms(loops.median):>12}{star} {speedup:>8.0f} "
            f"{ms(scipy_t.median if scipy_t else None):>8} "
            f"{(f'{scipy_t.median / cnn.median:.2f}' if scipy_t else '-'):>5} "
            f"{(f'{ms(torch_t.min)}/{ms(torch_t.median)}' if torch_t else '-'):>15} "
            f"{(f'{ratio:.2f}' if ratio is not None else '-'):>9} {gflops:>8.1f} "
            f"{100 * gflops / rate:>3.0f}%"
        )

    for case in cases:
        if case.loop_note:
            print(f"* {case.loop_note}")
    print()
    a_speedups = [v[0] for k, v in results.items() if k.startswith("(a)")]
    c_share = next(v[2] for k, v in results.items() if k.startswith("(c)"))
    verdicts = [
        f"(a) >= 100x loops: {'met' if min(a_speedups) >= 100 else 'NOT met'} (min {min(a_speedups):.0f}x)",
        f"(c) >= 40% of matmul: {'met' if c_share >= 0.4 else 'NOT met'} ({100 * c_share:.0f}%)",
    ]
    if torch_ratios:
        geomean = math.exp(statistics.fmean(math.log(r) for r in torch_ratios))
        worst = max(torch_ratios)
        verdicts.insert(
            0,
            f"geomean cnnlib/torch = {geomean:.2f} ({'met' if geomean <= 1.5 else 'NOT met'}, target <= 1.5)",
        )
        verdicts.insert(1, f"worst case {worst:.2f} ({'met' if worst <= 2.5 else 'NOT met'}, target <= 2.5)")
    else:
        verdicts.insert(0, "torch not installed: no comparison")
    print("SUMMARY: " + "; ".join(verdicts))


if __name__ == "__main__":
    main()
