"""The joint-punishment measure catalogue, modelled on 全国失信惩戒措施基础清单 (DOMAIN.md §3).

A locality may not add measures of its own, so every sanction the gateway shows links to one
entry here.  Each :class:`Measure` says what triggers it (which listing), which matters it
restricts (what an officer checks under 逢办必查), who implements it and on what legal basis.
Ids (``JC-NN``) are this catalogue's own; ``category`` records which of the national list's
three kinds a measure is.  Legal bases cite the instrument by its exact title (and 文号 where
one is settled), and an article only where the article was checked against the text.

    >>> measure("JC-05").name
    '限制参加政府采购活动'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["EDITION", "MEASURES", "Matter", "Measure", "MeasureCategory", "Trigger", "measure"]

EDITION = "全国失信惩戒措施基础清单（2024年版）"
"""The national list as revised in 2024 (its first edition was 2021's), cited by its edition."""


class Trigger(StrEnum):
    """A listing (or grade) that sets measures off."""

    JUDGMENT_DEFAULTER = "失信被执行人"
    CONSUMPTION_RESTRICTION = "限制消费"
    ABNORMAL_OPERATION = "经营异常名录"
    SERIOUS_VIOLATION = "严重违法失信名单"
    ESCALATED_SERIOUS_VIOLATION = "严重违法失信名单（经营异常名录满3年转入）"
    SERIOUS_DISHONESTY = "严重失信主体名单"
    TAX_GRADE_D = "纳税信用D级"


class Matter(StrEnum):
    """A kind of matter an officer handles and checks credit for (逢办必查)."""

    GOVERNMENT_PROCUREMENT = "政府采购"
    BIDDING = "招标投标"
    SUBSIDY = "财政资金补贴"
    LICENSING = "行政许可"
    FINANCING = "融资授信"
    PUBLIC_OFFICE = "任职资格"
    HONOURS = "评优评先"
    HIGH_CONSUMPTION = "高消费"
    INVOICE = "发票领用"


class MeasureCategory(StrEnum):
    RESTRICTS_RIGHTS = "减损信用主体权益或增加其义务的措施"
    MANAGEMENT = "公共管理机构根据履职需要实施的管理措施"
    MARKET = "公共管理机构以外的组织自主实施的措施"


@dataclass(frozen=True, slots=True)
class Measure:
    id: str
    edition: str
    category: MeasureCategory
    name: str
    legal_basis: str
    implementer: str
    target: str
    triggers: tuple[Trigger, ...]
    matters: tuple[Matter, ...]


_T = Trigger
_M = Matter
# 第八条: the court notifies departments and banks, who restrict defaulters in procurement,
# bidding, approvals, subsidies, credit, market access and qualifications.
_SPC_PUBLISH = "《最高人民法院关于公布失信被执行人名单信息的若干规定》第八条"
# 第一条: a listed defaulter must be restricted; 第三条: the restricted consumption, and who.
_SPC_CONSUME = "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》第一条、第三条"
_DEFAULTER_TARGET = (
    "被采取限制消费措施的被执行人（含失信被执行人）；被执行人为单位的，"
    "及其法定代表人、主要负责人、影响债务履行的直接责任人员、实际控制人"
)
_SERIOUS = (_T.JUDGMENT_DEFAULTER, _T.SERIOUS_VIOLATION, _T.SERIOUS_DISHONESTY)
_SERIOUS_LIST_RULE = "《市场监督管理严重违法失信名单管理办法》（市场监管总局令第44号）"
_STATE_COUNCIL = (
    "《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》"
    "（国发〔2016〕33号）"
)
_TAX_RULE = "《纳税缴费信用管理办法》（国家税务总局公告2025年第12号）"
_RIGHTS, _MGMT, _MARKET = MeasureCategory


def _m(
    id: str,
    category: MeasureCategory,
    name: str,
    legal_basis: str,
    implementer: str,
    target: str,
    triggers: tuple[Trigger, ...],
    matters: tuple[Matter, ...],
) -> Measure:
    return Measure(id, EDITION, category, name, legal_basis, implementer, target, triggers, matters)


MEASURES: tuple[Measure, ...] = (
    _m("JC-01", _RIGHTS, "限制在星级以上宾馆、酒店、夜总会、高尔夫球场等场所高消费",
       _SPC_CONSUME, "人民法院；相关经营单位协助", _DEFAULTER_TARGET,
       (_T.JUDGMENT_DEFAULTER, _T.CONSUMPTION_RESTRICTION), (_M.HIGH_CONSUMPTION,)),
    _m("JC-02", _RIGHTS,
       "限制乘坐飞机、列车软卧、轮船二等以上舱位及G字头动车组列车全部座位、其他动车组列车一等以上座位",
       _SPC_CONSUME, "人民法院；民航、铁路、交通运输企业协助", _DEFAULTER_TARGET,
       (_T.JUDGMENT_DEFAULTER, _T.CONSUMPTION_RESTRICTION), (_M.HIGH_CONSUMPTION,)),
    _m("JC-03", _RIGHTS, "限制购买不动产、新建扩建或高档装修房屋、购买非经营必需车辆",
       _SPC_CONSUME, "人民法院；不动产登记、住房城乡建设、公安交管部门协助", _DEFAULTER_TARGET,
       (_T.JUDGMENT_DEFAULTER, _T.CONSUMPTION_RESTRICTION), (_M.HIGH_CONSUMPTION,)),
    _m("JC-04", _RIGHTS, "限制子女就读高收费私立学校",
       _SPC_CONSUME, "人民法院；教育部门协助", _DEFAULTER_TARGET,
       (_T.JUDGMENT_DEFAULTER, _T.CONSUMPTION_RESTRICTION), (_M.HIGH_CONSUMPTION,)),
    _m("JC-05", _RIGHTS, "限制参加政府采购活动",
       f"《中华人民共和国政府采购法》第二十二条；{_SPC_PUBLISH}", "财政部门；采购人、采购代理机构",
       "供应商（法人、其他组织或者自然人）", _SERIOUS, (_M.GOVERNMENT_PROCUREMENT,)),
    _m("JC-06", _RIGHTS, "限制参与招标投标活动",
       f"《中华人民共和国招标投标法实施条例》；{_SPC_PUBLISH}", "招标投标行政监督部门；招标人",
       "投标人", _SERIOUS, (_M.BIDDING,)),
    _m("JC-07", _RIGHTS, "在政府采购、工程招投标、国有土地出让、授予荣誉称号中依法予以限制或者禁入",
       "《企业信息公示暂行条例》第十八条", "县级以上地方人民政府及其有关部门",
       "被列入经营异常名录或者严重违法失信名单的企业",
       (_T.ABNORMAL_OPERATION, _T.SERIOUS_VIOLATION),
       (_M.GOVERNMENT_PROCUREMENT, _M.BIDDING, _M.HONOURS)),
    _m("JC-08", _RIGHTS, "限制担任公司法定代表人、董事、监事、高级管理人员",
       "《中华人民共和国公司法》第十条、第一百七十八条", "公司；公司登记机关（市场监督管理部门）",
       "因所负数额较大债务到期未清偿被列为失信被执行人的个人",
       (_T.JUDGMENT_DEFAULTER,), (_M.PUBLIC_OFFICE,)),
    # only for firms escalated from the abnormal list: 条例 第十七条 ties the bar to that route
    _m("JC-09", _RIGHTS, "限制担任其他企业的法定代表人、负责人",
       "《企业信息公示暂行条例》第十七条", "市场监督管理部门",
       "因列入经营异常名录满3年被列入严重违法失信名单企业的法定代表人、负责人",
       (_T.ESCALATED_SERIOUS_VIOLATION,), (_M.PUBLIC_OFFICE,)),
    _m("JC-10", _RIGHTS, "限制招录（聘）为公务员或者事业单位工作人员",
       "《关于加快推进失信被执行人信用监督、警示和惩戒机制建设的意见》（中共中央办公厅、国务院办公厅）",
       "组织人事部门", "失信被执行人（自然人）", (_T.JUDGMENT_DEFAULTER,), (_M.PUBLIC_OFFICE,)),
    _m("JC-11", _RIGHTS, "限制获得政府资金补贴和财政性资金支持",
       f"{_STATE_COUNCIL}；{_SPC_PUBLISH}", "发展改革、财政等部门",
       "严重失信主体", _SERIOUS, (_M.SUBSIDY,)),
    _m("JC-12", _RIGHTS, "依法限制取得相关行政许可，从严审核资质认定",
       f"{_SPC_PUBLISH}；{_SERIOUS_LIST_RULE}", "行政许可机关",
       "严重失信主体", _SERIOUS, (_M.LICENSING,)),
    _m("JC-13", _RIGHTS, "限制参加评优评先、授予荣誉称号",
       "《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）",
       "各级评选表彰组织单位", "严重失信主体", _SERIOUS, (_M.HONOURS,)),
    _m("JC-14", _RIGHTS,
       "限额限量领用增值税专用发票、限制数电发票额度，普通发票领用实行交（验）旧领新、严格限量供应",
       _TAX_RULE, "税务机关", "纳税信用D级纳税人",
       (_T.TAX_GRADE_D,), (_M.INVOICE,)),
    _m("JC-15", _MGMT, "列为重点监管对象，提高抽查比例和频次",
       f"《企业信息公示暂行条例》；{_SERIOUS_LIST_RULE}；{_TAX_RULE}",
       "市场监督管理部门、税务机关", "经营异常、严重违法失信企业；纳税信用D级纳税人",
       (_T.ABNORMAL_OPERATION, _T.SERIOUS_VIOLATION, _T.TAX_GRADE_D), ()),
    _m("JC-16", _MGMT, "限制发行企业债券",
       _STATE_COUNCIL, "发展改革部门、证券监管部门", "严重失信主体", _SERIOUS, (_M.FINANCING,)),
    _m("JC-17", _MARKET, "金融机构依法从严审核融资授信",
       f"{_SPC_PUBLISH}；{_STATE_COUNCIL}", "金融机构", "严重失信主体；纳税信用D级纳税人",
       (*_SERIOUS, _T.TAX_GRADE_D), (_M.FINANCING,)),
)  # fmt: skip

_BY_ID = {m.id: m for m in MEASURES}


def measure(measure_id: str) -> Measure:
    """The catalogue entry with ``measure_id``; ``KeyError`` if there is none."""
    return _BY_ID[measure_id]
