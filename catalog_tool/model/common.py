"""Vocabulary shared by the catalogs: catalog kinds, NRDL sections, classes."""

from __future__ import annotations

from enum import Enum


class CatalogKind(str, Enum):
    """The three national catalogs (目录)."""

    drugs = "drugs"  # 医保药品目录 / 医保药品分类与代码
    consumables = "consumables"  # 医保医用耗材分类与代码
    services = "services"  # 医疗服务项目分类与代码


class Section(str, Enum):
    """Parts of the NRDL (药品目录的部分)."""

    west = "西药部分"
    tcm = "中成药部分"
    negotiated = "协议期内谈判药品部分"
    bidding = "竞价药品部分"
    herbal = "中药饮片部分"
    herbal_excluded = "不得纳入基金支付范围的中药饮片"


class MedicineType(str, Enum):
    """西药 / 中成药 / 中药饮片: the first letter of a drug code (X, Z) or the part."""

    west = "西药"
    tcm = "中成药"
    herbal = "中药饮片"


class DrugClass(str, Enum):
    """甲类 fully in scope; 乙类 patient pays a local share first; 自费 outside the catalog."""

    a = "甲"
    b = "乙"
    self_pay = "自费"


class PaymentCategory(str, Enum):
    """甲/乙/丙 for services and consumables (丙 = self-pay)."""

    a = "甲"
    b = "乙"
    c = "丙"


SECTION_NEGOTIATED = (Section.negotiated, Section.bidding)
