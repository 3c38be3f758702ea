"""The synthetic credit world: deterministic (same seed → same world), valid codes throughout.

    world = World.generate(WorldConfig(seed=7, enterprises=5000))
    world.registrations["91640104…"].name

Everything here is invented: names are drawn from word lists, ID numbers are generated with
valid check characters for birth dates and Ningxia division codes, and no real person or firm
is meant.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from credit.identifiers import (
    USCC_ALPHABET,
    citizen_id_check_char,
    gb11714_check_char,
    uscc_check_char,
)
from credit.records import EntityType, OperatingStatus, Registration

__all__ = ["DIVISIONS", "World", "WorldConfig", "make_citizen_id", "make_uscc"]

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
_ORG_ALPHABET = USCC_ALPHABET  # the 组织机构代码 body must also fit the USCC alphabet

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
    "杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙"
    "史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华玉兰志强海燕春梅晓"
    "东红梅立新文博子涵宇轩欣怡浩然梓萱思远雨桐嘉怡"
)
_TRADE_WORDS = [
    "塞上",
    "贺兰",
    "六盘",
    "沙湖",
    "黄河",
    "凤城",
    "宁安",
    "朔方",
    "西夏",
    "银川",
    "枸杞",
    "滩羊",
    "金沙",
    "长城",
    "丝路",
    "星河",
    "瑞丰",
    "鑫源",
    "恒通",
    "汇达",
    "中宁",
    "明德",
    "泰和",
    "嘉禾",
    "禾丰",
    "德润",
    "兴隆",
    "博远",
    "天成",
    "盛世",
    "华泰",
    "润泽",
    "佳美",
]
_INDUSTRIES = [
    ("科技", "软件和信息技术服务业"),
    ("商贸", "批发业"),
    ("农业", "农业"),
    ("食品", "农副食品加工业"),
    ("建筑工程", "房屋建筑业"),
    ("物流", "道路运输业"),
    ("餐饮管理", "餐饮业"),
    ("能源", "电力、热力生产和供应业"),
    ("化工", "化学原料和化学制品制造业"),
    ("酒业", "酒、饮料和精制茶制造业"),
    ("文化传媒", "文化艺术业"),
    ("医药", "医药制造业"),
]
_STREETS = ["北京路", "解放街", "凤凰街", "文化街", "长城路", "民族街", "宁安大街", "黄河路"]


def make_uscc(rng: random.Random, prefix: str, division: str) -> str:
    """A valid USCC: 2-char prefix (authority + type), division, 组织机构代码, check."""
    body8 = "".join(rng.choice(_ORG_ALPHABET) for _ in range(8))
    first17 = prefix + division + body8 + gb11714_check_char(body8)
    return first17 + uscc_check_char(first17)


def make_citizen_id(rng: random.Random, division: str, born: dt.date, male: bool) -> str:
    seq = rng.randrange(0, 499) * 2 + (1 if male else 0)
    first17 = f"{division}{born:%Y%m%d}{seq:03d}"
    return first17 + citizen_id_check_char(first17)


@dataclass(frozen=True, slots=True)
class WorldConfig:
    seed: int = 20260401
    enterprises: int = 5000
    today: dt.date = dt.date(2026, 11, 22)


@dataclass
class World:
    """All subjects and the facts each bureau holds about them."""

    config: WorldConfig
    registrations: dict[str, Registration] = field(default_factory=dict)

    @classmethod
    def generate(cls, config: WorldConfig | None = None) -> World:
        config = config or WorldConfig()
        rng = random.Random(config.seed)
        world = cls(config=config)
        divisions = list(DIVISIONS)
        for _ in range(config.enterprises):
            division = rng.choice(divisions)
            uscc = make_uscc(rng, "91", division)
            while uscc in world.registrations:  # vanishingly rare; keep codes unique
                uscc = make_uscc(rng, "91", division)
            short, industry = rng.choice(_INDUSTRIES)
            name = f"宁夏{rng.choice(_TRADE_WORDS)}{rng.choice(_TRADE_WORDS)}{short}有限公司"
            established = config.today - dt.timedelta(days=rng.randrange(90, 365 * 25))
            born = dt.date(rng.randrange(1958, 2001), rng.randrange(1, 13), rng.randrange(1, 29))
            roll = rng.random()
            status = (
                OperatingStatus.ACTIVE
                if roll < 0.9
                else OperatingStatus.DEREGISTERED
                if roll < 0.97
                else OperatingStatus.REVOKED
            )
            world.registrations[uscc] = Registration(
                uscc=uscc,
                name=name,
                entity_type=EntityType.ENTERPRISE,
                status=status,
                established_on=established,
                registered_capital_yuan=Decimal(rng.choice([10, 50, 100, 200, 500, 1000, 5000]))
                * 10_000,
                address=f"{DIVISIONS[division]}{rng.choice(_STREETS)}{rng.randrange(1, 400)}号",
                division_code=division,
                industry=industry,
                legal_rep_name=rng.choice(_SURNAMES) + rng.choice(_GIVEN),
                legal_rep_id=make_citizen_id(rng, division, born, male=rng.random() < 0.6),
                phone=f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}",
            )
        return world
