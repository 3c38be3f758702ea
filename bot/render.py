"""GraphQL answers → the bot's short Chinese replies (pure functions over the response dicts).

Sources and record kinds are named as the gateway names them (:class:`~bot.names.Names`).
A reply never shows a citizen's ID number (the documents never ask for a person's ``code``);
when a bureau did not answer, the reply says which data is missing and shows the rest.

    status_text("某某公司", subject, names, missing={"court"})
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.names import Names
from bot.texts import (
    BADGES,
    CLASSES,
    PERFORMANCE,
    PURPOSES,
    REPAIR,
    SCOPES,
    SEVERITY,
    T,
)

__all__ = [
    "access_log_text",
    "consent_line",
    "consents_text",
    "missing_note",
    "precheck_text",
    "product_requirements",
    "record_detail_text",
    "record_line",
    "records_text",
    "status_text",
]

CST = dt.timezone(dt.timedelta(hours=8))


def missing_note(sources: Iterable[str], names: Names) -> str:
    which = "、".join(names.source(s) for s in sorted(set(sources)))
    return f"⚠️ {which}暂时无法访问，以下缺少其数据，其余照常显示。" if which else ""


def _with_note(text: str, missing: Iterable[str], names: Names) -> str:
    note = missing_note(missing, names)
    return f"{note}\n\n{text}" if note else text


def when(iso: str | None) -> str:
    """A DateTime as China time, to the minute."""
    if not iso:
        return "—"
    return dt.datetime.fromisoformat(iso).astimezone(CST).strftime("%Y-%m-%d %H:%M")


def status_text(
    name: str, subject: Mapping[str, Any], names: Names, missing: Iterable[str] = ()
) -> str:
    lines = [f"📊 {name} 的信用状况"]
    classification = subject.get("classification")
    if classification:
        lines.append(f"综合评价：{CLASSES.get(classification['creditClass'], '未知')}")
        reasons = [r["message"] for r in classification.get("reasons", [])][:3]
        lines += [f"· {r}" for r in reasons] or ["· 未发现失信记录"]
        badges = [BADGES.get(b, b) for b in classification.get("badges", [])]
        if badges:
            lines.append("标识：" + "、".join(badges))
    else:
        lines.append("综合评价：缺少部分部门的数据，暂不作评价（避免依据不全得出结论）")
    records = subject.get("records") or {}
    if "totalCount" in records:
        lines.append(f"信用记录：共 {records['totalCount']} 条")
    report = subject.get("creditReport")
    if report:
        counts = [f"{s['title']} {s['count']}" for s in report.get("sections", [])]
        lines.append("报告各栏目：" + " · ".join(counts))
    return _with_note("\n".join(lines), missing, names)


def _publicity_state(node: Mapping[str, Any]) -> str:
    publicity = node.get("publicity") or {}
    if node.get("repairStatus") == "REPAIRED":
        return "已修复"
    if publicity.get("visibleNow"):
        return "公示中"
    return "已停止公示" if publicity.get("published", True) else "不公示"


def record_line(index: int, node: Mapping[str, Any], names: Names) -> str:
    kind = names.kind(node["kind"])
    severity = SEVERITY.get(node.get("severity") or "", "")
    label = f"{kind}·{severity}" if severity else kind
    return f"{index}. [{label}] {node['title']} — {node['decidedOn']} · {_publicity_state(node)}"


def records_text(
    name: str,
    connection: Mapping[str, Any],
    names: Names,
    *,
    page: int,
    first_index: int,
    missing: Iterable[str] = (),
    repair_tip: bool = False,
) -> str:
    """A page of records; with ``repair_tip``, the page of a list of negative records only."""
    nodes = [e["node"] for e in connection.get("edges", [])]
    total = connection.get("totalCount", len(nodes))
    what = "失信记录" if repair_tip else "信用记录"
    head = f"{'🛠' if repair_tip else '📄'} {name} 的{what}（共 {total} 条，第 {page + 1} 页）"
    if not nodes:
        empty = T.NO_NEGATIVE_RECORDS if repair_tip else T.NO_RECORDS
        return _with_note(f"{head}\n{empty}", missing, names)
    lines = [head, *(record_line(first_index + i, n, names) for i, n in enumerate(nodes))]
    lines.append("")
    lines.append(T.REPAIR_TIP if repair_tip else "点数字查看详情。")
    return _with_note("\n".join(lines), missing, names)


def _repair_line(node: Mapping[str, Any], names: Names, today: dt.date) -> str:
    polarity = names.polarity(node["kind"])  # as the gateway's record kinds declare it
    if polarity == "POSITIVE":
        return "修复：这是守信、许可或评价类信息，不是失信记录，无需修复。"
    if polarity == "NEUTRAL":
        return "修复：这是登记、申报类信息，不是失信记录，无需修复。"
    status = node.get("repairStatus", "NONE")
    if status == "REPAIRED":
        return f"修复：已于 {node.get('repairedOn') or '—'} 修复，不再公示、不再向金融机构共享。"
    if status == "APPLIED":
        return f"修复：{REPAIR['APPLIED']}。"
    repairable = (node.get("publicity") or {}).get("repairableFrom")
    if repairable is None:
        return "修复：此类记录不适用信用修复，到期后自动停止公示（或履行义务后移出）。"
    if dt.date.fromisoformat(repairable) <= today:
        return f"修复：自 {repairable} 起已可申请信用修复。"
    return f"修复：最短公示期满后，自 {repairable} 起可申请信用修复。"


def record_detail_text(
    node: Mapping[str, Any],
    advice: Sequence[Mapping[str, Any]] | None,
    names: Names,
    *,
    today: dt.date,
) -> str:
    publicity = node.get("publicity") or {}
    kind = names.kind(node["kind"])
    severity = SEVERITY.get(node.get("severity") or "")
    authority = node["authority"]
    if node.get("authorityCode"):
        authority += f"（统一社会信用代码 {node['authorityCode']}）"
    lines = [
        f"🔎 {kind}{'（' + severity + '）' if severity else ''}",
        f"事由：{node['title']}",
        f"决定：{authority}，{node['decidedOn']}",
    ]
    # what the bureaus' own reports print, where they state it
    if node.get("executingCourt"):
        lines.append(f"案号：{node.get('caseNumber') or '—'}；执行法院：{node['executingCourt']}")
    elif node.get("caseNumber") and node["caseNumber"] != node["title"]:
        lines.append(f"决定书文号：{node['caseNumber']}")
    if node.get("performance"):
        lines.append(f"履行情况：{PERFORMANCE.get(node['performance'], node['performance'])}")
    lines.append(f"依据：{node.get('legalBasis') or '—'}")
    until = publicity.get("visibleUntil")
    if not publicity.get("published", True):
        lines.append(f"公示：依规不予公示（{publicity.get('legalBasis', '')}）")
    else:
        end = f"公示至 {until}" if until else "公示至履行义务或移出为止"
        now = "，今日公示中" if publicity.get("visibleNow") else "，已停止公示"
        lines.append(f"公示：{end}{now}（{publicity.get('legalBasis', '')}）")
    lines.append(_repair_line(node, names, today))
    mine = [a["message"] for a in advice or () if a.get("recordId") == node["id"]]
    if mine:
        lines += ["怎么办：", *(f"· {m}" for m in mine)]
    elif node.get("repairStatus") == "NONE" and publicity.get("repairableFrom"):
        lines.append("怎么办：" + T.REPAIR_HOW)
    return "\n".join(lines)


def access_log_text(
    name: str,
    connection: Mapping[str, Any],
    names: Names,
    *,
    page: int,
    missing: Iterable[str] = (),
) -> str:
    nodes = [e["node"] for e in connection.get("edges", [])]
    if not nodes and page == 0:
        return f"👀 {name}：{T.LOG_EMPTY}"
    lines = [
        f"👀 谁查询了 {name}（共 {connection.get('totalCount', len(nodes))} 次，第 {page + 1} 页）"
    ]
    for n in nodes:
        scopes = "、".join(SCOPES.get(s.upper(), s) for s in n.get("scopes", []))
        line = f"· {when(n['at'])} {n['who']}"
        if n.get("purpose"):
            line += f"，用途：{n['purpose']}"
        if scopes:
            line += f"，查看：{scopes}"
        if n.get("consentId"):
            line += "（依据您的授权）"
        lines.append(line)
    lines.append("依据征信业管理条例第二十二条，查询记录至少保存5年。")
    return _with_note("\n".join(lines), missing, names)


def consent_state(consent: Mapping[str, Any], today: dt.date) -> str:
    if consent.get("revokedAt"):
        return "已撤销"
    if dt.date.fromisoformat(consent["endsOn"]) < today:
        return "已到期"
    return "有效"


def consent_line(
    index: int, consent: Mapping[str, Any], firm_names: Mapping[str, str], today: dt.date
) -> str:
    firm = consent.get("forEnterprise")
    who = firm_names.get(firm, "本企业") if firm else "本人"
    scopes = "、".join(SCOPES.get(s, s) for s in consent.get("scopes", []))
    return (
        f"{index}. {who} → {consent['bankId']}：{scopes}；用途：{consent['purpose']}；"
        f"至 {consent['endsOn']}（{consent_state(consent, today)}）"
    )


def consents_text(
    consents: Sequence[Mapping[str, Any]], firm_names: Mapping[str, str], today: dt.date
) -> str:
    if not consents:
        return f"🔐 {T.CONSENTS_EMPTY}"
    lines = [
        "🔐 我的授权",
        *(consent_line(i + 1, c, firm_names, today) for i, c in enumerate(consents)),
    ]
    return "\n".join(lines)


def grant_summary(subject: str, bank: str, scopes: Iterable[str], purpose: str, days: int) -> str:
    """``scopes``: their names, as the gateway (or the bot's own table) gives them."""
    names = "、".join(SCOPES.get(s, s) for s in scopes)
    return (
        f"请确认授权：\n对象：{subject}\n机构：{bank}\n范围：{names}\n"
        f"用途：{PURPOSES.get(purpose, purpose)}\n期限：{days} 天（可随时撤销）"
    )


def _yuan(money: Mapping[str, Any] | None) -> str:
    if not money:
        return "—"
    return f"¥{float(money['yuan']):,.0f}"


def product_requirements(parameters: Mapping[str, Any]) -> str:
    parts = []
    if parameters.get("acceptedTaxGrades"):
        parts.append("纳税信用等级 " + "、".join(parameters["acceptedTaxGrades"]))
    if parameters.get("minOperatingMonths"):
        parts.append(f"经营满 {parameters['minOperatingMonths']} 个月")
    if parameters.get("minTaxPaid") and parameters.get("lookbackMonths"):
        months, paid = parameters["lookbackMonths"], _yuan(parameters["minTaxPaid"])
        parts.append(f"近 {months} 个月纳税不少于 {paid}")
    if parameters.get("minAmount") and parameters.get("maxAmount"):
        parts.append(f"金额 {_yuan(parameters['minAmount'])}–{_yuan(parameters['maxAmount'])}")
    return "；".join(parts)


def precheck_text(
    firm: str,
    product: str,
    bank: str,
    precheck: Mapping[str, Any] | None,
    requirements: str,
) -> str:
    head = f"💰 {firm} · {product}（{bank}）"
    if precheck is None:
        lines = [head, T.PRECHECK_NONE]
        if requirements:
            lines.append(f"产品要求：{requirements}")
        return "\n".join(lines)
    lines = [
        head,
        f"结论：{precheck['outcomeText']}（{precheck['decidedOn']}，{precheck['bankName']}预审，"
        f"评分 {precheck['score']}，申请 {_yuan(precheck.get('amount'))}）",
    ]
    if precheck.get("suggestedLimit"):
        lines.append(f"建议额度：{_yuan(precheck['suggestedLimit'])}")
    explanation = precheck.get("explanation") or {}
    if explanation.get("summary"):
        lines.append(explanation["summary"])
    if explanation.get("whyNot"):
        lines += ["为什么没有通过：", *(f"· {w}" for w in explanation["whyNot"])]
    if explanation.get("toFix"):
        lines += ["怎么改进：", *(f"· {f}" for f in explanation["toFix"])]
    return "\n".join(lines)
