"""Each check family on a broken copy of datasets/: the finding it must raise, located by file,
line and field, and nothing else; the shipped datasets pass clean."""

from __future__ import annotations

import pytest

from checks_support import check, codes, copy_datasets, edit_cell, edit_manifest, edition, read_rows, write_rows

DRUGS = "drugs-2025/drugs.csv"


@pytest.fixture
def root(tmp_path):
    return copy_datasets(tmp_path)


def errors(report):
    return [c for c, f in zip(codes(report), report.findings) if f.severity.value == "error"]


def test_shipped_datasets_have_no_error(root):
    report = check(root)
    assert report.valid, errors(report)
    assert report.stats["editions"] == 6 and report.stats["rows"] >= 1277


# -- manifest ---------------------------------------------------------------------------------
def test_edited_file_without_new_sha256(root):
    edit_cell(root / DRUGS, 2, "remarks", "限成人", resum=False)
    assert errors(check(root, {"manifest"})) == [("manifest.sha256", DRUGS, None, None)]


def test_missing_file_and_unknown_replaces(root):
    (root / "services-2023" / "services.csv").unlink()
    edit_manifest(root, lambda m: edition(m, "consumables-2025").update(replaces="consumables-2019"))
    found = errors(check(root, {"manifest"}))
    assert ("manifest.missing-file", "services-2023/services.csv", None, None) in found
    assert [f for f in found if f[0] == "manifest.replaces-unknown"][0][3] == "replaces"


def test_malformed_manifest(root):
    (root / "manifest.json").write_text('{"editions": [\n  {"id": }\n]}\n', encoding="utf-8")
    assert errors(check(root)) == [("manifest.malformed", "manifest.json", 2, None)]


# -- schema -----------------------------------------------------------------------------------
def test_cells_against_the_item_schema(root):
    edit_cell(root / DRUGS, 5, "drug_class", "丙")
    edit_cell(root / DRUGS, 246, "agreement_start", "2025-13-01")
    edit_cell(root / "consumables-2025" / "consumables.csv", 3, "high_value", "也许")
    found = errors(check(root, {"schema"}))
    assert found == [
        ("schema.cell", "consumables-2025/consumables.csv", 3, "high_value"),
        ("schema.cell", DRUGS, 5, "drug_class"),
        ("schema.cell", DRUGS, 246, "agreement_start"),
    ]


def test_unknown_column_and_bad_manifest_entry(root):
    rows = read_rows(root / "services-2025" / "services.csv")
    rows[0][3] = "除外内容（旧）"
    write_rows(root / "services-2025" / "services.csv", rows)
    edit_manifest(root, lambda m: m.setdefault("sources", {}).update(nrdl={"url": "ftp://x", "sha256": "abc"}))
    report = check(root, {"schema"})
    assert ("schema.unknown-column", "services-2025/services.csv", 1, "除外内容（旧）") in codes(report)
    fields = sorted(f.field for f in report.findings if f.code == "schema.json")
    assert fields == ["sources.nrdl.sha256", "sources.nrdl.url"]


def test_release_metadata_against_edition_schema(root):
    import json

    path = root / "releases" / "nrdl-2024.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["published"] = "2024年11月28日"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert [(f.code, f.file, f.field) for f in check(root, {"schema"}).findings] == [
        ("schema.json", "releases/nrdl-2024.json", "published")]


# -- keys -------------------------------------------------------------------------------------
def test_duplicate_key_names_both_lines(root):
    rows = read_rows(root / DRUGS)
    rows.append(list(rows[2]))  # line 3: 法莫替丁 注射剂 ★(1)
    write_rows(root / DRUGS, rows)
    report = check(root, {"keys"})
    assert codes(report) == [("keys.duplicate", DRUGS, len(rows), "name")]
    assert "法莫替丁" in report.findings[0].message and "line 3" in report.findings[0].message


# -- codes ------------------------------------------------------------------------------------
def test_code_shapes(root):
    edit_cell(root / DRUGS, 246, "code", "XA10BJS268B00201040302")  # 22 characters
    edit_cell(root / DRUGS, 189, "code", "XA01AAG001A001010100001")  # X on a 中成药 row
    edit_cell(root / DRUGS, 245, "former_codes", "XA10BJD001B002010400001;BAD")
    edit_cell(root / DRUGS, 2, "category_code", "XA2B")
    edit_cell(root / "consumables-2025" / "consumables.csv", 3, "udi_di", "06902555002629")
    assert errors(check(root, {"codes"})) == [
        ("codes.udi-di", "consumables-2025/consumables.csv", 3, "udi_di"),
        ("codes.category", DRUGS, 2, "category_code"),
        ("codes.type-letter", DRUGS, 189, "code"),
        ("codes.former-code", DRUGS, 245, "former_codes"),
        ("codes.code", DRUGS, 246, "code"),
    ]


