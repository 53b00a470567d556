"""Build caches under ``node_modules/.cache/``, keyed by their inputs, that builds running at once share.

Two builds of the site can run at the same time: the test suite's two workers each build it as they
start, and a maintainer's ``mkdocs serve`` may run beside the tests. Each cached build is therefore
written into a folder of its own beside its place, and renamed into place only when complete:
no build ever reads a half-written one, and where two built the same inputs at once, the first to
finish is kept (they made the same files).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from pathlib import Path


def cached_build(out: Path, complete: str, build: Callable[[Path], None]) -> Path:
    """``out``, made by ``build(folder)`` unless a complete one is there already.

    Args:
        out: Where the build's files belong (its name is the key of its inputs).
        complete: A file that only a complete build has (written last, or renamed in with the rest).
        build: Writes the build's files into the folder it is given (a new, empty path).

    Returns:
        ``out``.
    """
    if (out / complete).is_file():
        return out
    staging = out.with_name(f"{out.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        build(staging)
        if out.is_dir() and not (out / complete).is_file():
            # Left half-written by a build that wrote in place (before this module) and was stopped.
            shutil.rmtree(out, ignore_errors=True)
        try:
            staging.rename(out)
        except OSError:
            # Another build of the same inputs was renamed into place first.
            if not (out / complete).is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out
