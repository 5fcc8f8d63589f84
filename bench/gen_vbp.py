"""Generate a synthetic VBP (国家组织药品集中带量采购) batch folder in the format of docs/vbp.md: drugs.csv,
bids.csv, demand.csv, reference-prices.csv, batch.json, optionally preferences.csv and a purchases file.
It feeds `catalog-tool vbp` with realistic inputs: the embedded sample batch and the benchmark batch.
Seeded: the same arguments write the same bytes. Standard library only.

    # the embedded sample (datasets/samples/vbp-batch, demand.csv in GBK as hospitals' Excel writes it)
    python bench/gen_vbp.py datasets/samples/vbp-batch --drugs 46 --bids-total 420 --hospitals 400 --seed 7 \
        --drugs-per-hospital 5 --preferences --gbk-demand --id vbp-sample \
        --title "第九批国家组织药品集中采购（样例）" --purchases datasets/samples/vbp-purchases.csv
    # the benchmark batch (50,000 hospitals, ~220,000 demand rows, ~2 s)
    python bench/gen_vbp.py /tmp/vbp-bench --drugs 60 --bids-total 800 --hospitals 50000 --seed 1 --preferences

The drugs are real VBP drugs with a representative spec; ceilings, prices and companies are illustrative.
Bids are built so every rule route shows up: every maximum-winners row (1 … 15 and ≥16 qualified
bidders) when the batch has room for it, the lowest 60–95% below the ceiling, bids exactly 1.8× the
lowest (same spec and pack), bids between 1.8× and the ceiling, bids at the ceiling, bids above it
(invalid, ~3%), unit prices ≤ 0.10元, other specs priced by 差比价 K = 1.7^log2(content ratio), and a few
接受复活. Purchases come from the province's expected supplier under batch-9 rules (5% from another
bidder) with completion 0–120% of the expected agreed volume, so progress shows under-, on- and
over-completion.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
import sys
import time
from pathlib import Path

# 药品通用名, 剂型, 代表品规格, other specs, 最高有效申报价 (元 per 片/粒/支/袋/瓶 of the representative
# spec), 特殊抗菌药物, popularity (how many hospitals report it, relative)
DRUGS = [
    ("阿托伐他汀钙片", "片剂", "20mg", ["10mg", "40mg"], "3.50", False, 10),
    ("瑞舒伐他汀钙片", "片剂", "10mg", ["5mg", "20mg"], "2.80", False, 9),
    ("苯磺酸氨氯地平片", "片剂", "5mg", ["2.5mg", "10mg"], "1.20", False, 10),
    ("盐酸二甲双胍片", "片剂", "0.5g", ["0.25g", "0.85g"], "0.18", False, 9),
    ("恩替卡韦片", "片剂", "0.5mg", ["1mg"], "6.50", False, 5),
    ("头孢呋辛酯片", "片剂", "0.25g", ["0.125g", "0.5g"], "2.20", False, 6),
    ("左氧氟沙星注射液", "注射剂", "100ml:0.5g", [], "12.00", True, 5),
    ("奥美拉唑肠溶胶囊", "胶囊", "20mg", ["10mg", "40mg"], "1.50", False, 8),
    ("阿莫西林胶囊", "胶囊", "0.25g", ["0.5g"], "0.16", False, 8),
    ("布洛芬缓释胶囊", "缓释胶囊", "0.3g", [], "0.60", False, 7),
    ("甲钴胺片", "片剂", "0.5mg", [], "1.10", False, 7),
    ("替格瑞洛片", "片剂", "90mg", ["60mg"], "6.80", False, 4),
    ("利伐沙班片", "片剂", "10mg", ["15mg", "20mg"], "12.00", False, 4),
    ("达格列净片", "片剂", "10mg", ["5mg"], "5.00", False, 6),
    ("注射用头孢曲松钠", "注射用无菌粉末", "1g", ["0.5g", "2g"], "9.00", True, 6),
    ("注射用美罗培南", "注射用无菌粉末", "0.5g", ["0.25g", "1g"], "60.00", True, 2),
    ("硫酸氢氯吡格雷片", "片剂", "75mg", ["25mg"], "5.00", False, 8),
    ("厄贝沙坦片", "片剂", "150mg", ["75mg"], "2.00", False, 7),
    ("盐酸氨溴索口服溶液", "口服溶液剂", "100ml:0.6g", [], "20.00", False, 4),
    ("草酸艾司西酞普兰片", "片剂", "10mg", ["5mg", "20mg"], "4.50", False, 3),
    ("甲硝唑片", "片剂", "0.2g", [], "0.06", False, 6),
    ("奥氮平片", "片剂", "10mg", ["5mg"], "9.00", False, 2),
    ("利培酮片", "片剂", "1mg", ["2mg"], "1.80", False, 2),
    ("吉非替尼片", "片剂", "0.25g", [], "150.00", False, 1),
    ("孟鲁司特钠片", "片剂", "10mg", [], "4.20", False, 5),
    ("蒙脱石散", "散剂", "3g", [], "1.20", False, 6),
    ("注射用培美曲塞二钠", "注射用无菌粉末", "0.1g", ["0.2g", "0.5g"], "300.00", False, 1),
    ("盐酸右美托咪定注射液", "注射剂", "2ml:0.2mg", [], "120.00", False, 2),
    ("氟比洛芬酯注射液", "注射剂", "5ml:50mg", [], "20.00", False, 3),
    ("莫西沙星氯化钠注射液", "注射剂", "250ml:0.4g", [], "45.00", True, 3),
    ("阿卡波糖片", "片剂", "50mg", ["100mg"], "1.40", False, 7),
    ("格列美脲片", "片剂", "2mg", ["1mg"], "1.60", False, 6),
    ("对乙酰氨基酚片", "片剂", "0.5g", [], "0.10", False, 6),
    ("阿奇霉素片", "片剂", "0.25g", ["0.5g"], "3.20", False, 6),
    ("吲达帕胺片", "片剂", "2.5mg", [], "0.50", False, 5),
    ("富马酸比索洛尔片", "片剂", "5mg", ["2.5mg"], "1.50", False, 7),
    ("盐酸多奈哌齐片", "片剂", "5mg", ["10mg"], "6.00", False, 2),
    ("克拉霉素片", "片剂", "0.25g", [], "1.80", False, 4),
    ("盐酸坦索罗辛缓释胶囊", "缓释胶囊", "0.2mg", [], "2.60", False, 4),
    ("醋酸阿比特龙片", "片剂", "0.25g", [], "30.00", False, 1),
    ("盐酸二甲双胍缓释片", "缓释片", "0.5g", [], "0.50", False, 6),
    ("缬沙坦胶囊", "胶囊", "80mg", ["160mg"], "2.40", False, 6),
    ("硝苯地平控释片", "控释片", "30mg", ["60mg"], "3.00", False, 7),
    ("注射用头孢他啶", "注射用无菌粉末", "1g", ["0.5g", "2g"], "10.00", False, 4),
    ("骨化三醇软胶囊", "胶囊", "0.25µg", ["0.5µg"], "1.50", False, 4),
    ("乳果糖口服溶液", "口服溶液剂", "15ml:10g", [], "3.00", False, 3),
    ("非洛地平缓释片", "缓释片", "5mg", ["2.5mg"], "1.80", False, 5),
    ("琥珀酸美托洛尔缓释片", "缓释片", "47.5mg", ["23.75mg", "95mg"], "1.80", False, 7),
    ("阿哌沙班片", "片剂", "2.5mg", ["5mg"], "8.00", False, 3),
    ("依折麦布片", "片剂", "10mg", [], "5.50", False, 4),
    ("普瑞巴林胶囊", "胶囊", "75mg", ["150mg"], "3.80", False, 4),
    ("盐酸舍曲林片", "片剂", "50mg", [], "4.00", False, 3),
    ("阿立哌唑片", "片剂", "5mg", ["10mg"], "6.00", False, 2),
    ("非布司他片", "片剂", "40mg", ["20mg", "80mg"], "4.50", False, 4),
    ("塞来昔布胶囊", "胶囊", "0.2g", [], "3.50", False, 5),
    ("来曲唑片", "片剂", "2.5mg", [], "7.00", False, 2),
    ("比卡鲁胺片", "片剂", "50mg", [], "15.00", False, 1),
    ("替吉奥胶囊", "胶囊", "20mg", ["25mg"], "12.00", False, 1),
    ("盐酸伐昔洛韦片", "片剂", "0.3g", [], "2.50", False, 3),
    ("丙酚替诺福韦片", "片剂", "25mg", [], "15.00", False, 3),
    ("富马酸替诺福韦二吡呋酯片", "片剂", "0.3g", [], "8.00", False, 3),
    ("注射用哌拉西林钠他唑巴坦钠", "注射用无菌粉末", "4.5g", ["2.25g"], "25.00", False, 4),
    ("注射用泮托拉唑钠", "注射用无菌粉末", "40mg", [], "15.00", False, 5),
    ("盐酸昂丹司琼注射液", "注射剂", "2ml:4mg", ["4ml:8mg"], "6.00", False, 4),
    ("左乙拉西坦片", "片剂", "0.25g", ["0.5g"], "2.50", False, 3),
    ("奥卡西平片", "片剂", "0.3g", [], "2.80", False, 2),
    ("氯雷他定片", "片剂", "10mg", [], "1.00", False, 6),
    ("磷酸西格列汀片", "片剂", "100mg", ["50mg"], "6.00", False, 4),
    ("恩格列净片", "片剂", "10mg", ["25mg"], "4.50", False, 4),
    ("盐酸度洛西汀肠溶胶囊", "胶囊", "20mg", ["30mg", "60mg"], "3.50", False, 2),
    ("罗库溴铵注射液", "注射剂", "5ml:50mg", [], "40.00", False, 2),
    ("注射用艾司奥美拉唑钠", "注射用无菌粉末", "40mg", [], "30.00", False, 4),
]

# Generic manufacturers and the province each is based in (preferences lean to home).
COMPANIES = [
    ("齐鲁制药有限公司", "山东省"), ("石药集团欧意药业有限公司", "河北省"), ("扬子江药业集团有限公司", "江苏省"),
    ("浙江华海药业股份有限公司", "浙江省"), ("四川科伦药业股份有限公司", "四川省"),
    ("正大天晴药业集团股份有限公司", "江苏省"), ("江苏恒瑞医药股份有限公司", "江苏省"),
    ("浙江京新药业股份有限公司", "浙江省"), ("北京福元医药股份有限公司", "北京市"),
    ("重庆药友制药有限责任公司", "重庆市"), ("湖南千金湘江药业股份有限公司", "湖南省"),
    ("华北制药股份有限公司", "河北省"), ("海南普利制药股份有限公司", "海南省"),
    ("广东东阳光药业有限公司", "广东省"), ("上海上药信谊药厂有限公司", "上海市"),
    ("深圳信立泰药业股份有限公司", "广东省"), ("乐普药业股份有限公司", "北京市"),
    ("浙江海正药业股份有限公司", "浙江省"), ("山东新华制药股份有限公司", "山东省"),
    ("华润双鹤药业股份有限公司", "北京市"), ("哈药集团制药总厂", "黑龙江省"),
    ("成都倍特药业股份有限公司", "四川省"), ("江西青峰药业有限公司", "江西省"),
    ("石家庄四药有限公司", "河北省"), ("辰欣药业股份有限公司", "山东省"),
    ("悦康药业集团股份有限公司", "北京市"), ("苏州东瑞制药有限公司", "江苏省"),
    ("浙江普洛康裕制药有限公司", "浙江省"), ("珠海联邦制药股份有限公司", "广东省"),
    ("山东罗欣药业集团股份有限公司", "山东省"), ("南京圣和药业股份有限公司", "江苏省"),
    ("河南天方药业股份有限公司", "河南省"), ("北京四环制药有限公司", "北京市"),
    ("广州白云山医药集团股份有限公司", "广东省"), ("昆药集团股份有限公司", "云南省"),
    ("吉林四环制药有限公司", "吉林省"), ("山西普德药业有限公司", "山西省"),
    ("国药集团致君（深圳）制药有限公司", "广东省"), ("石药集团中诺药业（石家庄）有限公司", "河北省"),
    ("湖南科伦制药有限公司", "湖南省"), ("湖北科益药业股份有限公司", "湖北省"),
    ("福建海西新药创制股份有限公司", "福建省"),
]

# The 31 mainland provinces: GB/T 2260 code, 2020 census population (millions), places with their
# 6-digit area codes (county = True for a 县, whose hospitals are county and township ones).
PROVINCES = [
    ("北京市", "11", 21.9, [("110101", "北京市东城区"), ("110105", "北京市朝阳区"), ("110106", "北京市丰台区"), ("110108", "北京市海淀区")]),
    ("天津市", "12", 13.9, [("120101", "天津市和平区"), ("120103", "天津市河西区"), ("120104", "天津市南开区")]),
    ("河北省", "13", 74.6, [("130102", "石家庄市长安区"), ("130203", "唐山市路北区"), ("130602", "保定市竞秀区"), ("130425", "大名县")]),
    ("山西省", "14", 34.9, [("140105", "太原市小店区"), ("140202", "大同市平城区"), ("140802", "运城市盐湖区"), ("140121", "清徐县")]),
    ("内蒙古自治区", "15", 24.0, [("150102", "呼和浩特市新城区"), ("150203", "包头市昆都仑区"), ("150602", "鄂尔多斯市东胜区")]),
    ("辽宁省", "21", 42.6, [("210102", "沈阳市和平区"), ("210202", "大连市中山区"), ("210302", "鞍山市铁东区")]),
    ("吉林省", "22", 24.1, [("220102", "长春市南关区"), ("220202", "吉林市昌邑区"), ("220502", "通化市东昌区")]),
    ("黑龙江省", "23", 31.9, [("230102", "哈尔滨市道里区"), ("230202", "齐齐哈尔市龙沙区"), ("230602", "大庆市萨尔图区")]),
    ("上海市", "31", 24.9, [("310101", "上海市黄浦区"), ("310104", "上海市徐汇区"), ("310115", "上海市浦东新区")]),
    ("江苏省", "32", 84.7, [("320102", "南京市玄武区"), ("320505", "苏州市虎丘区"), ("320206", "无锡市惠山区"), ("320303", "徐州市云龙区")]),
    ("浙江省", "33", 64.6, [("330106", "杭州市西湖区"), ("330203", "宁波市海曙区"), ("330302", "温州市鹿城区"), ("330324", "永嘉县")]),
    ("安徽省", "34", 61.0, [("340103", "合肥市庐阳区"), ("340202", "芜湖市镜湖区"), ("341302", "宿州市埇桥区"), ("341322", "萧县")]),
    ("福建省", "35", 41.5, [("350102", "福州市鼓楼区"), ("350203", "厦门市思明区"), ("350503", "泉州市丰泽区")]),
    ("江西省", "36", 45.2, [("360102", "南昌市东湖区"), ("360702", "赣州市章贡区"), ("360402", "九江市濂溪区")]),
    ("山东省", "37", 101.5, [("370102", "济南市历下区"), ("370202", "青岛市市南区"), ("370702", "潍坊市潍城区"), ("371302", "临沂市兰山区"), ("370724", "临朐县")]),
    ("河南省", "41", 99.4, [("410102", "郑州市中原区"), ("410302", "洛阳市老城区"), ("411302", "南阳市宛城区"), ("410702", "新乡市红旗区"), ("410622", "淇县")]),
    ("湖北省", "42", 57.8, [("420102", "武汉市江岸区"), ("420502", "宜昌市西陵区"), ("420602", "襄阳市襄城区"), ("421022", "公安县")]),
    ("湖南省", "43", 66.4, [("430102", "长沙市芙蓉区"), ("430202", "株洲市荷塘区"), ("430302", "湘潭市雨湖区")]),
    ("广东省", "44", 126.0, [("440103", "广州市荔湾区"), ("440304", "深圳市福田区"), ("440604", "佛山市禅城区"), ("441302", "惠州市惠城区")]),
    ("广西壮族自治区", "45", 50.1, [("450102", "南宁市兴宁区"), ("450202", "柳州市城中区"), ("450302", "桂林市秀峰区")]),
    ("海南省", "46", 10.1, [("460105", "海口市秀英区"), ("460202", "三亚市海棠区")]),
    ("重庆市", "50", 32.1, [("500103", "重庆市渝中区"), ("500105", "重庆市江北区"), ("500106", "重庆市沙坪坝区")]),
    ("四川省", "51", 83.7, [("510104", "成都市锦江区"), ("510107", "成都市武侯区"), ("510703", "绵阳市涪城区"), ("511302", "南充市顺庆区"), ("511321", "南部县")]),
    ("贵州省", "52", 38.6, [("520102", "贵阳市南明区"), ("520302", "遵义市红花岗区"), ("520402", "安顺市西秀区")]),
    ("云南省", "53", 47.2, [("530102", "昆明市五华区"), ("530302", "曲靖市麒麟区"), ("530124", "富民县")]),
    ("西藏自治区", "54", 3.6, [("540102", "拉萨市城关区"), ("540202", "日喀则市桑珠孜区")]),
    ("陕西省", "61", 39.5, [("610102", "西安市新城区"), ("610113", "西安市雁塔区"), ("610302", "宝鸡市渭滨区")]),
    ("甘肃省", "62", 25.0, [("620102", "兰州市城关区"), ("620502", "天水市秦州区"), ("620521", "清水县")]),
    ("青海省", "63", 5.9, [("630102", "西宁市城东区"), ("630104", "西宁市城西区")]),
    ("宁夏回族自治区", "64", 7.2, [("640104", "银川市兴庆区"), ("640202", "石嘴山市大武口区")]),
    ("新疆维吾尔自治区", "65", 25.9, [("650102", "乌鲁木齐市天山区"), ("650104", "乌鲁木齐市新市区"), ("650202", "克拉玛依市独山子区")]),
]
# hospital kinds: (suffix, size factor, tier)  — tier scales how many drugs a hospital reports
DISTRICT_KINDS = [("人民医院", 3.0, 1.5), ("第一人民医院", 3.0, 1.5), ("第二人民医院", 2.0, 1.3), ("中医医院", 1.5, 1.2),
                  ("中西医结合医院", 1.2, 1.1), ("妇幼保健院", 0.6, 0.7), ("中心医院", 2.5, 1.4), ("第三人民医院", 1.5, 1.2),
                  ("精神卫生中心", 0.5, 0.6), ("{street}街道社区卫生服务中心", 0.3, 0.8)]
COUNTY_KINDS = [("人民医院", 2.0, 1.4), ("中医医院", 1.2, 1.1), ("妇幼保健院", 0.5, 0.7), ("第二人民医院", 1.2, 1.1),
                ("{street}镇卫生院", 0.2, 0.7)]
STREETS = ["城关", "新华", "东关", "西关", "南街", "北街", "城南", "城北", "解放", "人民路", "建设", "和平", "东风", "向阳",
           "红旗", "胜利", "新城", "长安", "文化", "中山", "光明", "幸福", "朝阳", "站前", "河东", "河西", "桥西", "桥东"]

WINNERS_TABLE_ROWS = 16          # the maximum-winners tables have rows 1 … 15 and ≥16
MAX_BIDDERS = 20
ORAL_PACKS = [7, 14, 28, 30, 60, 100]
INJECTION_PACKS = [1, 5, 10]
AMOUNT = re.compile(r"([0-9.]+)\s*(mg|g|µg|ug|IU|ml)", re.I)
TO_MG = {"g": 1000.0, "mg": 1.0, "µg": 0.001, "ug": 0.001, "iu": 1.0, "ml": 1.0}


def content(spec: str) -> float:
    """Active content of a spec, in mg (the amount after ':' for a solution such as 5ml:0.5g)."""
    value, unit = AMOUNT.findall(spec.split(":")[-1])[0]
    return float(value) * TO_MG[unit.lower()]


def spec_k(rep: str, spec: str) -> float:
    """差比价 factor of `spec` versus the representative spec: 1.7^log2(content ratio)."""
    return 1.7 ** math.log2(content(spec) / content(rep))


def cents(x: float) -> int:
    return max(1, int(round(x * 100)))


def money(c: int) -> str:
    return f"{c // 100}.{c % 100:02d}"


def packs_for(form: str, spec: str) -> list[int]:
    if "注射" in form:
        return INJECTION_PACKS
    if form == "口服溶液剂":
        return [1] if float(spec.split("ml")[0]) >= 60 else [6, 10, 12]
    if form == "散剂":
        return [10, 12, 15, 20]
    return ORAL_PACKS


def bidder_counts(rng: random.Random, n_drugs: int, total: int) -> tuple[list[int], set[int]]:
    """Bidders per drug summing to `total`, each 1 … 20; when there is room, drugs with exactly
    1 … 16 valid bidders come first (every row of the maximum-winners tables). Returns the counts
    and the indexes of those "table" drugs (they get no invalid bids, so valid = count)."""
    if not n_drugs <= total <= n_drugs * MAX_BIDDERS:
        sys.exit(f"--bids-total must be between {n_drugs} and {n_drugs * MAX_BIDDERS} for {n_drugs} drugs")
    rows = min(WINNERS_TABLE_ROWS, n_drugs)
    # the other drugs must be able to take the rest: 1 … 20 bidders each
    while rows and not (n_drugs - rows) <= total - rows * (rows + 1) // 2 <= (n_drugs - rows) * MAX_BIDDERS:
        rows -= 1
    rest = n_drugs - rows
    left = total - rows * (rows + 1) // 2
    counts = list(range(1, rows + 1))
    if rest:
        weights = [rng.random() + 0.15 for _ in range(rest)]
        extra = [min(MAX_BIDDERS - 1, int((left - rest) * w / sum(weights))) for w in weights]
        free = [1 + e for e in extra]
        while sum(free) < left:
            i = rng.randrange(rest)
            if free[i] < MAX_BIDDERS:
                free[i] += 1
        while sum(free) > left:
            i = rng.randrange(rest)
            if free[i] > 1:
                free[i] -= 1
        counts += free
    order = list(range(n_drugs))
    rng.shuffle(order)  # table drugs spread over the batch, not V001 … V016
    placed = [0] * n_drugs
    for slot, c in zip(order, counts):
        placed[slot] = c
    return placed, {order[i] for i in range(rows)}


def make_bids(rng: random.Random, d: dict, n: int, n_invalid: int) -> list[dict]:
    """`n` bids of one drug, `n_invalid` of them above the ceiling. Prices are built as unit
    comparable prices first (per minimal unit of the representative spec), then carried to the bid's
    spec and pack. Fields starting with _ are for the summary, not written."""
    ceil_c = cents(float(d["ceiling"]))  # ceiling in cents per unit
    ceil = ceil_c / 100
    companies = rng.sample(COMPANIES, n)
    valid = n - n_invalid
    low = ceil * (rng.uniform(0.2, 0.6) if valid == 1 else rng.uniform(0.05, 0.40))
    bids = []
    for i, (company, _) in enumerate(companies):
        rep_spec = i == 0 or not d["alts"] or rng.random() < 0.75
        spec = d["spec"] if rep_spec else rng.choice(d["alts"])
        packs = packs_for(d["form"], spec)
        bids.append({"company": company, "spec": spec, "pack": rng.choice(packs), "revival": False})
    # roles: 0 = lowest, then optional twin at exactly 1.8×, optional at-ceiling, loser band, the rest
    roles = ["low"] + ["near"] * (valid - 1) + ["invalid"] * n_invalid
    idx = list(range(1, valid))
    rng.shuffle(idx)
    if valid >= 3 and rng.random() < 0.35:
        roles[idx.pop()] = "twin"
    if idx and rng.random() < 0.3:
        roles[idx.pop()] = "ceiling"
    # some drugs have few bids near the lowest: fewer winners than the table allows, room for revival
    band_share = 0.6 if valid >= 4 and rng.random() < 0.2 else 0.13
    for i in idx:
        if rng.random() < band_share and 1.85 * low < 0.95 * ceil:
            roles[i] = "band"
    low_pack = None
    for b, role in zip(bids, roles):
        k = spec_k(d["spec"], b["spec"])
        if role == "twin":
            b["spec"], b["pack"] = bids[0]["spec"], bids[0]["pack"]
            b["_cents"] = low_pack * 9 // 5
        elif role == "ceiling":
            b["spec"], b["pack"] = d["spec"], rng.choice(packs_for(d["form"], d["spec"]))
            b["_cents"] = ceil_c * b["pack"]
        else:
            if role == "low":
                p = low
            elif role == "near":
                p = low * (1.04 + 0.74 * rng.betavariate(1.3, 1.6))
            elif role == "band":
                p = rng.uniform(1.85 * low, 0.95 * ceil)
            else:  # invalid: above the ceiling
                p = ceil * rng.uniform(1.03, 1.4)
            c = cents(p * k * b["pack"])
            if role == "low" and "twin" in roles:
                c = max(5, c - c % 5)  # 1.8 × a multiple of 5 cents is whole cents: the twin is exact
            b["_cents"] = c
            if role == "low":
                low_pack = c
        b["_role"] = role
    # rounding to cents must not break the roles: keep the lowest strictly lowest, invalid above
    unit = lambda b: b["_cents"] / 100 / b["pack"] / spec_k(d["spec"], b["spec"])  # noqa: E731
    low_u = unit(bids[0])
    for b in bids[1:]:
        if b["_role"] in ("near", "band"):
            while unit(b) <= low_u * 1.01:
                b["_cents"] += 1
            while unit(b) >= ceil and b["_cents"] > 1:
                b["_cents"] -= 1
        elif b["_role"] == "invalid":
            while unit(b) <= ceil * 1.01:
                b["_cents"] += 1
        b["revival"] = b["_role"] != "invalid" and rng.random() < (0.4 if b["_role"] == "band" else 0.03)
    for b in bids:
        b["price"] = money(b["_cents"])
        b["_unit"] = unit(b)
    rng.shuffle(bids)
    return bids


def make_hospitals(rng: random.Random, n: int) -> list[tuple]:
    """(code, name, province, size, tier) for `n` hospitals, provinces weighted by population."""
    weights = [p[2] for p in PROVINCES]
    serial: dict[str, int] = {}
    names: set[str] = set()
    out = []
    for prov in rng.choices(PROVINCES, weights=weights, k=n):
        code6, place = rng.choice(prov[3])
        kinds = COUNTY_KINDS if place.endswith("县") else DISTRICT_KINDS
        for _ in range(6):  # prefer a name not used yet (the small sample has no duplicates)
            kind, size, tier = rng.choice(kinds)
            name = place + kind.format(street=rng.choice(STREETS))
            if name not in names:
                break
        names.add(name)
        serial[code6] = serial.get(code6, 0) + rng.randint(1, 9)
        out.append((f"H{code6}{serial[code6]:05d}", name, prov[0], size * rng.lognormvariate(0, 0.6), tier))
    return out


def base_quantity(d: dict) -> float:
    """A mid-size hospital's yearly units of the representative spec."""
    q = 1500.0 if "注射" in d["form"] or d["form"] in ("口服溶液剂", "散剂") else 9000.0
    c = float(d["ceiling"])
    return q / 5 if c >= 50 else q / 2 if c >= 10 else q


