"""Generate the sample hospital formulary of the README walk-through from the embedded sample editions
(datasets/drugs-2024, datasets/drugs-2025): a few hundred items the way a hospital's HIS exports them,
some deliberately wrong. Seeded: running it again writes the same files.

    python bench/gen_formulary.py            # writes datasets/samples/hospital-formulary.{xlsx,csv}

The CSV is GBK (as HIS exports are) and carries the codes Excel mangled as text (8.69E+13); the XLSX
holds some codes as numbers. The deliberate errors are listed in datasets/samples/hospital-formulary.md.
"""

from __future__ import annotations

import csv
import random
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
OUT = DATASETS / "samples"
HEADER = ["院内编码", "医保代码", "药品名称", "剂型", "规格", "单价", "是否在用"]

# How a hospital writes a drug of an NRDL form group: name suffix, its 剂型 column, a spec.
FORMS = {
    "口服常释剂型": [("片", "片剂", "{s}mg*24片"), ("胶囊", "胶囊剂", "{s}mg*20粒")],
    "缓释控释剂型": [("缓释片", "缓释片", "{s}mg*14片")],
    "注射剂": [("注射液", "注射剂", "{s}mg:2ml*5支"), ("@注射用", "注射用无菌粉末", "{s}mg/瓶")],
    "颗粒剂": [("颗粒", "颗粒剂", "10g*9袋")],
    "丸剂": [("丸", "丸剂", "6g*10丸")],
    "口服液体剂": [("口服溶液", "口服溶液剂", "100ml/瓶")],
    "吸入剂": [("吸入气雾剂", "气雾剂", "200揿/瓶")],
    "口服散剂": [("散", "散剂", "1g*10袋")],
}
FORM_WORDS = ("片", "胶囊", "颗粒", "丸", "注射液", "液", "剂", "散", "膏", "包装")


def load(edition: str) -> list[dict]:
    with open(DATASETS / edition / "drugs.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def removed_names() -> set[str]:
    """Names the intended-change list of drugs-2025 marks as removed (调出)."""
    text = (DATASETS / "CHANGES-drugs-2025.md").read_text(encoding="utf-8")
    part = text.split("## removed", 1)[1].split("\n## ", 1)[0]
    return {line.split("|")[1].strip() for line in part.splitlines()
            if line.startswith("| ") and not line.startswith("| 药品名称")}


def fake_code(rng: random.Random, row: dict) -> str:
    """A code of the right shape for an NRDL row that carries none (the hospital's 对码 result)."""
    cat = (row["category_code"] or ("X" if row["medicine_type"] == "西药" else "Z") + "A01AA").ljust(6, "A")[:6]
    letters = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(1))
    return f"{cat}{letters}{rng.randint(100, 999)}A{rng.randint(1, 9):03d}{rng.randint(10, 99)}01{rng.randint(10, 99)}{rng.randint(100, 9999):04d}"[:23]


def hospital_name(rng: random.Random, row: dict) -> tuple[str, str, str]:
    """(name, 剂型, 规格) as the hospital writes them."""
    name, form = row["name"], row["dosage_form"]
    strength = rng.choice(["5", "10", "20", "25", "50", "100", "250", "500"])
    if name.endswith(FORM_WORDS) or name.startswith("注射用") or form not in FORMS:
        return name, form or "", rng.choice(["10g*6袋", "0.3g*36粒", "1盒", "100ml/瓶"])
    suffix, hform, spec = rng.choice(FORMS[form])
    full = f"注射用{name}" if suffix.startswith("@") else name + suffix
    return full, hform, spec.format(s=strength)


def price(rng: random.Random, row: dict) -> Decimal:
    from catalog_tool.formulary.normalise import leading_amount

    std = leading_amount(row["payment_standard"])
    if std is not None:
        return (std * Decimal(rng.choice(["0.8", "0.9", "1"]))).quantize(Decimal("0.01"))
    return Decimal(rng.randint(150, 9000)) / 100


