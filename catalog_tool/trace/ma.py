"""MA codes (中国物品编码中心 MA issuing agency, used for UDI): `MA.156.M0.100761.21234561` is the
product part (UDI-DI); `.L` lot, `.S` serial, `.M` production date, `.V`/`.E` expiry follow."""

from __future__ import annotations

import re
from datetime import date

from catalog_tool.model.trace import Reason, TraceCode
from catalog_tool.trace.gs1 import gs1_date

_DI = re.compile(r"MA\.\d{3}\.[A-Z0-9]{2}\.\d{1,10}\.[A-Za-z0-9]{1,20}$", re.IGNORECASE)
_QUALIFIERS = {"L": "lot", "S": "serial", "M": "production date", "V": "expiry", "E": "expiry", "D": "date"}


def parse_ma(result: TraceCode, text: str, today: date | None = None) -> None:
    """Fill `result` from an MA code; append reasons for what does not fit."""
    parts = text.split(".")
    di = ".".join(parts[:5])
    if len(parts) < 5 or not _DI.match(di):
        result.reasons.append(Reason(code="ma-bad-di", message="MA product part must look like MA.156.M0.100761.21234561"))
        return
    result.product_id = di
    for part in parts[5:]:
        q, value = part[:1].upper(), part[1:]
        if q not in _QUALIFIERS or not value or not value.isascii() or not value.isalnum():
            result.reasons.append(Reason(code="ma-bad-qualifier", message=f"cannot read qualifier .{part}"))
            continue
        if q in "MVE":
            try:
                day = gs1_date(value[-6:], today) if len(value) == 6 else date(int(value[:4]), int(value[4:6]), int(value[6:8]))
            except ValueError:
                result.reasons.append(Reason(code="bad-date", message=f".{part}: not a date (YYMMDD or YYYYMMDD)"))
                continue
            if q == "M":
                result.production_date = day
            else:
                result.expiry = day
        elif q == "L":
            result.lot = value
        elif q == "S":
            result.serial = value
    if result.serial is None:
        result.reasons.append(Reason(code="ma-no-serial", message="no .S serial: the code names a product, not one box"))
