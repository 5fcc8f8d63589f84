"""The embedded sample editions: they load on first use, agree with their stated totals, and
differ between editions exactly as their CHANGES lists say (checked through the database)."""

from __future__ import annotations

import re

import pytest

from catalog_tool.formats.layout import LAYOUTS
from catalog_tool.embedded import ensure_embedded, load_manifest
from catalog_tool.model import CatalogKind
from catalog_tool.paths import DATASETS_DIR
from catalog_tool.store import CatalogDB
from catalog_tool.totals import check_totals

EDITIONS = [e["id"] for e in load_manifest()["editions"]]
DRUG_FIELDS = ("code", "section", "medicine_type", "category_code", "category_name", "drug_class", "name",
               "dosage_form", "remarks", "payment_standard", "agreement_start", "agreement_end", "former_codes")


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> CatalogDB:
    database = CatalogDB(tmp_path_factory.mktemp("embedded") / "catalog.sqlite")
    ensure_embedded(database)
    yield database
    database.close()


def changes(kind: str, edition: str) -> dict[str, list[list[str]]]:
    """The tables of `datasets/CHANGES-<kind>-<edition>.md`, by `## kind` heading (or first column)."""
    out: dict[str, list[list[str]]] = {}
    heading = None
    for line in (DATASETS_DIR / f"CHANGES-{kind}-{edition}.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            heading = line[3:].split(":")[0].strip()
        elif line.startswith("| ") and not line.startswith("| kind") and not line.startswith("| 药品名称"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(cells) < 3:  # the count summary
                continue
            key = heading or cells[0]
            out.setdefault(key, []).append(cells if heading else cells[1:])
    return out


def drug_rows(db: CatalogDB, edition: str) -> dict[tuple, dict]:
    cols = ", ".join(DRUG_FIELDS)
    rows = db.query(f"SELECT {cols} FROM drug_item WHERE edition_id=?", (edition,))
    return {(r[2], r[6], r[7] or ""): dict(zip(DRUG_FIELDS, r)) for r in rows}


@pytest.fixture(scope="module")
def drugs(db):
    return drug_rows(db, "drugs-2024"), drug_rows(db, "drugs-2025"), changes("drugs", "2025")


def one(rows: dict[tuple, dict], name: str, form: str) -> dict:
    hits = [r for (_, n, f), r in rows.items() if n == name and f == form]
    assert len(hits) == 1, (name, form, hits)
    return hits[0]


# -- loading and totals -------------------------------------------------------------------------
def test_manifest_lists_six_editions_two_per_catalog():
    kinds = sorted(e["kind"] for e in load_manifest()["editions"])
    assert kinds == sorted([k.value for k in CatalogKind] * 2)
    assert "nrdl-2024" not in EDITIONS


def test_cli_editions_lists_every_embedded_edition_on_first_use(cli):
    result = cli("editions")
    assert result.exit_code == 0
    for edition in EDITIONS:
        assert edition in result.output
    assert "样例" in result.output


@pytest.mark.parametrize("edition", EDITIONS)
def test_stated_totals_agree(db, edition):
    checks = check_totals(db, db.edition(edition))
    assert checks and all(c.ok for c in checks if c.stated is not None), [c for c in checks if c.ok is False]
    assert db.edition(edition).stated_totals["rows"] == db.edition(edition).item_count


def test_cli_totals_exit_zero_for_each_edition(cli):
    for edition in EDITIONS:
        result = cli("totals", edition)
        assert result.exit_code == 0, (edition, result.output)


def test_drug_editions_cover_every_part_and_code_shape(drugs):
    old, new, _ = drugs
    for rows in (old, new):
        sections = {r["section"] for r in rows.values()}
        assert {"西药部分", "中成药部分", "协议期内谈判药品部分", "竞价药品部分", "中药饮片部分"} <= sections
        assert any(r["payment_standard"] == "*" for r in rows.values())
        assert any("；" in (r["payment_standard"] or "") for r in rows.values())
        coded = [r["code"] for r in rows.values() if r["code"]]
        assert len(coded) >= 15 and all(re.fullmatch(r"[XZ][A-Z0-9]{22}", c) for c in coded)
        assert 250 <= len(rows) <= 400


# -- the intended 2024 → 2025 changes, checked in the data ---------------------------------------
def test_removed_and_added_drugs(drugs):
    old, new, listed = drugs
    for name, form, _ in listed["removed"]:
        one(old, name, form)
        assert not [k for k in new if k[1:] == (name, form)]
    for name, form, _ in listed["added"] + listed["added_negotiated"]:
        assert not [k for k in old if k[1:] == (name, form or "")]
        one(new, name, form)
    for name, form, _ in listed["added_negotiated"]:
        row = one(new, name, form)
        assert row["section"] in ("协议期内谈判药品部分", "竞价药品部分") and row["payment_standard"]
        assert row["agreement_start"] == "2026-01-01"


def test_class_changes_flip_the_class(drugs):
    old, new, listed = drugs
    assert len(listed["class"]) >= 2
    for name, form, text in listed["class"]:
        before, after = re.search(r"(甲|乙)类 → (甲|乙)类", text).groups()
        assert (one(old, name, form)["drug_class"], one(new, name, form)["drug_class"]) == (before, after)
    flips = {(one(old, n, f)["drug_class"], one(new, n, f)["drug_class"]) for n, f, _ in listed["class"]}
    assert flips == {("甲", "乙"), ("乙", "甲")}


def test_restriction_and_payment_changes(drugs):
    old, new, listed = drugs
    for name, form, _ in listed["restriction"]:
        assert one(old, name, form)["remarks"] != one(new, name, form)["remarks"]
    for name, form, _ in listed["payment"]:
        a, b = one(old, name, form), one(new, name, form)
        assert a["payment_standard"] != b["payment_standard"]
        assert b["agreement_end"] > a["agreement_end"]
    for name, form, _ in listed["renewed"]:
        a, b = one(old, name, form), one(new, name, form)
        assert (a["agreement_end"], b["agreement_end"]) == ("2025-12-31", "2027-12-31")


def test_negotiated_drugs_moved_to_the_regular_part(drugs):
    old, new, listed = drugs
    for name, form, _ in listed["to_regular"]:
        a, b = one(old, name, form), one(new, name, form)
        assert a["section"] == "协议期内谈判药品部分" and a["payment_standard"]
        assert b["section"] in ("西药部分", "中成药部分") and not b["payment_standard"] and not b["agreement_end"]


def test_code_change_pairs_through_former_code(drugs):
    old, new, listed = drugs
    old_codes = {r["code"] for r in old.values() if r["code"]}
    new_codes = {r["code"] for r in new.values() if r["code"]}
    for name, form, _ in listed["code"]:
        a, b = one(old, name, form), one(new, name, form)
        assert b["former_codes"] == a["code"] and a["code"] != b["code"]
        assert a["code"] not in new_codes and b["code"] not in old_codes


def test_cosmetic_changes_vanish_once_normalised(drugs):
    old, new, listed = drugs

    def norm(text):
        return re.sub(r"\s+", "", (text or "").replace("（", "(").replace("）", ")"))

    for name, form, _ in listed["cosmetic"]:
        a, b = one(old, name, form), one(new, name, form)
        raw = [f for f in DRUG_FIELDS if a[f] != b[f]]
        assert raw and all(norm(a[f]) == norm(b[f]) for f in raw)


def test_every_drug_difference_is_listed(drugs):
    """Compare the two editions field by field (the renumbered 编号 aside): each differing
    name must appear in CHANGES-drugs-2025.md, and each listed name must really differ."""
    old, new, listed = drugs
    text = (DATASETS_DIR / "CHANGES-drugs-2025.md").read_text(encoding="utf-8")
    differing = {k[1] for k in old.keys() ^ new.keys()}
    differing |= {k[1] for k in old.keys() & new.keys() if old[k] != new[k]}
    assert differing
    assert sorted(n for n in differing if n not in text) == []
    listed_names = {row[0] for rows in listed.values() for row in rows}
    assert listed_names <= differing


@pytest.mark.parametrize(("kind", "first", "second"), [
    (CatalogKind.consumables, "consumables-2023", "consumables-2025"),
    (CatalogKind.services, "services-2023", "services-2025"),
])
def test_every_coded_difference_is_listed_and_recodes_pair(db, kind, first, second):
    """Rows pair on the code. Each differing code is listed in the CHANGES file, by its code or,
    for changes made to a whole generic name, by that name; each recode points at a vanished code."""
    fields = LAYOUTS[kind].fields
    name_field = "generic_name" if kind is CatalogKind.consumables else "name"

    def rows(edition):
        return {r[0]: dict(zip(fields, r)) for r in db.rows(edition)}

    old, new = rows(first), rows(second)
    listed = changes(kind.value, second[-4:])
    mentioned = {row[0] for rs in listed.values() for row in rs}
    text = (DATASETS_DIR / f"CHANGES-{kind.value}-{second[-4:]}.md").read_text(encoding="utf-8")
    differing = (old.keys() ^ new.keys()) | {c for c in old.keys() & new.keys() if old[c] != new[c]}
    assert differing
    unlisted = [c for c in differing if c not in text and (new.get(c) or old[c])[name_field] not in mentioned]
    assert unlisted == []
    recoded = [r for r in new.values() if r["former_codes"]]
    assert recoded and len(listed["recode"]) == len(recoded)
    for r in recoded:
        assert r["former_codes"] in old and r["former_codes"] not in new and r["code"] not in old
    assert {"removed", "added"} <= set(listed)


def test_datasets_readme_row_counts_match_the_manifest():
    readme = (DATASETS_DIR / "README.md").read_text(encoding="utf-8")
    stated = {e["id"]: e["stated_totals"]["rows"] for e in load_manifest()["editions"]}
    table = dict(re.findall(r"^\| `([a-z]+-\d{4})` \| \w+ \| (\d+) \|", readme, flags=re.M))
    assert {k: int(v) for k, v in table.items()} == stated


@pytest.mark.parametrize("edition", ["consumables-2023", "consumables-2025"])
def test_consumable_codes_and_udi_di_have_real_shapes(db, edition):
    from stdnum import ean

    items = db.items(edition)
    assert {len(i.code) for i in items} == {20, 27}
    udi = [i.udi_di for i in items if i.udi_di]
    assert len(udi) > len(items) // 2
    assert all(len(u) == 14 and u[1:4] in {str(p) for p in range(690, 700)} and ean.is_valid(u) for u in udi)
    assert {i.payment_category.value for i in items} == {"甲", "乙", "丙"}
    assert any(i.high_value for i in items) and any(i.high_value is False for i in items)