def build(seed: int = 20251207) -> tuple[list[list[str]], list[str]]:
    rng = random.Random(seed)
    cur, prev = load("drugs-2025"), load("drugs-2024")
    drugs = [r for r in cur if r["section"] not in ("中药饮片部分", "不得纳入基金支付范围的中药饮片")]
    items: list[list[str]] = []
    story: list[str] = []
    n = 0

    def add(code: str, name: str, form: str, spec: str, amount: Decimal | str, stocked: str = "是") -> int:
        nonlocal n
        n += 1
        items.append([f"YP{n:05d}", code, name, form, spec, str(amount), stocked])
        return len(items) + 1  # spreadsheet row

    by_name = {r["name"]: r for r in drugs}
    for r in drugs:
        name, form, spec = hospital_name(rng, r)
        add(r["code"] or fake_code(rng, r), name, form, spec, price(rng, r))
    # removed in 2025: still stocked under the 2024 mapping
    for r in prev:
        if r["name"] in removed_names() and r["section"] not in ("中药饮片部分", "不得纳入基金支付范围的中药饮片"):
            name, form, spec = hospital_name(rng, r)
            row = add(r["code"] or fake_code(rng, r), name, form, spec, price(rng, r))
            story.append(f"| {row} | removed | {name}: in drugs-2024, not in drugs-2025 |")
    # class changes (甲 ↔ 乙) come with the regular items; listed for the walk-through
    prev_class = {(r["name"], r["dosage_form"]): r["drug_class"] for r in prev}
    for i, r in enumerate(drugs):
        old = prev_class.get((r["name"], r["dosage_form"]))
        if old and r["drug_class"] and old != r["drug_class"]:
            story.append(f"| {i + 2} | class_changed | {items[i][2]}: {old}类 → {r['drug_class']}类 |")
    # VBP: the winner product of 瑞舒伐他汀 is listed but not in use; another maker's is stocked
    for i, r in enumerate(drugs):
        if r["name"] == "瑞舒伐他汀" and r["code"]:
            items[i][6] = "否"
            row = add("", "瑞舒伐他汀钙片", "片剂", "10mg*28片", "12.60")
            story.append(f"| {row} | vbp_not_stocked | 瑞舒伐他汀钙片 (no code) stocked; the VBP winner "
                         f"{r['code']} (row {i + 2}) is not in use |")
    # former codes (曾用码): mapped before the code changed
    for r in cur:
        if r["former_codes"]:
            row = add(r["former_codes"].split(";")[0], *hospital_name(rng, r), price(rng, r))
            story.append(f"| {row} | code_former | {r['name']}: mapped to the former code {r['former_codes']} |")
    # wrong mappings: another drug's code, or a code of another dosage form
    coded = [r for r in drugs if r["code"]]
    for a, b in [(coded[0], coded[5]), (coded[3], coded[12]), (coded[7], coded[9])]:
        name, form, spec = hospital_name(rng, a)
        row = add(b["code"], name, form, spec, price(rng, a))
        story.append(f"| {row} | wrong_mapping | {name} mapped to {b['code']} ({b['name']}) |")
    inj = next(r for r in coded if r["dosage_form"] == "注射剂")
    row = add(inj["code"], f"{inj['name']}片", "片剂", "250mg*12片", "18.50")
    story.append(f"| {row} | wrong_mapping | {inj['name']}片 mapped to the 注射剂 code {inj['code']} |")
    # unknown codes: right shape, not in the edition
    for r in rng.sample(coded, 4):
        bad = r["code"][:-4] + f"{rng.randint(1000, 9999)}"
        row = add(bad, *hospital_name(rng, r), price(rng, r))
        story.append(f"| {row} | code_unknown | {r['name']}: {bad} is not a code of the edition |")
    # malformed code, Excel scientific notation, full-width and spaces
    r = rng.choice(coded)
    row = add(r["code"][:15], *hospital_name(rng, r), price(rng, r))
    story.append(f"| {row} | code_malformed | {r['name']}: code cut to 15 characters |")
    for r in rng.sample(drugs, 4):
        sci = f"{rng.randint(100, 999) / 100:.2f}E+{rng.randint(13, 19)}"
        row = add(sci, *hospital_name(rng, r), price(rng, r))
        story.append(f"| {row} | excel_quirk (error) | {r['name']}: code turned into {sci} by Excel |")
    for r in rng.sample(coded, 2):
        fw = r["code"][:6].translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)}) + " " + r["code"][6:] + " "
        name, form, spec = hospital_name(rng, r)
        row = add(fw, name.replace("(", "（").replace(")", "）") + " ", form, spec, price(rng, r))
        story.append(f"| {row} | excel_quirk (info) | {r['name']}: full-width code characters and stray spaces |")
    # unmapped (no code), a typo in the name, out-of-catalog drugs
    for r in rng.sample(drugs, 3):
        row = add("", *hospital_name(rng, r), price(rng, r))
        story.append(f"| {row} | unmapped | {r['name']}: 医保代码 left empty |")
    typo = by_name.get("阿托伐他汀") or coded[1]
    row = add("", "阿托伐他丁钙片", "片剂", "20mg*7片", "9.80")
    story.append(f"| {row} | self_pay (suggestions) | 阿托伐他丁钙片: misspelt {typo['name']}, no code |")
    for name, form in [("西地那非片", "片剂"), ("复方甘草酸苷胶囊", "胶囊剂"), ("维生素E软胶囊", "胶囊剂")]:
        row = add(fake_code(rng, {"category_code": "XG04BE", "medicine_type": "西药"}), name, form, "100mg*10片", "35.00")
        story.append(f"| {row} | code_unknown | {name}: not in the catalog, a code of no listed product |")
    # price above the payment standard
    from catalog_tool.formulary.normalise import leading_amount

    for r in [r for r in drugs if leading_amount(r["payment_standard"])][:3]:
        name, form, spec = hospital_name(rng, r)
        over = (leading_amount(r["payment_standard"]) * Decimal("1.25")).quantize(Decimal("0.01"))
        row = add(r["code"] or fake_code(rng, r), name, form, spec, over)
        story.append(f"| {row} | price_above_standard | {name} at {over}, standard {r['payment_standard']} |")
    # duplicate local codes
    for i in (10, 40, 90):
        items[i + 1][0] = items[i][0]
        story.append(f"| {i + 3} | duplicate_local_code | {items[i][0]} also on row {i + 2} |")
    return items, story


