"""Names and prose for generated corpora (``corpus``): invented places, real kinds of agency.

The prose is written the way annual reports are written (the same stock phrases,
the same order of paragraphs), drawn from several wordings per sentence so that
no two reports read alike; every figure it quotes is the table's own.
"""

from __future__ import annotations

import random
from functools import cache
from importlib import resources
from typing import Any

import yaml

from .. import standard

# Characters for invented place names, with their pinyin.
SYLLABLES: list[tuple[str, str]] = [
    (c, p)
    for c, p in zip(
        "红旗东城西南北安平阳山河江湖新华兴宁永丰长青龙泉金水石林海云德福明源广昌通桥凤鹤岭溪峰沙坪口集营庄塘湾岗田梅柳松临高武",
        [
            "hong",
            "qi",
            "dong",
            "cheng",
            "xi",
            "nan",
            "bei",
            "an",
            "ping",
            "yang",
            "shan",
            "he",
            "jiang",
            "hu",
            "xin",
            "hua",
            "xing",
            "ning",
            "yong",
            "feng",
            "chang",
            "qing",
            "long",
            "quan",
            "jin",
            "shui",
            "shi",
            "lin",
            "hai",
            "yun",
            "de",
            "fu",
            "ming",
            "yuan",
            "guang",
            "chang",
            "tong",
            "qiao",
            "feng",
            "he",
            "ling",
            "xi",
            "feng",
            "sha",
            "ping",
            "kou",
            "ji",
            "ying",
            "zhuang",
            "tang",
            "wan",
            "gang",
            "tian",
            "mei",
            "liu",
            "song",
            "lin",
            "gao",
            "wu",
        ],
        strict=True,
    )
]
PROVINCES: list[tuple[str, str]] = [
    ("河北省", "hebei"),
    ("山西省", "shanxi"),
    ("辽宁省", "liaoning"),
    ("吉林省", "jilin"),
    ("江苏省", "jiangsu"),
    ("浙江省", "zhejiang"),
    ("安徽省", "anhui"),
    ("福建省", "fujian"),
    ("江西省", "jiangxi"),
    ("山东省", "shandong"),
    ("河南省", "henan"),
    ("湖北省", "hubei"),
    ("湖南省", "hunan"),
    ("广东省", "guangdong"),
    ("海南省", "hainan"),
    ("四川省", "sichuan"),
    ("贵州省", "guizhou"),
    ("云南省", "yunnan"),
    ("陕西省", "shaanxi"),
    ("甘肃省", "gansu"),
]
STATE_DEPARTMENTS: list[tuple[str, str]] = [
    ("教育部", "moe"),
    ("科学技术部", "most"),
    ("民政部", "mca"),
    ("司法部", "moj"),
    ("财政部", "mof"),
    ("人力资源和社会保障部", "mohrss"),
    ("自然资源部", "mnr"),
    ("生态环境部", "mee"),
    ("住房和城乡建设部", "mohurd"),
    ("交通运输部", "mot"),
    ("水利部", "mwr"),
    ("农业农村部", "moa"),
    ("商务部", "mofcom"),
    ("文化和旅游部", "mct"),
    ("国家卫生健康委员会", "nhc"),
    ("应急管理部", "mem"),
    ("审计署", "audit"),
    ("国家市场监督管理总局", "samr"),
    ("国家统计局", "stats"),
    ("国家医疗保障局", "nhsa"),
]
# (name after the place, slug part, how the agency's own prose names it after 省/市/区)
PROVINCIAL_DEPARTMENTS: list[tuple[str, str, str]] = [
    ("人民政府办公厅", "zfbgt", "政府办公厅"),
    ("发展和改革委员会", "fgw", "发展改革委"),
    ("教育厅", "jyt", "教育厅"),
    ("财政厅", "czt", "财政厅"),
    ("民政厅", "mzt", "民政厅"),
    ("司法厅", "sft", "司法厅"),
    ("人力资源和社会保障厅", "rst", "人社厅"),
    ("自然资源厅", "zrzyt", "自然资源厅"),
    ("生态环境厅", "sthjt", "生态环境厅"),
    ("住房和城乡建设厅", "zjt", "住房城乡建设厅"),
    ("交通运输厅", "jtt", "交通运输厅"),
    ("水利厅", "slt", "水利厅"),
    ("农业农村厅", "nynct", "农业农村厅"),
    ("卫生健康委员会", "wjw", "卫生健康委"),
    ("市场监督管理局", "scjgj", "市场监管局"),
]
CITY_DEPARTMENTS: list[tuple[str, str, str]] = [
    ("人民政府办公室", "zfbgs", "政府办公室"),
    ("发展和改革委员会", "fgw", "发展改革委"),
    ("教育局", "jyj", "教育局"),
    ("财政局", "czj", "财政局"),
    ("民政局", "mzj", "民政局"),
    ("司法局", "sfj", "司法局"),
    ("人力资源和社会保障局", "rsj", "人社局"),
    ("自然资源局", "zrzyj", "自然资源局"),
    ("住房和城乡建设局", "zjj", "住房城乡建设局"),
    ("交通运输局", "jtj", "交通运输局"),
    ("水利局", "slj", "水利局"),
    ("农业农村局", "nyncj", "农业农村局"),
    ("卫生健康委员会", "wjw", "卫生健康委"),
    ("应急管理局", "yjglj", "应急管理局"),
    ("审计局", "sjj", "审计局"),
    ("市场监督管理局", "scjgj", "市场监管局"),
    ("统计局", "tjj", "统计局"),
    ("城市管理局", "cgj", "城市管理局"),
    ("文化广电和旅游局", "wglj", "文化广电旅游局"),
    ("行政审批服务局", "xzspj", "行政审批服务局"),
    ("医疗保障局", "ybj", "医保局"),
    ("商务局", "swj", "商务局"),
]
# A district's departments, in the order a --district corpus takes them.
DISTRICT_DEPARTMENTS: list[tuple[str, str, str]] = [
    ("财政局", "caizhengju", "财政局"),
    ("教育局", "jiaoyuju", "教育局"),
    ("民政局", "minzhengju", "民政局"),
    ("人力资源和社会保障局", "rensheju", "人社局"),
    ("自然资源局", "ziranziyuanju", "自然资源局"),
    ("住房和城乡建设局", "zhujianju", "住建局"),
    ("卫生健康委员会", "weijianwei", "卫健委"),
    ("应急管理局", "yingjiguanliju", "应急管理局"),
    ("市场监督管理局", "shichangjianguanju", "市场监管局"),
    ("生态环境分局", "shengtaihuanjingju", "生态环境分局"),
    ("司法局", "sifaju", "司法局"),
    ("交通运输局", "jiaotongju", "交通运输局"),
    ("农业农村局", "nongyeju", "农业农村局"),
    ("审计局", "shenjiju", "审计局"),
    ("统计局", "tongjiju", "统计局"),
    ("城市管理局", "chengguanju", "城管局"),
    ("文化广电和旅游局", "wenlvju", "文广旅局"),
    ("医疗保障局", "yibaoju", "医保局"),
    ("退役军人事务局", "tuiyijunrenju", "退役军人事务局"),
    ("商务局", "shangwuju", "商务局"),
]
TOWNSHIPS: list[tuple[str, str]] = [("关堤乡", "guandi-xiang"), ("和合乡", "hehe-xiang"), ("洪门镇", "hongmen-zhen")]
SUBDISTRICTS: list[tuple[str, str]] = [
    ("解放路街道", "jiefanglu-jiedao"),
    ("文化街街道", "wenhuajie-jiedao"),
    ("西街街道", "xijie-jiedao"),
    ("东街街道", "dongjie-jiedao"),
    ("渠东街道", "qudong-jiedao"),
    ("向阳街道", "xiangyang-jiedao"),
]


