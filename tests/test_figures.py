"""The tutorial's figures are generated, never drawn: the command rewrites each committed file byte for byte."""

from __future__ import annotations

import pytest

from train import figures
from train.metadata import DOCS

GENERATED = sorted(
    p.relative_to(DOCS).as_posix() for folder in ("assets/generated", "assets/icons") for p in (DOCS / folder).iterdir()
)


def test_every_generated_file_has_a_command():
    assert GENERATED and set(GENERATED) <= set(figures.OUTPUTS), set(GENERATED) - set(figures.OUTPUTS)
    for path in figures.OUTPUTS:
        assert (DOCS / path).is_file(), f"docs/{path} is not committed; run python -m train.figures"


@pytest.mark.parametrize("path", sorted(figures.OUTPUTS))
def test_the_committed_figure_is_what_the_command_writes(path):
    made = figures.OUTPUTS[path]()
    made = made.encode() if isinstance(made, str) else made
    assert made == (DOCS / path).read_bytes(), f"docs/{path} is stale: run python -m train.figures {path}"
