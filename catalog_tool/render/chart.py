"""Distribution charts: a PNG histogram (matplotlib, Agg, imported only when drawn) and a
terminal histogram of the same bins."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

BINS = [i / 10 for i in range(-2, 11)]  # drops from −20% to 100% in 10-point bins


def bin_counts(values: list[Decimal], bins: list[float] = BINS) -> list[tuple[str, int]]:
    """(label, count) per bin [low, high); the last bin includes its top; values outside are put in the edge bins."""
    counts = [0] * (len(bins) - 1)
    for v in values:
        x = min(max(float(v), bins[0]), bins[-1])
        i = min(next((k for k in range(len(bins) - 1) if x < bins[k + 1]), len(bins) - 2), len(bins) - 2)
        counts[i] += 1
    return [(f"{bins[i] * 100:.0f}–{bins[i + 1] * 100:.0f}%", c) for i, c in enumerate(counts)]


def terminal_histogram(values: list[Decimal], width: int = 40) -> str:
    counts = bin_counts(values)
    top = max((c for _, c in counts), default=0) or 1
    return "\n".join(f"{label:>10} {'█' * round(c * width / top)} {c}" for label, c in counts if c or label)


def histogram_png(values: list[Decimal], path: Path, title: str) -> None:
    """Write a PNG histogram of `values` (fractions) atomically."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from catalog_tool.formats.canonical import atomic_output

    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    ax.hist([float(v) * 100 for v in values], bins=[b * 100 for b in BINS], color="#3b75af", edgecolor="white")
    ax.set_xlabel("price drop (%)")
    ax.set_ylabel("drugs")
    ax.set_title(title)
    fig.tight_layout()
    with atomic_output(path, "wb") as fh:
        fig.savefig(fh, format="png")
    plt.close(fig)
