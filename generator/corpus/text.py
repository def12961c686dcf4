"""Names and prose for generated corpora (``corpus``): invented places, real kinds of agency.

The prose is written the way annual reports are written (the same stock phrases,
the same order of paragraphs), drawn from several wordings per sentence so that
no two reports read alike; every figure it quotes is the table's own.
"""

from __future__ import annotations

import random
from typing import Any

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

LEADERSHIP = {
    "state_council_department": "党中央、国务院",
    "provincial_government": "省委",
    "provincial_department": "省委、省政府",
    "city_government": "市委",
    "city_department": "市委、市政府",
    "county_government": "区委",
    "county_department": "区委、区政府",
    "township": "区委、区政府",
    "subdistrict": "区委、区政府",
}

OPENINGS = [
    "{y}年，{a}在{up}的坚强领导下，认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "以切实维护人民群众的切身利益为出发点，持续完善工作机制，做到应公开、尽公开。",
    "{y}年，{a}坚持以人民为中心的发展思想，严格执行《中华人民共和国政府信息公开条例》，"
    "对照{up}关于全面推进政务公开工作的部署，加强统筹联动，推动政务公开工作提质增效。",
    "{y}年以来，{a}深入贯彻落实{up}关于政务公开工作的决策部署，以公开促落实、促规范、促服务，"
    "不断提高政务公开工作标准化、规范化水平。",
]
PROACTIVE = [
    "（一）主动公开。全面做好财政预决算、“三公”经费、重大建设项目等信息公开工作，做到内容完整、格式规范、发布及时。",
    "（一）主动公开。围绕重点领域信息公开，及时发布政策文件、规划计划、行政执法等信息，落实行政执法公示制度，主动接受社会监督。",
    "（一）主动公开。严格落实公文公开属性源头认定，坚持三审三校制度，确保发布信息准确无误。",
]
HANDLING = [
    "（三）政府信息管理。持续开展政府信息公开属性源头认定工作，在公文办理环节明确公开属性，对不予公开的说明理由。",
    "（三）政府信息管理。动态更新政府信息公开指南和公开目录，组织参加政务公开业务培训，提升工作人员业务能力。",
    "（三）政府信息管理。建立健全信息发布审核机制，落实三审三校要求，规范公开内容和格式。",
]
PLATFORMS = [
    "（四）政府信息公开平台建设。畅通12345热线、网站留言等互动渠道，全年办理群众留言{m}件，做到件件有回应。",
    "（四）政府信息公开平台建设。持续优化政府网站信息公开专栏，加强政务新媒体管理，全年通过各类平台主动公开政府信息{m}条。",
    "（四）政府信息公开平台建设。依托政务服务大厅设置政府信息公开查阅点，方便群众查阅，全年接待现场查阅{m}人次。",
]
OVERSIGHT = [
    "（五）监督保障。定期开展政府网站和政务新媒体检查，对发现的问题及时督促整改，全年未发生政府信息公开工作责任追究事项。",
    "（五）监督保障。把政务公开工作纳入年度目标考核，通过设立意见箱、公开监督电话等方式主动接受社会监督。",
]
PROBLEMS = [
    "{y}年，{a}政府信息公开工作虽然取得了一定成绩，但仍存在一些不足：一是公开内容的深度和广度有待拓展；"
    "二是政策解读形式还不够丰富，图解、视频等解读方式运用不多。",
    "对照上级要求，{a}政府信息公开工作还存在差距：一是基层政务公开标准化规范化建设推进不平衡；"
    "二是工作人员业务水平有待进一步提高。",
]
IMPROVEMENTS = [
    "下一步，{a}将重点做好以下工作：一是拓宽公众参与渠道，完善意见征集和反馈机制；二是丰富政策解读形式，"
    "综合运用图表图解、音频视频等方式，增强解读效果。",
    "下一步，{a}将加强统筹联动，组织参加上级业务培训，对照标准目录持续完善公开事项，推动公开内容全面覆盖。",
]
OTHER = [
    "{y}年，{a}未收取政府信息公开信息处理费。",
    "本年度{a}依申请公开工作中未收取任何费用，无其他需要报告的事项。",
]


def _total(node: Any) -> int:
    """The 总计 of a row or of every row under a group (table 三 column 6, table 四 column 4)."""
    if isinstance(node, list):
        return int(node[-1]) if node[-1] is not None else 0
    return sum(_total(v) for v in node.values())


def applications_paragraph(rng: random.Random, apps: dict[str, Any]) -> str:
    """（二）依申请公开, quoting table 三's totals in the wording reports use."""
    f = {key: _total(apps[key]) for key in apps}
    head = rng.choice(["全年共收到政府信息公开申请{received}件", "本年度新收政府信息公开申请{received}件"])
    return (
        "（二）依申请公开。"
        + head.format(**f)
        + "，上年结转{carried_over}件；本年度办结{total}件，其中予以公开{disclosed}件，"
        "部分公开{partially_disclosed}件，"
        "不予公开{withheld}件，无法提供{unavailable}件，不予处理{not_processed}件，其他处理{other}件；"
        "结转下年度继续办理{carried_forward}件。".format(**f)
    )


def appeals_sentence(rng: random.Random, appeals: dict[str, Any]) -> str:
    review = _total(appeals["review"])
    lawsuits = _total(appeals["lawsuit"]) + _total(appeals["lawsuit_after_review"])
    if review == 0 and lawsuits == 0:
        return "全年未发生因政府信息公开引起的行政复议和行政诉讼案件。"
    wording = rng.choice(
        [
            "全年发生政府信息公开行政复议{r}件、行政诉讼{s}件。",
            "因政府信息公开被申请行政复议{r}起，被提起行政诉讼{s}起。",
        ]
    )
    return wording.format(r=review, s=lawsuits)


def report_body(rng: random.Random, short: str, level: str, year: int, report: dict[str, Any]) -> str:
    """The prose of sections 一、五、六 for one generated report."""
    y, up = f"{year}", LEADERSHIP[level]
    fill = {"y": y, "a": short, "up": up, "m": rng.randint(20, 9000)}
    overview = [
        rng.choice(OPENINGS).format(**fill),
        rng.choice(PROACTIVE).format(**fill),
        applications_paragraph(rng, report["applications"]) + appeals_sentence(rng, report["appeals"]),
        rng.choice(HANDLING).format(**fill),
        rng.choice(PLATFORMS).format(**fill),
        rng.choice(OVERSIGHT).format(**fill),
        f"本报告所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
    ]
    problems = [rng.choice(PROBLEMS).format(**fill), rng.choice(IMPROVEMENTS).format(**fill)]
    return (
        "## 一、总体情况\n\n"
        + "\n\n".join(overview)
        + "\n\n## 五、存在的主要问题及改进情况\n\n"
        + "\n\n".join(problems)
        + "\n\n## 六、其他需要报告的事项\n\n"
        + rng.choice(OTHER).format(**fill)
        + "\n"
    )
