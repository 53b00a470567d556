"""Atomic file installs: a reader (or `mkdocs serve`) never sees half a file or half a folder.

Everything the pipeline writes goes through these two functions: a file is
written beside its destination and renamed over it; a folder is filled under a
temporary name and swapped in as a whole.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


def write_atomic(dest: Path, data: bytes | str) -> Path:
    """Write ``data`` to ``dest`` through a temporary file in the same folder, then rename it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest


def write_json(dest: Path, document: object, compact: bool = False) -> Path:
    """Write ``document`` as JSON (indented, or compact for large arrays), atomically."""
    text = json.dumps(document, separators=(",", ":")) if compact else json.dumps(document, indent=1)
    return write_atomic(dest, text + "\n")


@contextlib.contextmanager
def staged_folder(dest: Path) -> Iterator[Path]:
    """Yield an empty folder beside ``dest``; on success it replaces ``dest`` whole.

    If the ``with`` block raises (or is interrupted), the staged folder is deleted
    and ``dest`` is left exactly as it was.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    try:
        yield tmp
        tmp.chmod(0o755)
        if dest.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
            dest.rename(old / dest.name)
            tmp.rename(dest)
            shutil.rmtree(old)
        else:
            tmp.rename(dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
