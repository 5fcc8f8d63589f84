"""The product mapping: which national drug code (医保药品代码) a code's product identifier
(7-digit 药品标识码, GTIN-14, MA product part) stands for, and at which packaging level."""

from __future__ import annotations

from collections.abc import Iterable

from catalog_tool.formats.settlements import ProductMapping
from catalog_tool.model.trace import TraceCode


class ProductIndex:
    def __init__(self, mapping: Iterable[ProductMapping] = ()) -> None:
        self._by_id: dict[str, list[ProductMapping]] = {}
        for m in mapping:
            self._by_id.setdefault(m.product_id, []).append(m)

    def drug_codes(self, tc: TraceCode) -> set[str]:
        """National codes the code's product maps to; empty when the product is not in the mapping."""
        return {m.drug_code for m in self._by_id.get(tc.product_id or "", ())}

    def annotate(self, tc: TraceCode) -> list[str]:
        """Fill the packaging level from the mapping where it has one; return the national codes."""
        found = self._by_id.get(tc.product_id or "", [])
        levels = sorted({m.packaging_level for m in found if m.packaging_level})
        if levels:
            tc.packaging_level = "/".join(levels)
        return sorted({m.drug_code for m in found})
