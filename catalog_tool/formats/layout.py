"""Column layouts of each catalog: canonical field names, the Chinese headers of official files,
and the converter of each field from cell text to the value stored.

The canonical layout is the model's field names in model order (documented in docs/formats.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from catalog_tool.formats import values as v
from catalog_tool.model import ITEM_MODELS, CatalogKind

Converter = Callable[[str], object]


def _code(regex: re.Pattern[str], what: str) -> Converter:
    def convert(text: str) -> str:
        code = text.strip()
        if not regex.match(code):
            raise ValueError(f"malformed {what} {text!r}")
        return code

    convert.regex = regex  # a stripped cell that matches is returned as is: column readers check it in bulk
    return convert


def _codes(regex: re.Pattern[str], what: str) -> Converter:
    one = _code(regex, what)

    def convert(text: str) -> str:
        return ";".join(one(c) for c in re.split(r"[;；,，、\s]+", text.strip()) if c)

    return convert


def _iso_date(text: str) -> str:
    return v.parse_date(text).isoformat()


def _decimal(text: str) -> str:
    return str(v.parse_decimal(text))


def _flag(text: str) -> int:
    return int(v.parse_flag(text))


def _enum(values: tuple[str, ...]) -> Converter:
    def convert(text: str) -> str:
        if text not in values:
            raise ValueError(f"must be one of {', '.join(values)}, got {text!r}")
        return text

    return convert


@dataclass(frozen=True)
class Layout:
    """How one catalog kind is read: fields in order, header aliases, converters, the key."""

    kind: CatalogKind
    fields: tuple[str, ...]
    aliases: dict[str, str]
    converters: dict[str, Converter]
    required: tuple[str, ...]

    def field_for(self, header: str) -> str | None:
        h = header.strip()
        if h in self.fields:
            return h
        if h in self.aliases:
            return self.aliases[h]
        if self.kind is CatalogKind.drugs and re.fullmatch(r"\d{4}版?甲乙类", h):
            return "drug_class"
        return None


_SECTIONS = tuple(s.value for s in __import__("catalog_tool.model.common", fromlist=["Section"]).Section)
_MEDICINE_TYPES = ("西药", "中成药", "中药饮片")

DRUG_ALIASES = {
    "药品代码": "code", "医保药品代码": "code", "国家医保药品代码": "code",
    "部分": "section", "目录部分": "section", "药品类型": "medicine_type",
    "编号": "number", "序号": "number",
    "药品分类代码": "category_code", "药品分类": "category_name",
    "甲乙类": "drug_class", "类别": "drug_class", "甲乙分类": "drug_class",
    "药品名称": "name", "医保药品名称": "name", "饮片名称": "name", "通用名": "name",
    "剂型": "dosage_form", "备注": "remarks", "限定支付范围": "remarks",
    "医保支付标准": "payment_standard", "支付标准": "payment_standard",
    "协议有效期": "agreement_period", "支付标准有效期": "agreement_period",
    "曾用码": "former_codes",
    "数据来源": "data_source", "注册名称": "registered_name", "商品名称": "trade_name",
    "商品名": "trade_name", "注册剂型": "registered_dosage_form", "医保剂型": "catalog_dosage_form",
    "注册规格": "registered_spec", "规格": "spec", "包装材质": "packaging_material",
    "最小包装数量": "min_pack_quantity", "最小制剂单位": "min_dose_unit", "最小包装单位": "min_pack_unit",
    "药品企业": "company", "分包装企业名称": "subpackager", "生产企业": "manufacturer",
    "批准文号": "approval_number", "原批准文号": "former_approval_number", "药品本位码": "standard_code",
    "上市药品持有人": "license_holder", "市场状态": "market_status",
}

CONSUMABLE_ALIASES = {
    "耗材代码": "code", "医保耗材代码": "code", "国家编码": "code", "耗材编码": "code",
    "一级分类": "level1", "二级分类": "level2", "三级分类": "level3",
    "一级分类（学科、品类）": "level1", "二级分类（用途、品目）": "level2", "三级分类（部位、功能、品种）": "level3",
    "医保通用名分类": "generic_class", "耗材材质": "material", "材质": "material",
    "规格（特征、参数）": "spec", "规格(特征、参数)": "spec", "规格型号": "spec", "规格": "spec",
    "医保通用名编号": "generic_number", "医保通用名": "generic_name", "通用名": "generic_name",
    "耗材企业": "company", "生产企业": "company", "企业名称": "company",
    "支付类别": "payment_category", "医保支付类别": "payment_category",
    "最高支付限额": "payment_cap", "支付限额": "payment_cap",
    "高值耗材": "high_value", "是否高值": "high_value", "UDI-DI": "udi_di", "产品标识": "udi_di",
    "备注": "remarks", "曾用码": "former_codes", "原编码": "former_codes", "原代码": "former_codes",
}

SERVICE_ALIASES = {
    "项目编码": "code", "编码": "code", "项目代码": "code", "国家编码": "code",
    "项目名称": "name", "项目内涵": "content", "除外内容": "excluded", "计价单位": "unit",
    "价格": "price", "单价": "price", "价格（元）": "price", "价格(元)": "price",
    "支付类别": "payment_category", "医保支付类别": "payment_category",
    "说明": "remarks", "备注": "remarks", "曾用码": "former_codes", "原编码": "former_codes",
}

LAYOUTS: dict[CatalogKind, Layout] = {
    CatalogKind.drugs: Layout(
        CatalogKind.drugs,
        tuple(ITEM_MODELS[CatalogKind.drugs].model_fields),
        DRUG_ALIASES,
        {
            "code": _code(v.DRUG_CODE_RE, "drug code (20 or 23 of A-Z0-9)"),
            "former_codes": _codes(v.DRUG_CODE_RE, "former drug code"),
            "section": _enum(_SECTIONS),
            "medicine_type": _enum(_MEDICINE_TYPES),
            "drug_class": lambda t: v.parse_class(t, ("甲", "乙", "自费")),
            "agreement_start": _iso_date,
            "agreement_end": _iso_date,
        },
        ("name",),
    ),
    CatalogKind.consumables: Layout(
        CatalogKind.consumables,
        tuple(ITEM_MODELS[CatalogKind.consumables].model_fields),
        CONSUMABLE_ALIASES,
        {
            "code": _code(v.CONSUMABLE_CODE_RE, "consumable code (C + 19 digits, optional 7-char serial)"),
            "former_codes": _codes(v.CONSUMABLE_CODE_RE, "former consumable code"),
            "payment_category": lambda t: v.parse_class(t, ("甲", "乙", "丙")),
            "payment_cap": _decimal,
            "high_value": _flag,
        },
        ("code", "generic_name"),
    ),
    CatalogKind.services: Layout(
        CatalogKind.services,
        tuple(ITEM_MODELS[CatalogKind.services].model_fields),
        SERVICE_ALIASES,
        {
            "code": _code(v.SERVICE_CODE_RE, "service code (15 digits)"),
            "former_codes": _codes(v.SERVICE_CODE_RE, "former service code"),
            "payment_category": lambda t: v.parse_class(t, ("甲", "乙", "丙")),
            "price": _decimal,
        },
        ("code", "name"),
    ),
}
