"""Word lists and name makers for the synthetic world: places, courts, people, organisations.

Everything is invented from word lists; no real person or firm is meant.  Each maker takes a
seeded :class:`random.Random` so the world stays deterministic.

    >>> person_name(random.Random(1))  # doctest: +SKIP
    '杨子涵'
"""

from __future__ import annotations

import random
from typing import NamedTuple

__all__ = [
    "COURTS",
    "DIVISIONS",
    "INDUSTRIES",
    "Industry",
    "cooperative_name",
    "decision_prefix",
    "enterprise_name",
    "individual_business_name",
    "market_bureau",
    "person_name",
    "public_institution_name",
    "rural_collective_name",
    "social_organisation_name",
    "street_address",
]

# DOMAIN.md §7: Ningxia division codes used for synthetic data.
DIVISIONS: dict[str, str] = {
    "640104": "宁夏回族自治区银川市兴庆区",
    "640105": "宁夏回族自治区银川市西夏区",
    "640106": "宁夏回族自治区银川市金凤区",
    "640200": "宁夏回族自治区石嘴山市",
    "640302": "宁夏回族自治区吴忠市利通区",
    "640324": "宁夏回族自治区吴忠市同心县",
    "640400": "宁夏回族自治区固原市",
    "640500": "宁夏回族自治区中卫市",
}
# Short place name (for organisation names) and the local 市场监管 abbreviation, per division.
_PLACES: dict[str, tuple[str, str, str]] = {
    # division: (city, district or county, abbreviation used in decision numbers)
    "640104": ("银川市", "兴庆区", "兴"),
    "640105": ("银川市", "西夏区", "西"),
    "640106": ("银川市", "金凤区", "金"),
    "640200": ("石嘴山市", "", "石"),
    "640302": ("吴忠市", "利通区", "利"),
    "640324": ("吴忠市", "同心县", "同"),
    "640400": ("固原市", "", "固"),
    "640500": ("中卫市", "", "卫"),
}
# Court per division, with the court code used in case numbers: (2023)宁0104执1234号.
COURTS: dict[str, tuple[str, str]] = {
    "640104": ("0104", "银川市兴庆区人民法院"),
    "640105": ("0105", "银川市西夏区人民法院"),
    "640106": ("0106", "银川市金凤区人民法院"),
    "640200": ("02", "石嘴山市中级人民法院"),
    "640302": ("0302", "吴忠市利通区人民法院"),
    "640324": ("0324", "同心县人民法院"),
    "640400": ("04", "固原市中级人民法院"),
    "640500": ("05", "中卫市中级人民法院"),
}

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
    "杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙"
    "史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国玉志海燕春梅晓东红立新文博子涵宇轩"
    "欣怡浩然梓萱思远雨桐嘉"
)


def _pairs(text: str) -> tuple[str, ...]:
    """Two-character words written back to back."""
    return tuple(text[i : i + 2] for i in range(0, len(text), 2))


_TRADE_WORDS = _pairs(
    "塞上贺兰六盘沙湖黄河凤城宁安朔方西夏枸杞滩羊金沙长城丝路星河瑞丰鑫源恒通"
    "汇达中宁明德泰和嘉禾禾丰德润兴隆博远天成盛世华泰润泽佳美宏达永盛安泰新元"
    "金桥丰源鼎盛广源华信昌盛利民百川聚鑫和谐众诚汇丰春晖锦程银峰绿洲青山明珠"
)
_FORMS = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司", "集团有限公司")


class Industry(NamedTuple):
    word: str  # short word in the name, e.g. 物流
    category: str  # 国民经济行业分类 name
    permit: str  # the permit firms of this industry usually hold ("" for none)


