"""Build small procurement batches for the VBP tests: models in memory, or a folder of CSV files."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from catalog_tool.model.procurement import VbpBid, VbpDrug

COMPANIES = ["齐鲁制药有限公司", "石药集团欧意药业有限公司", "扬子江药业集团有限公司", "浙江华海药业股份有限公司",
             "四川科伦药业股份有限公司", "正大天晴药业集团股份有限公司", "江苏恒瑞医药股份有限公司", "浙江京新药业股份有限公司",
             "重庆药友制药有限责任公司", "北京福元医药股份有限公司", "湖南千金湘江药业股份有限公司", "山东新华制药股份有限公司",
             "上海上药信谊药厂有限公司", "华润赛科药业有限责任公司", "广东东阳光药业股份有限公司", "成都倍特药业股份有限公司",
             "海南普利制药股份有限公司", "深圳信立泰药业股份有限公司"]


def company(i: int) -> str:
    return COMPANIES[i] if i < len(COMPANIES) else f"{COMPANIES[i % len(COMPANIES)][:4]}第{i}制药有限公司"


def drug(ceiling="2.00", form="片剂", spec="10mg", antimicrobial=False, pre_price=None, code="V001",
         name="阿托伐他汀钙片") -> VbpDrug:
    return VbpDrug(drug=code, name=name, form=form, spec=spec, ceiling=Decimal(ceiling), antimicrobial=antimicrobial,
                   pre_price=Decimal(pre_price) if pre_price else None)


def bids(*unit_prices: str, spec="10mg", pack=100, code="V001", revival=()) -> list[VbpBid]:
    """One bid per unit price (元 per tablet), a pack of `pack`, each from another company."""
    return [VbpBid(drug=code, company=company(i), spec=spec, pack=pack, price=Decimal(p) * pack,
                   revival=i in revival, row=i + 2)
            for i, p in enumerate(unit_prices)]


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_batch(folder: Path, *, drugs=None, bids=None, demand=None, prices=None, preferences=None, meta=None) -> Path:
    """A batch folder; each table is a list of rows under the standard Chinese header."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "drugs.csv", ["品种编号", "药品通用名", "剂型", "代表品规格", "最高有效申报价", "特殊抗菌药物"],
              drugs if drugs is not None else [["V001", "阿托伐他汀钙片", "片剂", "10mg", "1.20", "否"]])
    write_csv(folder / "bids.csv", ["品种编号", "企业名称", "产品名称", "规格", "包装数量", "申报价"],
              bids if bids is not None else [["V001", COMPANIES[0], "阿托伐他汀钙片", "10mg", "28", "3.36"]])
    write_csv(folder / "demand.csv", ["医疗机构编码", "医疗机构名称", "省份", "品种编号", "需求量"],
              demand if demand is not None else [["H11010600012", "首都医科大学附属北京朝阳医院", "北京市", "V001", "12000"]],
              encoding="gbk")
    if prices is not None:
        write_csv(folder / "reference-prices.csv", ["品种编号", "集采前价格"], prices)
    if preferences is not None:
        write_csv(folder / "preferences.csv", ["品种编号", "企业名称", "顺位", "省份"], preferences)
    if meta is not None:
        import json

        (folder / "batch.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return folder