def test_icd10_column_in_any_table(root):
    (root / "samples" / "diagnoses.csv").write_text(
        "诊断名称,icd10\n2型糖尿病,E11.900x001\n十二指肠溃疡,K26\n原发性高血压,I10.x00x002\n胃溃疡,K2S\n", encoding="utf-8")
    assert errors(check(root, {"codes"})) == [("codes.icd10", "samples/diagnoses.csv", 5, "icd10")]


# -- references -------------------------------------------------------------------------------
def test_star_row_needs_its_number(root):
    edit_cell(root / DRUGS, 3, "number", "★(999)")
    assert errors(check(root, {"references"})) == [("references.star-number", DRUGS, 3, "number")]


def test_side_table_codes_warn_unless_declared(root):
    mapping = root / "trace" / "mapping.csv"
    mapping.parent.mkdir()
    mapping.write_text("药品标识码,national_code\n8100001,XA02BCA018A001010300482\n8100002,XA02BCA018A001010300999\n", encoding="utf-8")
    report = check(root, {"references"})
    assert [(c, f.severity.value) for c, f in zip(codes(report), report.findings) if c[1] == "trace/mapping.csv"] == [
        (("references.unknown", "trace/mapping.csv", 3, "national_code"), "warning")]
    edit_manifest(root, lambda m: m.setdefault("references", []).append(
        {"path": "trace/mapping.csv", "editions": ["drugs-2024"]}))
    # declared: now an error, and only drugs-2024 counts (its omeprazole code ends …0100482)
    assert errors(check(root, {"references"})) == [
        ("references.unknown", "trace/mapping.csv", 2, "national_code"),
        ("references.unknown", "trace/mapping.csv", 3, "national_code"),
    ]


def test_declared_name_column(root):
    edit_manifest(root, lambda m: m.setdefault("references", []).append(
        {"path": "samples/renewal-cases.csv", "editions": ["drugs-2025"], "columns": {"药品名称": "name"}}))
    found = errors(check(root, {"references"}))
    assert len(found) == len(read_rows(root / "samples" / "renewal-cases.csv")) - 1  # real 2025 names, not the samples'
    assert {f[3] for f in found} == {"药品名称"}


# -- totals -----------------------------------------------------------------------------------
def test_stated_total_disagrees(root):
    edit_manifest(root, lambda m: edition(m, "drugs-2025")["stated_totals"].update(west_part=151))
    report = check(root, {"totals"})
    assert [(c[0], c[1], c[3]) for c in codes(report)] == [("totals.mismatch", "manifest.json", "stated_totals.west_part")]
    assert "stated 151, counted 150" in report.findings[0].message
    assert report.findings[0].row is not None


# -- dates ------------------------------------------------------------------------------------
def test_dates(root):
    edit_manifest(root, lambda m: edition(m, "services-2025").update(published="2025-08-01", effective="2025-07-01"))
    edit_cell(root / DRUGS, 245, "agreement_end", "2025-12-31")   # ends before it starts
    edit_cell(root / DRUGS, 246, "agreement_start", "")            # no period
    edit_cell(root / DRUGS, 247, "agreement_end", "2026-12-31")    # one year: a warning
    report = check(root, {"dates"})
    assert [(f.code, f.severity.value, f.row) for f in report.findings if f.file == DRUGS] == [
        ("dates.agreement-order", "error", 245), ("dates.agreement-missing", "error", 246),
        ("dates.agreement-length", "warning", 247)]
    assert ("dates.effective-before-published", "manifest.json") in [(f.code, f.file) for f in report.findings]


def test_expired_agreement(root):
    edit_cell(root / DRUGS, 246, "agreement_start", "2023-01-01")
    edit_cell(root / DRUGS, 246, "agreement_end", "2024-12-31")
    assert errors(check(root, {"dates"})) == [("dates.agreement-expired", DRUGS, 246, "agreement_end")]


# -- restrictions -----------------------------------------------------------------------------
def test_unstructured_restriction_is_a_warning(root):
    edit_cell(root / DRUGS, 2, "remarks", "限吞咽困难或不能口服的患者")
    edit_cell(root / DRUGS, 4, "remarks", "月相盈亏之时方可")
    report = check(root, {"restrictions"})
    lines = {f.row for f in report.findings if f.file == DRUGS}
    assert 4 in lines and 2 not in lines
    assert all(f.severity.value == "warning" for f in report.findings)


# -- change -----------------------------------------------------------------------------------
def test_removed_share_needs_acknowledgement(root):
    path = root / "services-2025" / "services.csv"
    rows = read_rows(path)
    write_rows(path, rows[:1] + rows[1:][: int(len(rows) * 0.7)])
    edit_manifest(root, lambda m: edition(m, "services-2025").update(stated_totals={}))
    report = check(root, {"change"})
    assert codes(report) == [("change.removed", "manifest.json", report.findings[0].row, "acknowledge")]
    assert "of 122 rows of services-2023 removed" in report.findings[0].message
    edit_manifest(root, lambda m: edition(m, "services-2025").update(acknowledge={"removed_share": 0.4, "reason": "merged items"}))
    assert check(root).valid


