"""Read a spec text (`5ml:100mg/支`, `每片含…`, `粉体室…；液体室…`) for content, volume and dose unit.

Only what the text states plainly is filled in; a spec that names several actives is marked
`compound` (comparable per dose only), never guessed into one content.
"""

from __future__ import annotations

import re
from decimal import Decimal

from catalog_tool.model.pricing import Quantity, SpecPrice

DOSE_UNITS = "片粒支瓶袋贴丸盒人次喷枚揿包剂套"
_NUM = r"\d+(?:\.\d+)?(?:\s*×\s*10(?:E|\^)\d+)?"
_UNIT = r"(?:mg|g|µg|μg|ug|mcg|kg|ml|mL|L|IU|万IU|U|MBq|毫居)"
QTY = re.compile(rf"(?P<num>{_NUM})\s*(?P<unit>{_UNIT})(?![A-Za-z])")
_PAIR = re.compile(rf"(?P<a>{_NUM})\s*(?P<ua>{_UNIT})\s*[:：∶]\s*(?P<b>{_NUM})\s*(?P<ub>{_UNIT})")
_PER_TAIL = re.compile(rf"/\s*(?P<count>\d+)?\s*(?P<unit>[{DOSE_UNITS}])")
_PER_HEAD = re.compile(rf"^(?:每(?P<count>\d+)?(?P<unit>[{DOSE_UNITS}])|1?(?P<visit>人次))")
_RANGE = re.compile(rf"{_NUM}\s*{_UNIT}?\s*[-~～]\s*{_NUM}\s*{_UNIT}")
_PACK = re.compile(rf"(?P<num>{_NUM})\s*(?P<unit>{_UNIT})\s*[×xX*＊]\s*(?P<n>\d+)\s*(?P<du>[{DOSE_UNITS}])")
_VARIANT = re.compile(r"^(?P<v>[^\d:：(（/]{2,8}式)\s*[:：]")
_NOTE = re.compile(r"[(（](?:按|以|相当于|抗)[^()（）]*[)）]")
VOLUME_UNITS = {"ml", "mL", "L"}


def number(text: str) -> Decimal:
    """`1.0×10E7` and `4.0×10^7` as Decimals."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(?:\s*×\s*10(?:E|\^)(\d+))?", text.strip())
    if not m:
        raise ValueError(text)
    value = Decimal(m[1])
    return value.scaleb(int(m[2])) if m[2] else value


def _q(num: str, unit: str) -> Quantity:
    return Quantity(value=number(num), unit=unit)


def interpret(price: SpecPrice) -> SpecPrice:
    """Fill content, volume, variant, dose unit and flags of a price from its spec text."""
    spec = price.spec
    found: dict = {}
    v = _VARIANT.match(spec)
    if v:
        found["variant"] = v["v"]
    if price.per_unit is None:
        head, tails = _PER_HEAD.match(spec), list(_PER_TAIL.finditer(spec))
        m = tails[-1] if tails else head
        if m:
            found["per_unit"] = m["unit"] or m["visit"]
            if m["count"]:
                found["per_count"] = Decimal(m["count"])
    if "粉体室" in spec:
        found["two_chamber"] = True
        powder = spec.split("液体室")[0]
        masses = [q for q in QTY.finditer(powder) if q["unit"] not in VOLUME_UNITS]
        if masses:
            found["content"] = _q(masses[0]["num"], masses[0]["unit"])
        return price.model_copy(update=found)
    pack = _PACK.search(spec)
    if pack and not re.search(r"[与和,，、]", spec):  # `10mg×7片/盒`: a box of 7 pieces, 70 mg in all
        n = Decimal(pack["n"])
        return price.model_copy(update=found | {"per_unit": pack["du"], "per_count": n,
                                                "content": Quantity(value=number(pack["num"]) * n, unit=pack["unit"])})
    plain = _NOTE.sub("", spec)
    if _RANGE.search(plain):  # `185MBq-1110MBq`: no single content
        return price.model_copy(update=found)
    plain = re.sub(r"[(（][^()（）]*(?:与|和)[^()（）]*[)）]", "", plain)  # `2.5g(A 2.0g与B 0.5g)`
    pair = _PAIR.search(plain)
    quantities = [(q["num"], q["unit"]) for q in QTY.finditer(plain)]
    if pair:
        first_is_volume = pair["ua"] in VOLUME_UNITS
        if first_is_volume:
            found["volume"] = _q(pair["a"], pair["ua"])
        found["content"] = _q(pair["b"], pair["ub"])
        quantities = [q for q in quantities if q not in ((pair["a"], pair["ua"]), (pair["b"], pair["ub"]))]
    masses = [q for q in quantities if q[1] not in VOLUME_UNITS]
    volumes = [q for q in quantities if q[1] in VOLUME_UNITS]
    if "volume" not in found and volumes:
        found["volume"] = _q(*volumes[0])
    if "content" in found:
        if masses and re.search(r"[与和,，]", plain):
            found.update(compound=True, content=None, components=[_q(*m) for m in masses])
    elif len(masses) == 1 or (len(masses) > 1 and not re.search(r"[与和,，、]", plain)):
        found["content"] = _q(*masses[0])
    elif len(masses) > 1:
        found.update(compound=True, components=[_q(*m) for m in masses])
    return price.model_copy(update=found)
