"""TensorFlow's start-up, without the native log lines a reader would take for errors.

Importing TensorFlow (and, through tensorflowjs, JAX beside it) makes their C++ code print
straight to the process's stderr, before any Python logging is set up: "Unable to register
cuDNN factory", "computation placer already registered", absl's notice about its own log. On
a machine without a GPU they mean nothing, yet they look like failures. They are written to
file descriptor 2, so Python's ``sys.stderr`` cannot filter them: the descriptor itself is
redirected while the libraries load, and every line that is not such a notice is printed
afterwards, as it came.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Iterator

# Start-up notices of TensorFlow's, XLA's and JAX's native code on a CPU-only machine.
NOISE = re.compile(
    r"All log messages before absl::InitializeLog|Unable to register cu(DNN|BLAS|FFT) factory"
    r"|computation placer already registered|TF-TRT Warning|oneDNN custom operations are on"
    r"|This TensorFlow binary is optimized to use available CPU instructions|rebuild TensorFlow with"
    r"|cuda_(dnn|blas|fft)\.cc|Could not find cuda drivers|failed call to cuInit"
)


@contextlib.contextmanager
def native_noise_filtered() -> Iterator[None]:
    """Run the body with fd 2 captured; then print back each captured line that is not a known notice."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            for line in captured.read().decode(errors="replace").splitlines():
                if line.strip() and not NOISE.search(line):
                    print(line, file=sys.stderr)


def import_tensorflow() -> None:
    """Import TensorFlow, tf_keras and the TF.js converter once, quietly (see the module's docstring)."""
    with native_noise_filtered():
        import tensorflow  # noqa: F401
        import tensorflowjs  # noqa: F401
        import tf_keras  # noqa: F401
