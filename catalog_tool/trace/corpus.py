"""A seeded generator of realistic and broken trace codes, for correctness tests and benchmarks.

Every family and every way scanners and spreadsheets mangle codes appears: GS1 with and without
parentheses, symbology prefixes and separator spellings, wrong check digits, impossible dates,
over-long lots, 码上放心 codes with wrong prefixes or lengths, MA codes, full-width digits, junk.
"""

from __future__ import annotations

import random

from catalog_tool.trace.gs1 import CSET82, GS, gtin_check_digit

ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
SEPARATORS = (GS, GS, GS, "<GS>", "{FNC1}")
PREFIXES = ("", "", "]d2", "]C1", "]Q3", GS)


def gtin(rng: random.Random, broken: bool = False) -> str:
    """A GTIN-14 of a Chinese (690–699) or foreign product; `broken` gives a wrong check digit."""
    body = str(rng.choice((0, 0, 0, 1, 3))) + str(rng.choice((690, 691, 692, 693, 694, 695, 696, 697, 698, 699, 400, 301, 871))) + "".join(rng.choices("0123456789", k=9))
    check = gtin_check_digit(body)
    if broken:
        check = (check + rng.randint(1, 9)) % 10
    return body + str(check)


def yymmdd(rng: random.Random, broken: bool = False) -> str:
    yy, mm, dd = rng.randint(20, 35), rng.randint(1, 12), rng.choice((0, 0, rng.randint(1, 28)))
    if broken:
        mm, dd = rng.choice(((13, 1), (0, 10), (2, 30), (4, 31), (11, 31), (2, 29 if yy % 4 else 30)))
    return f"{yy:02d}{mm:02d}{dd:02d}"


def text_field(rng: random.Random, lo: int, hi: int, charset: str) -> str:
    return "".join(rng.choices(charset, k=rng.randint(lo, hi)))


def gs1_code(rng: random.Random) -> str:
    """A GS1 element string; about one in five is broken in one way."""
    flaw = rng.choices(("none", "check", "date", "long-lot", "bad-char", "short-gtin"), (80, 6, 6, 3, 3, 2))[0]
    hri = rng.random() < 0.15
    charset = ALNUM + "abcdefxyz" if hri else CSET82
    g = gtin(rng, flaw == "check")
    if flaw == "short-gtin":
        g = g[:rng.randint(8, 13)]
    fixed = [("01", g)] + [(ai, yymmdd(rng, flaw == "date" and ai == "17")) for ai in rng.sample(("17", "11"), rng.randint(0, 2))]
    lot_len = (21, 28) if flaw == "long-lot" else (1, 20)
    variable = [("10", text_field(rng, *lot_len, charset)), ("21", text_field(rng, 1, 20, charset))]
    if rng.random() < 0.1:
        variable.append(("30", str(rng.randint(1, 99))))
    if flaw == "bad-char":
        ai, value = variable[0]
        variable[0] = (ai, value[:3] + rng.choice("#$@[") + value[3:])
    rng.shuffle(variable)
    elements = fixed + variable if rng.random() < 0.8 else variable + fixed
    if flaw == "long-lot" and not hri:
        elements = [e for e in elements if e[0] != "10"] + [e for e in elements if e[0] == "10"]
        elements.insert(len(elements) - 1, elements.pop())
    if hri:
        return "".join(f"({ai}){value}" for ai, value in elements)
    sep = rng.choice(SEPARATORS)
    out = ""
    for i, (ai, value) in enumerate(elements):
        out += ai + value
        if i < len(elements) - 1 and (ai not in ("01", "17", "11") or flaw == "short-gtin" or rng.random() < 0.05):
            out += sep
    return rng.choice(PREFIXES) + out


def msfx_code(rng: random.Random) -> str:
    flaw = rng.choices(("none", "prefix", "length", "letter"), (90, 4, 4, 2))[0]
    code = "8" + "".join(rng.choices("0123456789", k=19))
    if flaw == "prefix":
        code = rng.choice("1234567") + code[1:]
    elif flaw == "length":
        code = code[:rng.choice((18, 19))] if rng.random() < 0.5 else code + "7"
    elif flaw == "letter":
        i = rng.randint(1, 19)
        code = code[:i] + rng.choice("OIlo") + code[i + 1:]
    return code


def ma_code(rng: random.Random) -> str:
    return (f"MA.156.M0.{rng.randint(100000, 999999)}.{rng.randint(10000000, 99999999)}"
            f".S{text_field(rng, 4, 10, ALNUM)}.M{yymmdd(rng)}.L{text_field(rng, 4, 10, ALNUM)}")


def junk(rng: random.Random) -> str:
    kind = rng.randint(0, 6)
    if kind == 0:
        return ""
    if kind == 1:
        return "".join(chr(0xFF10 + int(c)) if c.isdigit() else c for c in msfx_code(rng))
    if kind == 2:
        c = msfx_code(rng)
        return c[:7] + " " + c[7:]
    if kind == 3:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 30))).decode("latin-1")
    if kind == 4:
        return ma_code(rng).lower()
    if kind == 5:
        return gtin(rng)
    return "".join(rng.choices("0123456789", k=rng.choice((5, 10, 16, 24, 41))))


FAMILIES = {"gs1": gs1_code, "msfx": msfx_code, "ma": ma_code, "junk": junk}


def generate(n: int, seed: int = 6, weights: dict[str, float] | None = None) -> list[str]:
    """`n` codes drawn from the families in proportion to `weights` (default: GS1-heavy)."""
    weights = weights or {"gs1": 60, "msfx": 30, "ma": 4, "junk": 6}
    rng = random.Random(seed)
    makers = [FAMILIES[k] for k in weights]
    picks = rng.choices(makers, list(weights.values()), k=n)
    return [make(rng) for make in picks]
