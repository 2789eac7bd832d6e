"""Time the widgets' updates: what one slider change costs, computed and drawn.

Run from the repository root:

    .venv/bin/python benchmarks/bench_widgets.py      # or: make bench

Each update is driven through the same callback a slider calls (no browser: the time a browser
takes to show a new JPEG of 260 px is not included). The reference run in the same process is
what a widget built the usual way does on every change: redraw a matplotlib figure with the same
four 512x512 panels and encode it as PNG (the inline backend's path). The target is 50 ms per
update for a 512x512 photo.
"""

from __future__ import annotations

import io
import os
import platform
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from threadpoolctl import threadpool_limits

from cnnlib import data, ops, plots, widgets

TARGET_MS = 50.0
UPDATES = 40


def _times(update, count: int = UPDATES) -> list[float]:
    update(0)  # warm up
    times = []
    for k in range(count):
        start = time.perf_counter()
        update(k)
        times.append((time.perf_counter() - start) * 1000)
    return times


def _row(name: str, times: list[float], reference: list[float] | None = None) -> str:
    median = statistics.median(times)
    p90 = sorted(times)[int(0.9 * (len(times) - 1))]
    ratio = f"{median / statistics.median(reference):8.2f}" if reference else " " * 8
    verdict = "met" if median <= TARGET_MS else "MISSED"
    return f"{name:46s} {median:8.1f} {p90:8.1f} {ratio}   {verdict}"


def main() -> None:
    explorer = widgets.FilterExplorer(photos=("camera", "astronaut"))
    assert explorer.widget is not None  # build the ipywidgets (no front end needed to set their values)
    values = np.linspace(-2, 2, 9)

    def slide(k: int) -> None:
        explorer.sliders[k % 9].value = float(values[(k * 5) % 9]) + 0.01 * k

    presets = [*widgets.PRESETS, "random"]

    def preset(k: int) -> None:
        explorer.preset_menu.value = presets[k % len(presets)]
        if explorer.preset_menu.value == presets[(k - 1) % len(presets)]:
            explorer.apply_preset(presets[k % len(presets)])

    # the usual way: one matplotlib figure with the same panels, redrawn and encoded per change
    figure, axes = plt.subplots(1, 4, figsize=(13, 3.4), dpi=80)
    maps = explorer.compute()
    images = [ax.imshow(array, cmap="gray") for ax, array in zip(axes, maps.values())]

    def matplotlib_redraw(k: int) -> None:
        kernel = explorer.kernel.copy()
        kernel[1, 1] += 0.01 * k
        feature = ops.conv2d(explorer.image, kernel)  # valid, as the explorer computes it
        after = ops.relu(feature)
        for image, array in zip(images[1:], (feature, after, ops.max_pool2d(after, 2))):
            image.set_data(array)
            image.set_clim(float(array.min()), float(array.max()) + 1e-6)
        images[1].set_cmap(plots.DIVERGING)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")

    colour = widgets.FilterExplorer(photos=("astronaut",), preset="red - green", colour=True)
    assert colour.widget is not None

    def slide_colour(k: int) -> None:
        colour.sliders[k % 9].value = float(values[(k * 5) % 9]) + 0.01 * k

    face = data.smiley()
    stepper = widgets.SlidingWindowStepper(
        lambda image, kernel: ops.conv2d(image, kernel), face, np.array([[1, 2], [3, -1]])
    )
    assert stepper.widget is not None
    photo = data.load_image("camera")
    big = widgets.SlidingWindowStepper(
        lambda image, kernel: ops.conv2d(image, kernel), photo, np.ones((3, 3)) / 9
    )
    assert big.widget is not None

    # lesson 10's digit pad on the digit CNN, trained as lesson 09 trains it: one click per update
    from cnnlib.layers import digits_cnn
    from cnnlib.train import fit

    digits = data.load_digits()
    digit_net = digits_cnn(seed=0)
    history = fit(
        digit_net,
        digits.x_train,
        digits.y_train,
        epochs=10,
        seed=0,
        progress=False,
        snapshot_steps=range(0, 300, 20),
    )
    pad = widgets.DigitPad(digit_net, digits.x_test[0])
    assert pad.widget is not None

    def click(k: int) -> None:
        pad.cells[(k * 11) % 64].click()

    # lesson 09's slider over the first-layer filter snapshots (with one digit's maps)
    snapshots = widgets.FilterSnapshots(history, digit=digits.x_test[0])
    assert snapshots.widget is not None

    def next_snapshot(k: int) -> None:
        snapshots.slider.value = snapshots.steps[(k + 1) % len(snapshots.steps)]

    # lesson 08's receptive-field explorer: the corner network without padding on an 80 x 80 crop
    crop = photo[100:180, 200:280]
    stack = [("conv", 4, 3, 1, 0), ("pool", 2, 2), ("conv", 4, 3, 1, 0), ("pool", 2, 2)]
    fields = widgets.ReceptiveFieldExplorer(crop, stack, layer=4, row=9, col=12)
    assert fields.widget is not None

    def move_unit(k: int) -> None:
        fields.row_slider.value = (fields.row_slider.value + 1) % (fields.row_slider.max + 1)

    with threadpool_limits(2):
        reference = _times(matplotlib_redraw, 15)
        rows = [
            _row("explorer: one filter slider, camera 512x512", _times(slide), reference),
            _row("explorer: a preset (nine sliders, one redraw)", _times(preset, 12), reference),
            _row("explorer in colour: one slider, astronaut 512x512x3", _times(slide_colour), reference),
            _row(
                "stepper: next position, smiley 8x8",
                _times(lambda k: stepper.show_position(k % stepper.count)),
            ),
            _row("stepper: next position, camera 512x512", _times(lambda k: big.show_position(1000 * k))),
            _row("digit pad: one click, trained digit CNN", _times(click)),
            _row("filter snapshots: next step, 16 filters + maps", _times(next_snapshot)),
            _row("receptive fields: next unit, 80x80 and 4 layers", _times(move_unit)),
            _row("reference: matplotlib figure redrawn as PNG", reference),
        ]
    print(
        f"widgets benchmark, {time.strftime('%Y-%m-%d')}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, numpy {np.__version__}, matplotlib {matplotlib.__version__}"
    )
    print(f"{'update':46s} {'median':>8s} {'p90':>8s} {'vs ref':>8s}   target <= {TARGET_MS:.0f} ms")
    print("-" * 90)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
