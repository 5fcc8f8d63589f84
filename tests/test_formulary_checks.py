"""Each finding kind on the embedded sample editions drugs-2024 → drugs-2025 (real codes, names,
restrictions and payment standards), plus the real NRDL 2024 → 2025 western-medicine lists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from formulary_support import indexes, sample_db

from catalog_tool.formulary import ValidationOptions, validate_formulary
from catalog_tool.model.formulary import FindingKind, FormularyItem, Severity

ON = date(2026, 3, 1)


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    return indexes(sample_db(tmp_path_factory.mktemp("formulary")))


def item(row, name, code=None, form=None, spec=None, price=None, stocked=True, local=None):
    return FormularyItem(row=row, local_code=local or f"YP{row:04d}", national_code=code, name=name,
                         dosage_form=form, spec=spec, price=Decimal(price) if price else None, stocked=stocked)


def check(editions, *items, on=ON, **opts):
    cur, prev = editions
    report = validate_formulary(list(items), cur, prev, ValidationOptions(on=on, **opts))
    return report, {(f.row, f.kind): f for f in report.findings}


def test_correct_items_have_no_findings(editions):
    report, found = check(editions,
                          item(2, "阿莫西林胶囊", "XJ01CAA073A001030100145", "胶囊剂", "0.25g*24粒", "12.5"),
                          item(3, "布洛芬片", "XM01AEB064A001020201580", "片剂"))
    assert report.findings == [] and report.matched == 2 and report.errors == 0


def test_malformed_and_unknown_codes(editions):
    report, found = check(editions, item(2, "阿莫西林胶囊", "XJ01CAA073A0010", "胶囊剂"),
                          item(3, "阿莫西林胶囊", "XJ01CAA073A001030108150", "胶囊剂"),
                          item(4, "西地那非片", "XG04BEN479A009780177404", "片剂"))
    assert found[(2, FindingKind.code_malformed)].severity is Severity.error
    unknown = found[(3, FindingKind.code_unknown)]
    assert unknown.severity is Severity.error and "not in drugs-2025" in unknown.message
    assert unknown.suggestions[0].code == "XJ01CAA073A001030100145"  # the right code comes first
    assert (4, FindingKind.code_unknown) in found
    assert report.errors == 3


def test_former_code_is_found_and_reported(editions):
    _, found = check(editions, item(2, "阿托伐他汀钙片", "XC10AAA021A001010100318", "片剂"))
    f = found[(2, FindingKind.code_former)]
    assert "XC10AAA021A001010100519" in f.message and f.severity is Severity.warning


def test_wrong_mapping_by_name_and_by_dosage_form(editions):
    _, found = check(editions, item(2, "阿司匹林肠溶片", "XJ01CAA073A001030100145", "片剂"),
                     item(3, "头孢曲松片", "XJ01DDT036B002010500907", "片剂"))
    by_name = found[(2, FindingKind.wrong_mapping)]
    assert "阿莫西林" in by_name.message and by_name.severity is Severity.error
    assert by_name.suggestions[0].name == "阿司匹林"
    by_form = found[(3, FindingKind.wrong_mapping)]
    assert "dosage form" in by_form.message and "注射剂" in by_form.message


def test_self_pay_by_name(editions):
    _, found = check(editions, item(2, "阿托伐他丁钙片", None, "片剂"))
    f = found[(2, FindingKind.self_pay)]
    assert f.suggestions and f.suggestions[0].name == "阿托伐他汀"


def test_removed_with_transition_end(editions):
    during, found = check(editions, item(2, "雷尼替丁胶囊", None, "胶囊剂"), transition_months=6)
    f = found[(2, FindingKind.removed)]
    assert "transition period ends 2026-06-30" in f.message and f.severity is Severity.warning
    _, after = check(editions, item(2, "雷尼替丁胶囊", None, "胶囊剂"), on=date(2026, 7, 1))
    assert after[(2, FindingKind.removed)].severity is Severity.error


def test_class_changed_to_b_needs_consent(editions):
    _, found = check(editions, item(2, "西咪替丁片", None, "片剂"), item(3, "氯吡格雷片", "XB01ACL117A001010100193", "片剂"))
    to_b = found[(2, FindingKind.class_changed)]
    assert to_b.severity is Severity.warning and "甲类 → 乙类" in to_b.message and "consent" in to_b.message
    assert found[(3, FindingKind.class_changed)].severity is Severity.info


def test_restricted_shows_the_text(editions):
    _, found = check(editions, item(2, "恩替卡韦胶囊", "XJ05AFE015A001010300264", "胶囊剂"))
    f = found[(2, FindingKind.restricted)]
    assert f.restriction == "限有活动性乙型肝炎的明确诊断及检测证据" and f.severity is Severity.info


def test_price_above_the_payment_standard_of_the_matching_spec(editions):
    _, found = check(editions, item(2, "奥希替尼片", "XL01EBA211A001010103318", "片剂", "80mg*30片", "70.00"),
                     item(3, "奥希替尼片", "XL01EBA211A001010103318", "片剂", "80mg*30片", "68.85", local="B"))
    f = found[(2, FindingKind.price_above_standard)]
    assert "68.85" in f.message and "excess 1.15" in f.message
    assert (3, FindingKind.price_above_standard) not in found


def test_agreement_expiring_and_expired(editions):
    _, soon = check(editions, item(2, "注射用司美格鲁肽", "XA10BJS268B002010403027"), on=date(2026, 11, 1))
    assert "in 60 days" in soon[(2, FindingKind.agreement_expiring)].message
    _, late = check(editions, item(2, "注射用司美格鲁肽", "XA10BJS268B002010403027"), on=date(2027, 1, 2))
    assert late[(2, FindingKind.agreement_expired)].severity is Severity.error


def test_vbp_winner_not_stocked(editions):
    winners = frozenset({"XC10AAR033A001010102047"})
    _, found = check(editions, item(2, "瑞舒伐他汀钙片", "XC10AAR033A001010102047", "片剂", stocked=False),
                     item(3, "瑞舒伐他汀钙片", None, "片剂"), vbp_winners=winners)
    assert (2, FindingKind.vbp_not_stocked) not in found  # not in use: nothing to say on that row
    assert "XC10AAR033A001010102047" in found[(3, FindingKind.vbp_not_stocked)].message
    _, stocked = check(editions, item(2, "瑞舒伐他汀钙片", "XC10AAR033A001010102047", "片剂"),
                       item(3, "瑞舒伐他汀钙片", None, "片剂"), vbp_winners=winners)
    assert not any(k is FindingKind.vbp_not_stocked for _, k in stocked)


def test_duplicate_local_codes(editions):
    report, found = check(editions, item(2, "布洛芬片", local="YP1"), item(3, "阿莫西林胶囊", local="YP1"),
                          item(4, "阿司匹林片", local="YP1"))
    assert [f.row for f in report.findings if f.kind is FindingKind.duplicate_local_code] == [3, 4]
    assert "row(s) 2, 4" in found[(3, FindingKind.duplicate_local_code)].message


def test_unmapped_item_gets_the_code_it_should_have(editions):
    _, found = check(editions, item(2, "阿莫西林胶囊", None, "胶囊剂"))
    f = found[(2, FindingKind.unmapped)]
    assert f.catalog_name == "阿莫西林" and f.suggestions[0].code == "XJ01CAA073A001030100145"


def test_real_nrdl_2024_to_2025(shared_data, tmp_path):
    """The real western-medicine lists: a drug listed in both, one negotiated with a price."""
    from catalog_tool.formulary.index import CatalogIndex
    from catalog_tool.importing import import_files
    from catalog_tool.model import CatalogKind
    from catalog_tool.store import CatalogDB

    with CatalogDB(tmp_path / "c.sqlite") as db:
        import_files(db, CatalogKind.drugs, [shared_data / "nrdl-2025"], "nrdl-2025")
        import_files(db, CatalogKind.drugs, [shared_data / "nrdl-2024" / "西药部分.csv",
                                             shared_data / "nrdl-2024" / "协议期内谈判药品部分-西药.csv"], "nrdl-2024")
        cur, prev = CatalogIndex.load(db, "nrdl-2025"), CatalogIndex.load(db, "nrdl-2024")
    # the NRDL lists carry no codes: the hospital's codes cannot be checked, items match by name and form
    items = [item(2, "盐酸二甲双胍片", "XA10BAE007A001020101133", "片剂"),
             item(3, "注射用艾普拉唑钠", "XA02BCA357B001010181613", "注射剂", "10mg", "60.00"),
             item(4, "复方硼砂溶液", "XA01ABF078L004010100592", "外用液体剂")]
    report = validate_formulary(items, cur, prev, ValidationOptions(on=ON))
    kinds = {(f.row, f.kind) for f in report.findings}
    assert report.matched == 3
    assert (3, FindingKind.price_above_standard) in kinds and (3, FindingKind.restricted) in kinds
    assert not any(r == 2 for r, _ in kinds) and not any(r == 4 for r, _ in kinds)


def test_restricted_findings_carry_the_structured_conditions():
    from catalog_tool.formulary.restrictions import describe

    assert describe("限二级及以上医疗机构使用，支付不超过14天") == \
        "限二级及以上医疗机构使用，支付不超过14天 → 限二级及以上医疗机构，且支付不超过14天。"
    unclear = describe("需迅速利尿或不能口服的患者")
    assert unclear.startswith("需迅速利尿或不能口服的患者 → ") and "未解析" in unclear and unclear.endswith("（需人工审核）")
