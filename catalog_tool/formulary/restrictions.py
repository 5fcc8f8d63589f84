"""How a restriction (备注, 限定支付范围) is shown in a finding. The default keeps the text verbatim;
a structured parser (a future `catalog_tool.rules`) plugs in by replacing `DESCRIBE` with a function
text → one-line description, e.g. its conditions joined by `；`. Text it cannot structure must still
come back (needs review), never dropped."""

from __future__ import annotations

from collections.abc import Callable


def verbatim(text: str) -> str:
    return text.strip()


DESCRIBE: Callable[[str], str] = verbatim


def describe(text: str) -> str:
    """The restriction as a finding shows it; falls back to the verbatim text on any parser failure."""
    try:
        return DESCRIBE(text) or verbatim(text)
    except Exception:  # a plugged-in parser must never hide the restriction
        return verbatim(text)