# -- less common findings ---------------------------------------------------------------------
def test_manifest_lists_an_edition_or_a_file_twice(root):
    def twice(m):
        copy = dict(edition(m, "services-2023"))
        m["editions"].append(copy)
    edit_manifest(root, twice)
    found = {c[0] for c in errors(check(root, {"manifest"}))}
    assert found == {"manifest.duplicate-id", "manifest.duplicate-file"}


def test_required_column_missing(root):
    path = root / "services-2025" / "services.csv"
    rows = [r[:1] + r[2:] for r in read_rows(path)]  # drop `name`
    write_rows(path, rows)
    assert ("schema.missing-column", "services-2025/services.csv", 1, "name") in errors(check(root, {"schema"}))


def test_json_file_naming_its_schema(root):
    (root / "samples" / "one-service.json").write_text(
        '{"$schema": "../../schemas/ServiceItem.json", "code": "002501010150200", "name": "血细胞分析", "price": "十元"}',
        encoding="utf-8")
    report = check(root, {"schema"})
    assert [(f.code, f.file, f.field) for f in report.findings] == [("schema.json", "samples/one-service.json", "price")]


def test_unknown_stated_total_is_a_warning(root):
    edit_manifest(root, lambda m: edition(m, "services-2025")["stated_totals"].update(收费项目=120))
    report = check(root, {"totals"})
    assert [(f.code, f.severity.value) for f in report.findings] == [("totals.unknown", "warning")]


def test_agreement_outside_negotiated_part_is_a_warning(root):
    edit_cell(root / DRUGS, 2, "agreement_start", "2026-01-01")
    edit_cell(root / DRUGS, 2, "agreement_end", "2027-12-31")
    report = check(root, {"dates"})
    assert [(f.code, f.severity.value, f.row) for f in report.findings] == [("dates.agreement-outside-negotiated", "warning", 2)]


def test_added_share_and_change_limits(root):
    path = root / "consumables-2023" / "consumables.csv"
    rows = read_rows(path)
    write_rows(path, rows[:101])  # the previous edition had 100 rows: 2025 adds 80 (80%)
    edit_manifest(root, lambda m: edition(m, "consumables-2023").update(stated_totals={"rows": 100}))
    assert [c[0] for c in codes(check(root, {"change"}))] == ["change.added"]
    edit_manifest(root, lambda m: m.update(change_limits={"added_share": 0.9}))
    assert codes(check(root, {"change"})) == []


def test_declared_reference_file_and_column_must_exist(root):
    edit_manifest(root, lambda m: m.setdefault("references", []).extend([
        {"path": "trace/none.csv", "editions": ["drugs-2025"]},
        {"path": "samples/vbp-winners.csv", "editions": ["drugs-2025"], "columns": {"national_code": "code"}}]))
    assert sorted(errors(check(root, {"references"}))) == [
        ("references.column", "samples/vbp-winners.csv", 1, "national_code"),
        ("references.missing-file", "trace/none.csv", None, None)]


def test_findings_of_one_kind_are_capped(root, monkeypatch):
    import catalog_tool.checks.run as run

    monkeypatch.setattr(run, "MAX_PER_KIND", 50)
    path = root / "services-2025" / "services.csv"
    rows = read_rows(path)
    for r in rows[1:]:
        r[rows[0].index("payment_category")] = "丁"
    write_rows(path, rows)
    found = [f for f in check(root, {"schema"}).findings if f.file == "services-2025/services.csv"]
    assert len(found) == 51 and found[0].row == 2
    assert found[-1].message == "… and 72 more schema.cell findings in this file" and found[-1].row is None


def test_unreadable_json_is_a_finding(root):
    (root / "samples" / "gbk.json").write_bytes('{"名称": "阿莫西林"}'.encode("gbk"))
    (root / "samples" / "broken.json").write_text('{"a": 1,,}', encoding="utf-8")
    assert sorted(errors(check(root, {"schema"}))) == [
        ("io.read", "samples/broken.json", 1, None), ("io.read", "samples/gbk.json", None, None)]


# -- procurement --------------------------------------------------------------------------------
def test_a_broken_vbp_batch_is_located_by_file_row_and_column(root):
    bids = root / "samples" / "vbp-batch" / "bids.csv"
    edit_cell(bids, 5, "品种编号", "V999", resum=False)
    report = check(root, only={"procurement"})
    [f] = report.findings
    assert (f.code, f.file, f.row, f.field) == ("procurement.batch", "samples/vbp-batch/bids.csv", 5, "品种编号")
    assert "unknown 品种编号 'V999'" in f.message


def test_a_vbp_spec_that_cannot_be_compared_fails_the_check(root):
    bids = root / "samples" / "vbp-batch" / "bids.csv"
    edit_cell(bids, 3, "规格", "5ml", resum=False)
    [f] = check(root, only={"procurement"}).findings
    assert f.row == 3 and f.field == "规格" and "cannot be compared" in f.message
