"""Time training the course's CNN on the digits to 98 % test accuracy: cnnlib against PyTorch.

Run from the repository root:

    .venv/bin/python benchmarks/bench_train.py       # or: make bench (after bench_ops.py)

The network: conv 3x3 pad 1 -> 16 maps, ReLU, 2x2 max pool, conv 3x3 pad 1 -> 32 maps,
ReLU, 2x2 max pool, flatten, dense 128 -> 10; He initialisation; Adam, learning rate
1e-2; float32; batch 64 and batch 32; scikit-learn's digits with cnnlib's fixed split
(1437 training, 360 test images).

What makes the comparison one of speed alone:

- PyTorch's network starts from cnnlib's initial weights for the same seed (converted
  to its channels-first layout) and sees the same batches in the same order, so both
  take the same optimisation path and need the same number of epochs, up to
  float32 rounding (checked: the first losses agree);
- both libraries use the same 2 threads (OpenBLAS via threadpoolctl, torch.set_num_threads);
- timed: building the network and optimizer, then every epoch including the test
  evaluation, until the first epoch whose test accuracy reaches 98 %. Not timed:
  imports, loading the data, converting it to tensors, drawing the batch order;
- seeds 0-4, runs alternating between the libraries (cnnlib first for even seeds,
  PyTorch first for odd ones), with a pause between runs so one library's idle
  threads do not slow the other; one untimed warm-up run each first;
- this machine is shared, so other processes stall or slow single runs. Before
  each run the benchmark waits (up to 20 s) for both cores to be idle, and after
  the runs it looks for disturbed ones: one epoch more than twice the run's median
  epoch plus 5 ms, building over 50 ms, or a median epoch more than 1.3x the
  median over that library's runs (a run slowed throughout). Those are rerun, up
  to 5 rounds; reruns are counted, and a run still disturbed is marked '*'.

PyTorch is optional (never a course requirement): without it, only cnnlib's times
are printed. The faces section trains the same layers on scikit-image's lfw_subset
(faces vs non-faces, 25x25) and reports held-out accuracy and time.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from cnnlib.data import load_digits, load_faces
from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU, Sequential, digits_cnn
from cnnlib.losses import SoftmaxCrossEntropy
from cnnlib.optim import Adam
from cnnlib.train import evaluate, shuffled_batches, train_epoch

try:
    import torch
    from torch import nn
except ImportError:  # optional: only for comparison
    torch = None

THREADS = 2
SEEDS = range(5)
BATCH_SIZES = (64, 32)
LR = 1e-2
TARGET = 0.98
MAX_EPOCHS = 40
PAUSE = 0.5  # seconds between runs, so the previous library's threads go idle
RETRIES = 5
STALL_FACTOR, STALL_SLACK, BUILD_LIMIT = 2.0, 0.005, 0.05
SLOW_FACTOR = 1.3  # a run whose median epoch is this much above its library's typical one was slowed
QUIET_WAIT, QUIET_IDLE = 20.0, 0.85  # wait up to this long for this share of idle CPU time


def digits_network(seed: int) -> Sequential:
    """The benchmark's network in cnnlib (the one lesson 09 trains)."""
    return digits_cnn(seed)


@dataclass
class Run:
    build: float  # seconds to build the network and optimizer
    epochs: list[float] = field(default_factory=list)  # seconds per epoch, evaluation included
    accuracy: list[float] = field(default_factory=list)  # test accuracy after each epoch
    first_loss: float = float("nan")

    @property
    def reached(self) -> bool:
        return bool(self.accuracy) and self.accuracy[-1] >= TARGET

    @property
    def time_to_target(self) -> float:
        return self.build + sum(self.epochs)

    @property
    def median_epoch(self) -> float:
        return statistics.median(self.epochs)

    def disturbed(self, typical_epoch: float) -> bool:
        """Stalled (one epoch, or building, far too long) or slowed throughout."""
        stalled = max(self.epochs) > STALL_FACTOR * self.median_epoch + STALL_SLACK
        return stalled or self.build > BUILD_LIMIT or self.median_epoch > SLOW_FACTOR * typical_epoch


# --------------------------------------------------------------------------
# The two contestants
# --------------------------------------------------------------------------