INDUSTRIES: tuple[Industry, ...] = tuple(
    Industry(*t)
    for t in (
        ("科技", "软件和信息技术服务业", ""),
        ("商贸", "批发业", ""),
        ("农业", "农业", ""),
        ("食品", "农副食品加工业", "食品生产许可证"),
        ("建筑工程", "房屋建筑业", "建筑业企业资质证书"),
        ("物流", "道路运输业", "道路运输经营许可证"),
        ("餐饮管理", "餐饮业", "食品经营许可证"),
        ("能源", "电力、热力生产和供应业", "电力业务许可证"),
        ("化工", "化学原料和化学制品制造业", "危险化学品经营许可证"),
        ("酒业", "酒、饮料和精制茶制造业", "食品生产许可证"),
        ("文化传媒", "文化艺术业", ""),
        ("医药", "医药制造业", "药品生产许可证"),
        ("矿业", "煤炭开采和洗选业", "安全生产许可证"),
        ("房地产开发", "房地产业", "房地产开发企业资质证书"),
        ("机械制造", "通用设备制造业", ""),
        ("环保科技", "生态保护和环境治理业", "排污许可证"),
    )
)
_SHOPS = (
    "百货店",
    "拉面馆",
    "日杂店",
    "五金店",
    "理发店",
    "烧烤店",
    "便利店",
    "服装店",
    "手机维修部",
)
_CROPS = ("枸杞种植", "滩羊养殖", "硒砂瓜种植", "马铃薯种植", "奶牛养殖", "葡萄种植", "蔬菜种植")
_VILLAGE_WORDS = _pairs("红星新民团结幸福向阳东风光明胜利丰收永宁清水高庄杨河马家")
_INSTITUTIONS = (
    "第{n}中学",
    "第{n}小学",
    "人民医院",
    "中医医院",
    "疾病预防控制中心",
    "妇幼保健院",
    "图书馆",
    "不动产登记中心",
    "职业技术学校",
    "农业技术推广服务中心",
)
_ASSOCIATIONS = ("餐饮行业协会", "物流协会", "个体劳动者协会", "建筑业协会", "枸杞产业协会")
_NON_PROFITS = ("阳光幼儿园", "职业技能培训学校", "社区养老服务中心", "青少年活动中心")
_STREETS = ("北京路", "解放街", "凤凰街", "文化街", "长城路", "民族街", "宁安大街", "黄河路")
_CN_DIGITS = "一二三四五六七八九十"


def _place(division: str) -> str:
    city, district, _ = _PLACES[division]
    return city + district


def market_bureau(division: str) -> str:
    """The 市场监督管理局 of a division (deciding authority of market penalties)."""
    return _place(division) + "市场监督管理局"


def decision_prefix(division: str) -> str:
    """Abbreviation used in decision numbers, e.g. 兴 for 兴庆区."""
    return _PLACES[division][2]


def person_name(rng: random.Random) -> str:
    given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(_SURNAMES) + given


def enterprise_name(rng: random.Random, division: str, industry: Industry) -> str:
    city = _PLACES[division][0]
    place = "宁夏" if rng.random() < 0.5 else city.removesuffix("市")
    words = rng.sample(_TRADE_WORDS, 2)
    return f"{place}{words[0]}{words[1]}{industry.word}{rng.choice(_FORMS)}"


def individual_business_name(rng: random.Random, division: str, owner: str) -> str:
    _, district, _ = _PLACES[division]
    nickname = "老" + owner[0] if rng.random() < 0.4 else owner
    return f"{district or _PLACES[division][0]}{nickname}{rng.choice(_SHOPS)}"


def cooperative_name(rng: random.Random, division: str) -> str:
    city, district, _ = _PLACES[division]
    return f"{district or city}{rng.choice(_VILLAGE_WORDS)}{rng.choice(_CROPS)}专业合作社"


def public_institution_name(rng: random.Random, division: str) -> str:
    kind = rng.choice(_INSTITUTIONS).format(n=rng.choice(_CN_DIGITS))
    return _place(division) + kind


def social_organisation_name(rng: random.Random, division: str, non_profit: bool) -> str:
    words = _NON_PROFITS if non_profit else _ASSOCIATIONS
    return _place(division) + rng.choice(words)


def rural_collective_name(rng: random.Random, division: str) -> str:
    town = rng.choice(_VILLAGE_WORDS) + "镇"
    return f"{_place(division)}{town}{rng.choice(_VILLAGE_WORDS)}村股份经济合作社"


def street_address(rng: random.Random, division: str) -> str:
    return f"{DIVISIONS[division]}{rng.choice(_STREETS)}{rng.randrange(1, 400)}号"
