"""``python -m train.figures [WORD ...]``: write every generated figure, or those whose path contains a WORD."""

from train.figures.outputs import main

raise SystemExit(main())