def run_cnnlib(seed: int, data, orders: list[list[np.ndarray]]) -> Run:
    start = time.perf_counter()
    model = digits_network(seed)
    optimizer = Adam(model, lr=LR)
    run = Run(time.perf_counter() - start)
    loss = SoftmaxCrossEntropy()
    for batches in orders:
        start = time.perf_counter()
        train_epoch(model, optimizer, data.x_train, data.y_train, batches, loss)
        _, accuracy = evaluate(model, data.x_test, data.y_test)
        run.epochs.append(time.perf_counter() - start)
        run.accuracy.append(accuracy)
        if accuracy >= TARGET:
            break
    return run


def torch_initial_weights(seed: int) -> dict[str, object]:
    """cnnlib's initial weights for `seed`, in PyTorch's layout (a state dict)."""
    p = digits_network(seed).params
    # Flatten order: cnnlib flattens (h, w, c), PyTorch (c, h, w); permute the dense rows to match.
    dense = p["dense1.w"].reshape(2, 2, 32, 10).transpose(3, 2, 0, 1).reshape(10, 128)
    arrays = {
        "0.weight": p["conv1.w"].transpose(0, 3, 1, 2),
        "0.bias": p["conv1.b"],
        "3.weight": p["conv2.w"].transpose(0, 3, 1, 2),
        "3.bias": p["conv2.b"],
        "7.weight": dense,
        "7.bias": p["dense1.b"],
    }
    return {name: torch.from_numpy(np.ascontiguousarray(a)) for name, a in arrays.items()}


def torch_network(initial: dict[str, object]):
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(128, 10),
    )
    model.load_state_dict(initial)
    return model


def run_torch(initial: dict[str, object], tensors, orders: list[list[object]]) -> Run:
    x_train, y_train, x_test, y_test = tensors
    start = time.perf_counter()
    model = torch_network(initial)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    run = Run(time.perf_counter() - start)
    loss_fn = nn.CrossEntropyLoss()
    for batches in orders:
        start = time.perf_counter()
        model.train()
        for index in batches:
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x_train[index]), y_train[index])
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            accuracy = (model(x_test).argmax(dim=1) == y_test).float().mean().item()
        run.epochs.append(time.perf_counter() - start)
        run.accuracy.append(accuracy)
        if accuracy >= TARGET:
            break
    return run


def first_losses(seed: int, data, tensors, batch: np.ndarray) -> tuple[float, float]:
    """Both libraries' loss on one batch from the same initial weights: they must agree."""
    ours = SoftmaxCrossEntropy().forward(
        digits_network(seed).forward(data.x_train[batch]), data.y_train[batch]
    )
    model = torch_network(torch_initial_weights(seed))
    with torch.no_grad():
        theirs = nn.CrossEntropyLoss()(model(tensors[0][batch]), tensors[1][batch]).item()
    return ours, theirs


# --------------------------------------------------------------------------
# Timing protocol
# --------------------------------------------------------------------------


def idle_share(seconds: float = 0.5) -> float:
    """Share of the machine's CPU time spent idle over `seconds` (1.0 where /proc/stat is missing)."""
    try:

        def sample() -> tuple[int, int]:
            with open("/proc/stat") as f:
                values = [int(v) for v in f.readline().split()[1:]]
            return values[3] + values[4], sum(values)  # idle + iowait, total

        idle0, total0 = sample()
        time.sleep(seconds)
        idle1, total1 = sample()
        return (idle1 - idle0) / max(total1 - total0, 1)
    except OSError:
        time.sleep(seconds)
        return 1.0


def wait_for_quiet() -> None:
    """Pause before a run: at least PAUSE, then until the CPUs are idle (at most QUIET_WAIT)."""
    time.sleep(PAUSE)
    deadline = time.monotonic() + QUIET_WAIT
    while idle_share() < QUIET_IDLE and time.monotonic() < deadline:
        pass


def measure(contestants: dict[str, Callable[[int], Callable[[], Run]]]):
    """Every seed's run of every contestant, alternating; then rerun the disturbed ones.

    Returns runs[name][seed], the rerun counts per name, and the typical (median) epoch per name.
    """
    runs: dict[str, dict[int, Run]] = {name: {} for name in contestants}
    for seed in SEEDS:
        names = list(contestants) if seed % 2 == 0 else list(reversed(contestants))
        for name in names:
            wait_for_quiet()
            runs[name][seed] = contestants[name](seed)()
    reruns = dict.fromkeys(contestants, 0)
    for _ in range(RETRIES):
        typical = {n: statistics.median(r.median_epoch for r in runs[n].values()) for n in contestants}
        suspects = [(n, s) for n in contestants for s, r in runs[n].items() if r.disturbed(typical[n])]
        if not suspects:
            break
        for name, seed in suspects:
            wait_for_quiet()
            runs[name][seed] = contestants[name](seed)()
            reruns[name] += 1
    typical = {n: statistics.median(r.median_epoch for r in runs[n].values()) for n in contestants}
    return runs, reruns, typical