@cache
def prose() -> dict[str, Any]:
    """The wordings of generated prose (prose.yaml)."""
    data = yaml.safe_load(resources.files("generator").joinpath("corpus/prose.yaml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def _total(node: Any) -> int:
    """The 总计 of a row or of every row under a group (table 三 column 6, table 四 column 4)."""
    if isinstance(node, list):
        return int(node[-1]) if node[-1] is not None else 0
    return sum(_total(v) for v in node.values())


def applications_paragraph(rng: random.Random, apps: dict[str, Any]) -> str:
    """（二）依申请公开, quoting table 三's totals in the wording reports use."""
    f = {key: _total(apps[key]) for key in apps}
    words = prose()
    head = rng.choice(words["applications_heads"])
    return str(words["applications_lead"]) + str(head).format(**f) + str(words["applications_rest"]).format(**f)


def appeals_sentence(rng: random.Random, appeals: dict[str, Any]) -> str:
    review = _total(appeals["review"])
    lawsuits = _total(appeals["lawsuit"]) + _total(appeals["lawsuit_after_review"])
    if review == 0 and lawsuits == 0:
        return str(prose()["appeals_none"])
    return str(rng.choice(prose()["appeals_some"])).format(r=review, s=lawsuits)


def report_body(rng: random.Random, short: str, level: str, year: int, report: dict[str, Any]) -> str:
    """The prose of sections 一、五、六 for one generated report, under the standard's headings."""
    words = prose()
    fill = {"y": f"{year}", "a": short, "up": words["leadership"][level], "m": rng.randint(20, 9000)}

    def pick(kind: str) -> str:
        return str(rng.choice(words[kind])).format(**fill)

    overview = [
        pick("openings"),
        pick("proactive"),
        applications_paragraph(rng, report["applications"]) + appeals_sentence(rng, report["appeals"]),
        pick("handling"),
        pick("platforms"),
        pick("oversight"),
        str(words["period"]).format(**fill),
    ]
    problems = [pick("problems"), pick("improvements")]
    heading = {n: f"## {n}、{titles[0]}\n\n" for n, titles in standard.NARRATIVE_SECTIONS.items()}
    return (
        heading["一"]
        + "\n\n".join(overview)
        + "\n\n"
        + heading["五"]
        + "\n\n".join(problems)
        + "\n\n"
        + heading["六"]
        + pick("other")
        + "\n"
    )