def expected_supply(out: Path, rules: str) -> tuple[dict[tuple[str, str], str], dict[str, float]]:
    """(drug, province) → supplying company and drug → agreed share, from catalog-tool's own
    evaluation and allocation of the batch just written (one source of truth for the rules)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from catalog_tool.formats.vbp_batch import read_batch
    from catalog_tool.procurement import evaluate, load_rules
    from catalog_tool.procurement.allocate import allocate

    batch = read_batch(out)
    alloc = allocate(batch, evaluate(batch.drugs, batch.bids, load_rules(rules)))
    return alloc.supplier, {k: float(v) for k, v in alloc.shares.items()}


def write_csv(path: Path, header: list[str], rows, encoding: str = "utf-8") -> int:
    n = 0
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n" if encoding != "utf-8" else "\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)
            n += 1
    return n


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--drugs", type=int, default=46)
    ap.add_argument("--bids-total", type=int, default=420)
    ap.add_argument("--hospitals", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--drugs-per-hospital", type=float, default=4.0, help="average drugs a hospital reports")
    ap.add_argument("--invalid-share", type=float, default=0.03, help="share of bids above the ceiling")
    ap.add_argument("--preferences", action="store_true", help="write preferences.csv")
    ap.add_argument("--purchases", type=Path, help="also write a purchases CSV for `vbp progress`")
    ap.add_argument("--gbk-demand", action="store_true", help="write demand.csv in GBK (as hospitals' Excel does)")
    ap.add_argument("--id", help="batch id (default: derived from the arguments)")
    ap.add_argument("--title", default="benchmark batch")
    ap.add_argument("--rules", default="batch-9")
    a = ap.parse_args(argv)
    if not 1 <= a.drugs <= len(DRUGS):
        sys.exit(f"--drugs must be 1 … {len(DRUGS)}")
    t0 = time.perf_counter()
    rng = random.Random(a.seed)
    out: Path = a.out_dir
    out.mkdir(parents=True, exist_ok=True)
    drugs = [dict(id=f"V{i + 1:03d}", name=n, form=f, spec=s, alts=alts, ceiling=c, anti=anti, pop=pop)
             for i, (n, f, s, alts, c, anti, pop) in enumerate(DRUGS[: a.drugs])]

    counts, table_drugs = bidder_counts(rng, a.drugs, a.bids_total)
    # invalid bids go to drugs outside the table set with at least 2 bidders (one valid bid stays)
    n_invalid = [0] * a.drugs
    room = [i for i in range(a.drugs) if i not in table_drugs and counts[i] >= 2]
    for _ in range(round(a.invalid_share * a.bids_total)):
        room = [i for i in room if counts[i] - n_invalid[i] >= 2]
        if not room:
            break
        n_invalid[rng.choice(room)] += 1
    bids = {d["id"]: make_bids(rng, d, counts[i], n_invalid[i]) for i, d in enumerate(drugs)}

    n_drugs = write_csv(out / "drugs.csv", ["品种编号", "药品通用名", "剂型", "代表品规格", "最高有效申报价", "特殊抗菌药物"],
                        ([d["id"], d["name"], d["form"], d["spec"], d["ceiling"], "是" if d["anti"] else "否"] for d in drugs))
    n_bids = write_csv(out / "bids.csv", ["品种编号", "企业名称", "产品名称", "规格", "包装数量", "申报价", "接受复活"],
                       ([d["id"], b["company"], d["name"], b["spec"], b["pack"], b["price"], "是" if b["revival"] else "否"]
                        for d in drugs for b in bids[d["id"]]))
    n_ref = write_csv(out / "reference-prices.csv", ["品种编号", "集采前价格"],
                      ([d["id"], money(cents(float(d["ceiling"]) * rng.uniform(0.85, 1.05)))] for d in drugs))

    # demand: each hospital reports a random subset of the drugs
    hospitals = make_hospitals(rng, a.hospitals)
    pops = sum(d["pop"] for d in drugs)
    probs = [min(0.95, a.drugs_per_hospital * d["pop"] / pops) for d in drugs]
    bases = [base_quantity(d) for d in drugs]
    demand = []
    for code, name, prov, size, tier in hospitals:
        picked = [j for j, p in enumerate(probs) if rng.random() < p * tier]
        if not picked:
            picked = rng.choices(range(a.drugs), weights=[d["pop"] for d in drugs])
        for j in picked:
            q = bases[j] * size * rng.lognormvariate(0, 0.5)
            q = max(20, int(round(q, -1)) if q >= 100 else int(q))
            demand.append((code, name, prov, drugs[j]["id"], q))
    n_demand = write_csv(out / "demand.csv", ["医疗机构编码", "医疗机构名称", "省份", "品种编号", "需求量"], demand,
                         encoding="gbk" if a.gbk_demand else "utf-8")

    prov_names = [p[0] for p in PROVINCES]
    prov_w = [p[2] for p in PROVINCES]
    home = dict(COMPANIES)
    prefs: dict[tuple[str, str], list[str]] = {}
    n_pref = 0
    if a.preferences:
        def ranked(company: str) -> list[str]:
            k = rng.randint(3, 8)
            # weighted sampling without replacement (Efraimidis–Spirakis): big provinces first more often
            order = sorted(prov_names, key=lambda p: -rng.random() ** (1 / prov_w[prov_names.index(p)]))
            if rng.random() < 0.6:
                order.remove(home[company])
                order.insert(0, home[company])
            return order[:k]

        for d in drugs:
            for b in sorted(bids[d["id"]], key=lambda b: b["company"]):
                prefs[(d["id"], b["company"])] = ranked(b["company"])
        n_pref = write_csv(out / "preferences.csv", ["品种编号", "企业名称", "顺位", "省份"],
                           ([drug, company, r, p] for (drug, company), ps in prefs.items()
                            for r, p in enumerate(ps, start=1)))

    (out / "batch.json").write_text(json.dumps({
        "id": a.id or f"bench-d{a.drugs}-b{a.bids_total}-h{a.hospitals}-s{a.seed}",
        "title": a.title, "rules": a.rules,
        "notes": "synthetic; prices and companies are illustrative",
    }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    n_purch = 0
    ratios = []
    if a.purchases:
        supplier, share = expected_supply(out, a.rules)
        rows = []
        for code, _, prov, drug, q in demand:
            if rng.random() >= 0.4:
                continue
            r = rng.choice([rng.uniform(0.0, 0.3), rng.uniform(0.3, 0.9), rng.uniform(0.9, 1.05), rng.uniform(1.05, 1.2)])
            if drug not in share or (drug, prov) not in supplier:
                continue
            total = int(q * share[drug] * r)
            if total <= 0:
                continue
            ratios.append(r)
            company = supplier[(drug, prov)]
            if rng.random() < 0.05:  # bought from another bidder: does not count towards the agreed volume
                company = rng.choice(bids[drug])["company"]
            parts = rng.randint(1, 3)
            months = sorted(rng.sample(range(1, 12), parts))
            left = total
            for i, m in enumerate(months):
                part = left if i == parts - 1 else min(left, int(total * rng.uniform(0.2, 0.5)))
                left -= part
                if part:
                    rows.append((code, drug, company, part, f"2026-{m:02d}-{rng.randint(1, 28):02d}"))
        a.purchases.parent.mkdir(parents=True, exist_ok=True)
        n_purch = write_csv(a.purchases, ["医疗机构编码", "品种编号", "企业名称", "采购量", "采购日期"], rows)

    # summary
    valid_counts = sorted(counts[i] - n_invalid[i] for i in range(a.drugs))
    rows_seen = sorted({min(v, WINNERS_TABLE_ROWS) for v in valid_counts})
    roles: dict[str, int] = {}
    for bl in bids.values():
        for b in bl:
            roles[b["_role"]] = roles.get(b["_role"], 0) + 1
    cheap = sum(1 for bl in bids.values() for b in bl if b["_role"] != "invalid" and b["_unit"] <= 0.10)
    revival = sum(1 for bl in bids.values() for b in bl if b["revival"])
    other_spec = sum(1 for d in drugs for b in bids[d["id"]] if b["spec"] != d["spec"])
    print(f"wrote {out}: drugs {n_drugs}, bids {n_bids}, demand {n_demand} ({len(hospitals)} hospitals), "
          f"reference-prices {n_ref}, preferences {n_pref}" + (f", purchases {n_purch} -> {a.purchases}" if a.purchases else ""))
    print(f"  valid bidders per drug: {valid_counts}")
    print(f"  winners-table rows present (16 = ≥16): {rows_seen}; missing: {sorted(set(range(1, 17)) - set(rows_seen))}")
    print(f"  bid roles: {roles}; unit ≤ 0.10: {cheap}; other spec: {other_spec}; 接受复活: {revival}")
    if ratios:
        print(f"  purchases: {len(ratios)} hospital×drug pairs, completion ratio min {min(ratios):.2f} max {max(ratios):.2f}")
    print(f"  {time.perf_counter() - t0:.2f}s")


if __name__ == "__main__":
    main()
