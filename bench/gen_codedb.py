"""Generate an NHSA drug-code-database-shaped table (the 26 columns of 总表) of N rows.

Codes follow the 23-char shape (X/Z + 5-char category + generic + form + spec + company digits),
names and companies are drawn from real-looking pools; about 3% of rows carry a 曾用码.
Usage: python bench/gen_codedb.py ROWS OUT.csv [--gbk] [--seed 1]
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

COLUMNS = ("药品代码,数据来源,注册名称,商品名称,注册剂型,剂型,注册规格,规格,包装材质,最小包装数量,最小制剂单位,"
           "最小包装单位,药品企业,分包装企业名称,生产企业,批准文号,原批准文号,药品本位码,上市药品持有人,市场状态,"
           "医保药品名称,2025版甲乙类,医保剂型,编号,备注,曾用码").split(",")
GENERICS = ["阿莫西林", "头孢克肟", "阿托伐他汀钙", "瑞舒伐他汀钙", "氨氯地平", "缬沙坦", "二甲双胍", "格列美脲",
            "奥美拉唑", "雷贝拉唑钠", "氯吡格雷", "阿司匹林", "布洛芬", "对乙酰氨基酚", "左氧氟沙星", "莫西沙星",
            "恩替卡韦", "替诺福韦", "奥司他韦", "孟鲁司特钠", "氯雷他定", "西替利嗪", "帕罗西汀", "舍曲林",
            "奥氮平", "利培酮", "丙戊酸钠", "左乙拉西坦", "甲钴胺", "厄贝沙坦", "硝苯地平", "美托洛尔"]
FORMS = [("片剂", "口服常释剂型", "片"), ("胶囊剂", "口服常释剂型", "粒"), ("颗粒剂", "颗粒剂", "袋"),
         ("注射剂", "注射剂", "支"), ("缓释片", "缓释控释剂型", "片"), ("口服溶液剂", "口服液体剂", "瓶")]
COMPANIES = ["石药集团欧意药业有限公司", "华北制药股份有限公司", "扬子江药业集团有限公司", "齐鲁制药有限公司",
             "浙江华海药业股份有限公司", "江苏恒瑞医药股份有限公司", "四川科伦药业股份有限公司", "正大天晴药业集团股份有限公司",
             "辉瑞制药有限公司", "阿斯利康制药有限公司", "北京诺华制药有限公司", "上海信谊万象药业股份有限公司"]
CATEGORIES = ["J01CA", "J01DD", "C10AA", "C08CA", "C09CA", "A10BA", "A10BB", "A02BC", "B01AC", "N02BA",
              "M01AE", "N02BE", "J01MA", "J05AF", "J05AH", "R03DC", "R06AX", "N06AB", "N05AH", "N03AG"]


def generate(rows: int, out: Path, encoding: str = "utf-8", seed: int = 1) -> Path:
    rnd = random.Random(seed)
    with open(out, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for i in range(rows):
            g = rnd.randrange(len(GENERICS))
            reg_form, form, unit = FORMS[rnd.randrange(len(FORMS))]
            company = COMPANIES[rnd.randrange(len(COMPANIES))]
            cat = CATEGORIES[g % len(CATEGORIES)]
            code = f"X{cat}A{g:03d}{'ABCDEF'[i % 6]}{i % 1000:03d}{(i // 1000) % 100:02d}{i % 100:02d}{i:05d}"[:23]
            code = code.ljust(23, "0")
            mg = rnd.choice([5, 10, 20, 25, 50, 100, 250, 500])
            pack = rnd.choice([7, 12, 14, 24, 28, 30, 36, 48])
            former = "" if rnd.random() > 0.03 else f"X{cat}A{g:03d}Z{i:013d}"[:23].ljust(23, "0")
            w.writerow([
                code, "药监局", GENERICS[g] + reg_form[:1], "", reg_form, reg_form, f"{mg}mg", f"{mg}mg*{pack}{unit}",
                "铝塑泡罩包装", pack, unit, "盒", company, "", company, f"国药准字H{20000000 + i}", "",
                f"869{i:011d}", company, rnd.choice(["上市", "上市", "上市", "停产"]), GENERICS[g],
                rnd.choice(["甲", "乙"]), form, str(g + 1), "", former,
            ])
    return out


if __name__ == "__main__":
    n, path = int(sys.argv[1]), Path(sys.argv[2])
    generate(n, path, "gbk" if "--gbk" in sys.argv else "utf-8")
    print(f"wrote {n} rows to {path}")