def summary(values: list[float], fmt: str) -> str:
    return f"{format(statistics.median(values), fmt)} ({format(min(values), fmt)}-{format(max(values), fmt)})"


def bench_digits(batch_size: int, data, tensors) -> dict[str, float]:
    orders_np = {}
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        orders_np[seed] = [shuffled_batches(len(data.x_train), batch_size, rng) for _ in range(MAX_EPOCHS)]
    contestants: dict[str, Callable[[int], Callable[[], Run]]] = {
        "cnnlib": lambda seed: lambda: run_cnnlib(seed, data, orders_np[seed]),
    }
    if torch is not None:
        orders_t = {s: [[torch.from_numpy(b) for b in e] for e in o] for s, o in orders_np.items()}
        initial = {seed: torch_initial_weights(seed) for seed in SEEDS}
        contestants["torch"] = lambda seed: lambda: run_torch(initial[seed], tensors, orders_t[seed])
    for make in contestants.values():  # warm-up: first calls pay for lazy initialisation
        time.sleep(PAUSE)
        make(0)()
    runs, reruns, typical = measure(contestants)

    print(
        f"\nbatch {batch_size}: {len(data.x_train)} training images, {len(orders_np[0][0])} steps per epoch"
    )
    header = f"{'seed':>4}" + "".join(
        f"  {name + ' epochs':>14} {name + ' s to 98%':>15} {name + ' ms/epoch':>16}" for name in contestants
    )
    print(header)
    print("-" * len(header))
    for seed in SEEDS:
        row = f"{seed:>4}"
        for name in contestants:
            run = runs[name][seed]
            mark = "" if run.reached else "!"
            flag = "*" if run.disturbed(typical[name]) else ""
            row += (
                f"  {len(run.epochs):>13}{mark:1} {run.time_to_target:>14.3f}{flag:1} "
                f"{1e3 * statistics.median(run.epochs):>16.1f}"
            )
        print(row)
    results = {}
    for name in contestants:
        rs = list(runs[name].values())
        to_target = [r.time_to_target for r in rs]
        epochs = [len(r.epochs) for r in rs]
        per_epoch = [1e3 * statistics.median(r.epochs) for r in rs]
        unreached = sum(not r.reached for r in rs)
        print(
            f"{name:>7}: time to 98 % {summary(to_target, '.3f')} s, epochs {summary(epochs, 'd')}, "
            f"per epoch {summary(per_epoch, '.1f')} ms; reruns of disturbed runs: {reruns[name]}"
            + (f"; {unreached} runs never reached 98 % in {MAX_EPOCHS} epochs (!)" if unreached else "")
        )
        results[name + " to target"] = statistics.median(to_target)
        results[name + " per epoch"] = statistics.median(per_epoch)
    if torch is not None:
        r1 = results["cnnlib to target"] / results["torch to target"]
        r2 = results["cnnlib per epoch"] / results["torch per epoch"]
        print(f"cnnlib / torch (medians): time to 98 % {r1:.2f}, time per epoch {r2:.2f}  (target <= 1.0)")
        results.update(ratio_to_target=r1, ratio_per_epoch=r2)
    return results


def faces_network(seed: int) -> Sequential:
    return Sequential(
        [
            Conv2D(1, 8, 3, padding=1),
            ReLU(),
            MaxPool2D(2),
            Conv2D(8, 16, 3, padding=1),
            ReLU(),
            MaxPool2D(2),
            Flatten(),
            Dense(6 * 6 * 16, 2),
        ],
        input_shape=(25, 25, 1),
        seed=seed,
    )


FACE_EPOCHS, FACE_BATCH, FACE_LR = 15, 16, 1e-2


