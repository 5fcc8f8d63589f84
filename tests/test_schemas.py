"""schemas/ is generated from the models; this fails when they drift apart."""

import json

import jsonschema

from catalog_tool import schemas
from catalog_tool.model import DrugItem


def test_schemas_match_the_models():
    assert schemas.drifted() == [], "run: python -m catalog_tool.schemas"


def test_drug_schema_validates_a_real_looking_item_and_rejects_a_bad_one():
    schema = json.loads((schemas.SCHEMAS_DIR / "DrugItem.json").read_text(encoding="utf-8"))
    item = DrugItem(name="注射用艾普拉唑钠", section="协议期内谈判药品部分", payment_standard="52.60元(10mg/瓶)",
                    agreement_start="2026-01-01", agreement_end="2027-12-31")
    jsonschema.validate(item.model_dump(mode="json"), schema)
    bad = {"name": "x", "section": "西药"}  # 西药 is a medicine type, not a section
    try:
        jsonschema.validate(bad, schema)
    except jsonschema.ValidationError as e:
        assert "西药" in str(e.message)
    else:
        raise AssertionError("schema accepted a bad section")
