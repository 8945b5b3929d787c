"""How many examples a property test draws.

`make test` draws each property test's full count. `make test-fast` (the edit-test loop) sets
BORDERWATCH_EXAMPLES_SCALE to draw a fraction of it: the same properties are checked, on fewer
generated inputs, and the full count still runs before anything lands. Counts never drop below
ten, so a scaled test still explores."""

from __future__ import annotations

import os


def examples(n: int) -> int:
    """The number of examples for a test whose full count is `n`."""
    scale = float(os.environ.get("BORDERWATCH_EXAMPLES_SCALE", "1"))
    return max(10, round(n * scale)) if scale < 1 else n
