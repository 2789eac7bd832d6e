"""cnnlib: the helper package of the course "How computers see".

Modules (import the one you need; nothing heavy is imported here):

- ``cnnlib.data``: the smiley and sample photos (later digits and faces).
- ``cnnlib.pixels``: lesson 01's answers (one module per lesson topic: ``pixels``, ``colour``, ...).
- ``cnnlib.ops``: vectorized CNN operations in pure numpy, with plain-loop references.
- ``cnnlib.plots``: figures for the lessons (matplotlib), a package with one module per topic.
- ``cnnlib.layers``: trainable layers (forward and backward side by side) and ``Sequential``.
- ``cnnlib.losses``, ``cnnlib.optim``: softmax cross-entropy; SGD with momentum and Adam.
- ``cnnlib.gradcheck``: numerical gradients, the oracle for every backward pass.
- ``cnnlib.train``: ``fit`` (shuffled mini-batches, progress, filter snapshots) and ``evaluate``.
- ``cnnlib.checks``: feedback on learners' answers, one module per lesson, and the one judge
  (``run_check``) that notebooks and the grader share.
- ``cnnlib.guard``: lesson answers switched off while a learner's own version is checked.
- ``cnnlib.writing``, ``cnnlib.notebook``: numbers and sums written out for people; whether the
  code runs in a Jupyter kernel.
- ``cnnlib.widgets``: the stepper and the filter explorer (ipywidgets).

Arrays are channels-last everywhere: image (H, W) or (H, W, C), batch (N, H, W, C), filter bank
(F, kh, kw, C), biases (F,). Convolution means cross-correlation (no kernel flip).
"""

__version__ = "0.1.0"