def main() -> None:
    sys.path.insert(0, str(ROOT))
    items, story = build()
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "hospital-formulary.csv", "w", encoding="gbk", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows([HEADER, *items])
    import xlsxwriter

    from datetime import datetime

    wb = xlsxwriter.Workbook(str(OUT / "hospital-formulary.xlsx"))
    wb.set_properties({"created": datetime(2026, 1, 5, 8, 0, 0)})  # fixed: the same bytes every run
    ws = wb.add_worksheet("药品目录")
    ws.write_row(0, 0, HEADER)
    for i, it in enumerate(items, start=1):
        for j, x in enumerate(it):
            if j == 1 and "E+" in x:
                ws.write_number(i, j, float(x))  # Excel keeps the mangled code as a number
            elif j == 5:
                ws.write_number(i, j, float(x))
            else:
                ws.write_string(i, j, x)
    wb.close()
    winners = sorted({it[1] for it in items if it[1].startswith(("XC08CAA040", "XC10AAR033"))})
    (OUT / "vbp-winners.csv").write_text("医保代码\n" + "\n".join(winners) + "\n", encoding="utf-8")
    (OUT / "hospital-formulary.md").write_text(
        "# Sample hospital formulary: the deliberate errors\n\n"
        "Generated by `python bench/gen_formulary.py` (seeded) from the embedded editions drugs-2024 and drugs-2025.\n"
        f"{len(items)} items; rows as the spreadsheet shows them (header = row 1).\n\n"
        "| row | expected finding | what |\n|---|---|---|\n" + "\n".join(story) + "\n", encoding="utf-8")
    print(f"wrote {OUT}/hospital-formulary.xlsx, .csv (GBK), vbp-winners.csv: {len(items)} items, "
          f"{len(story)} deliberate errors")


if __name__ == "__main__":
    main()
