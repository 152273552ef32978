"""A big sheet vetted in parts, one process a part: what a part must learn from the whole sheet.

Nearly all of vetting is row by row, so a national roster can be cut into runs of rows and
each run vetted by a process of its own (see vet_parts). A few steps look at the sheet as a
whole: which rows are the header, whether a date column writes year.month numbers, how many
people a note counts, whether anyone has a name, which ID numbers appear twice, which villages
have nobody meeting a slate rule. Each such step calls `across_parts` with what its own rows
say, and goes on with what the whole sheet says, so a sheet read in parts gives what it gives
read whole.

In an ordinary run `across_parts` answers at once from the one part there is. In a part it
asks the process that started the parts, which answers once every part has asked the same
question. So every part must ask the same questions in the same order: a step calls it before
any branch on its own rows' values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# (question, this part's value, combine) → this part's answer; set in a part's process only
Ask = Callable[[str, Any, "Combine | None"], Any]
Combine = Callable[[list[Any]], list[Any]]

_ask: Ask | None = None


def across_parts(question: str, value: Any, combine: Combine | None = None) -> Any:
    """What the whole sheet says, from what each part's rows say (`value`).

    Without `combine`, every part's value, in row order. With it, `combine(values)` is worked out
    once (in the process that started the parts: a module-level function, so it can be named to
    that process) and returns one answer per part; this part gets its own.
    """
    if _ask is None:
        return combine([value])[0] if combine is not None else [value]
    return _ask(question, value, combine)


def in_parts() -> bool:
    """Whether this process vets a part of a sheet (a step may then send less to `across_parts`)."""
    return _ask is not None


def first_part(values: list[Any]) -> list[Any]:
    """Combine: the first part decides for every part (it holds the sheet's top rows)."""
    return [values[0]] * len(values)