def bench_faces() -> None:
    faces = load_faces()
    print(
        f"\nfaces vs non-faces (lfw_subset, {len(faces.x_train)} training / {len(faces.x_test)} held-out "
        f"images of 25x25): conv 3x3 -> 8, ReLU, pool, conv 3x3 -> 16, ReLU, pool, dense 576 -> 2; "
        f"Adam {FACE_LR}, batch {FACE_BATCH}, {FACE_EPOCHS} epochs"
    )

    def train(seed: int) -> Callable[[], Run]:
        def run() -> Run:
            start = time.perf_counter()
            model = faces_network(seed)
            optimizer = Adam(model, lr=FACE_LR)
            result = Run(time.perf_counter() - start)
            rng = np.random.default_rng(seed)
            for _ in range(FACE_EPOCHS):
                start = time.perf_counter()
                batches = shuffled_batches(len(faces.x_train), FACE_BATCH, rng)
                train_epoch(model, optimizer, faces.x_train, faces.y_train, batches)
                result.epochs.append(time.perf_counter() - start)
            start = time.perf_counter()
            _, accuracy = evaluate(model, faces.x_test, faces.y_test)
            result.epochs[-1] += time.perf_counter() - start
            result.accuracy.append(accuracy)
            return result

        return run

    runs, reruns, _ = measure({"faces": train})
    accuracies = [100 * r.accuracy[-1] for r in runs["faces"].values()]
    seconds = [r.time_to_target for r in runs["faces"].values()]
    for seed, accuracy, took in zip(SEEDS, accuracies, seconds):
        print(f"  seed {seed}: held-out accuracy {accuracy:.1f} % in {took:.3f} s")
    print(
        f"  faces: held-out accuracy {summary(accuracies, '.1f')} %, "
        f"training time {summary(seconds, '.3f')} s "
        f"(target >= 90 %: {'met' if statistics.median(accuracies) >= 90 else 'NOT met'}); "
        f"reruns of disturbed runs: {reruns['faces']}"
    )


def machine_info(threads: int) -> list[str]:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    lines = [
        f"CPU: {cpu}, {os.cpu_count()} logical cores, {threads} threads used by each library",
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"torch {torch.__version__ if torch is not None else 'not installed'}",
    ]
    for pool in threadpool_info():
        lines.append(
            f"{pool['user_api']}: {pool['internal_api']} {pool.get('version')} "
            f"kernel={pool.get('architecture')} threads={pool['num_threads']}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=THREADS, help="threads for every library")
    parser.add_argument("--no-faces", action="store_true", help="skip the faces section")
    args = parser.parse_args()
    threadpool_limits(limits=args.threads)
    if torch is not None:
        torch.set_num_threads(args.threads)
    for line in machine_info(args.threads):
        print(line)

    data = load_digits()
    tensors = None
    if torch is not None:
        tensors = (
            torch.from_numpy(np.ascontiguousarray(data.x_train.transpose(0, 3, 1, 2))),
            torch.from_numpy(data.y_train),
            torch.from_numpy(np.ascontiguousarray(data.x_test.transpose(0, 3, 1, 2))),
            torch.from_numpy(data.y_test),
        )
        batch = np.arange(64)
        ours, theirs = first_losses(0, data, tensors, batch)
        print(f"same start: loss on the first 64 images, seed 0: cnnlib {ours:.6f}, torch {theirs:.6f}")
        if abs(ours - theirs) > 1e-4:
            raise SystemExit(
                "cnnlib's and PyTorch's networks differ at the start: the comparison would be unfair"
            )
    print(
        f"protocol: seeds {SEEDS.start}-{SEEDS.stop - 1}, runs alternating between libraries, "
        f"{PAUSE} s pause before each;\ntime = building + every epoch with its test evaluation until test "
        "accuracy >= 98 %;"
    )
    print(
        f"a run is disturbed (and rerun, up to {RETRIES} rounds) when an epoch took > {STALL_FACTOR:g}x the "
        f"run's median epoch + {1e3 * STALL_SLACK:g} ms, building > {1e3 * BUILD_LIMIT:g} ms, or its median "
        f"epoch > {SLOW_FACTOR:g}x its library's median; '*' marks one still disturbed, '!' one that never "
        "reached 98 %"
    )
    verdicts = []
    for batch_size in BATCH_SIZES:
        results = bench_digits(batch_size, data, tensors)
        if "ratio_to_target" in results:
            worst = max(results["ratio_to_target"], results["ratio_per_epoch"])
            verdicts.append(
                f"batch {batch_size}: time to 98 % {results['ratio_to_target']:.2f}x torch, "
                f"per epoch {results['ratio_per_epoch']:.2f}x ({'met' if worst <= 1.0 else 'NOT met'})"
            )
    if not args.no_faces:
        bench_faces()
    print("\nSUMMARY: " + ("; ".join(verdicts) if verdicts else "torch not installed: no comparison"))


if __name__ == "__main__":
    main()
