"""GraphQL shapes of the financing pre-check: products, decisions with their evidence, the
enterprise's explanation, loan outcomes, statistics; and the inputs banks and operators send.

Every type, field and enum value is described in Chinese and English.  Domain values convert
with ``from_domain``; a decision's product name (for the explanation) is looked up through the
request's :class:`~resolvers.financing_service.FinancingService`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum

import strawberry
from strawberry.types import Info

from credit.financing import (
    OUTCOME_TEXT,
    FactProvenance,
    Product,
    RuleReason,
    explain,
)
from credit.financing.products import GRADE_ORDER
from resolvers.context import GraphContext
from resolvers.enums import Source
from resolvers.financing_service import ApprovalStats, ReportedOutcome, StoredPrecheck
from resolvers.scalars import Money

__all__ = [
    "FinancingApprovalStats",
    "FinancingOutcome",
    "FinancingPrecheck",
    "FinancingProduct",
    "FinancingRule",
    "LoanOutcome",
    "PrecheckBatchItem",
    "PrecheckItemError",
    "RuleVerdict",
]

Ctx = Info[GraphContext, None]


@strawberry.enum(description="信易贷预审规则 / A financing pre-check rule")
class FinancingRule(Enum):
    ACTIVE_STATUS = strawberry.enum_value(
        "ACTIVE_STATUS", description="登记状态须为存续 / Registration status active"
    )
    NOT_DEFAULTER = strawberry.enum_value(
        "NOT_DEFAULTER", description="企业不是失信被执行人 / The firm is no judgment defaulter"
    )
    LEGAL_REP_NOT_DEFAULTER = strawberry.enum_value(
        "LEGAL_REP_NOT_DEFAULTER",
        description="法定代表人不是失信被执行人 / Nor is its legal representative",
    )
    NO_SERIOUS_LISTS = strawberry.enum_value(
        "NO_SERIOUS_LISTS", description="不在严重失信主体名单 / On no serious-dishonesty list"
    )
    NOT_ABNORMAL = strawberry.enum_value(
        "NOT_ABNORMAL", description="不在经营异常名录 / Not on the abnormal-operations list"
    )
    TAX_GRADE = strawberry.enum_value(
        "TAX_GRADE", description="纳税信用等级 / Tax credit grade accepted"
    )
    OPERATING_MONTHS = strawberry.enum_value(
        "OPERATING_MONTHS", description="经营满规定月数 / Operating long enough"
    )
    TAX_PAID = strawberry.enum_value(
        "TAX_PAID", description="近期纳税额达标 / Enough tax paid in the lookback window"
    )
    RECENT_TAX_PAYMENT = strawberry.enum_value(
        "RECENT_TAX_PAYMENT", description="近几个月有缴税 / A tax payment in recent months"
    )
    ZERO_RETURNS = strawberry.enum_value(
        "ZERO_RETURNS", description="零申报不超限 / Not too many zero returns"
    )
    NO_SERIOUS_PENALTY = strawberry.enum_value(
        "NO_SERIOUS_PENALTY",
        description="无公示期内严重行政处罚 / No serious penalty in its publicity",
    )
    CONSENT = strawberry.enum_value("CONSENT", description="企业授权 / The enterprise's consent")
    LEGAL_REP_AGE = strawberry.enum_value(
        "LEGAL_REP_AGE", description="法定代表人年龄 / Legal representative's age"
    )
    SOCIAL_INSURANCE = strawberry.enum_value(
        "SOCIAL_INSURANCE", description="社保足额缴纳 / Social insurance paid in full"
    )
    UTILITY_ARREARS = strawberry.enum_value(
        "UTILITY_ARREARS", description="水电气无欠费 / No utility arrears"
    )
    AMOUNT_WITHIN_LIMIT = strawberry.enum_value(
        "AMOUNT_WITHIN_LIMIT",
        description="申请金额不超过建议额度 / Amount within the suggested limit",
    )
    CUSTOMS_NOT_DISHONEST = strawberry.enum_value(
        "CUSTOMS_NOT_DISHONEST",
        description="非海关失信企业 / Not rated dishonest by customs",
    )
    IP_PLEDGEABLE = strawberry.enum_value(
        "IP_PLEDGEABLE",
        description="持有可质押的有效专利或注册商标 / Holds a patent or trademark to pledge",
    )


@strawberry.enum(description="预审结论 / Outcome of a pre-check")
class FinancingOutcome(Enum):
    PASS = strawberry.enum_value("PASS", description="通过 / Passed every rule")
    REFER = strawberry.enum_value(
        "REFER",
        description="转人工审核 / A soft rule failed or a fact is missing: a person decides",
    )
    DECLINE = strawberry.enum_value("DECLINE", description="不通过 / A hard rule failed")


@strawberry.enum(description="单条规则的结论 / One rule's verdict")
class RuleVerdict(Enum):
    PASS = strawberry.enum_value("PASS", description="通过 / Passed")
    FAIL = strawberry.enum_value("FAIL", description="未通过 / Failed")
    MISSING = strawberry.enum_value(
        "MISSING", description="无法核验（数据缺失） / Could not be checked: a fact is missing"
    )


@strawberry.enum(description="银行的贷款结果 / What the bank did")
class LoanOutcome(Enum):
    APPROVED = strawberry.enum_value("APPROVED", description="已批准放款 / Approved (lent)")
    DECLINED = strawberry.enum_value("DECLINED", description="银行拒绝 / Declined by the bank")
    WITHDRAWN = strawberry.enum_value(
        "WITHDRAWN", description="企业撤回 / Withdrawn by the enterprise"
    )


@strawberry.type(description="数据来源与时效 / Where a fact came from and how fresh it was")
class FactProvenanceNode:
    source: Source = strawberry.field(description="来源部门 / Source bureau")
    fetched_at: dt.datetime = strawberry.field(description="取得时间 / When the source answered")
    cached: bool = strawberry.field(description="是否来自缓存 / Served from cache")
    stale: bool = strawberry.field(description="是否为过期数据 / Served stale (source failed)")

    @classmethod
    def from_domain(cls, p: FactProvenance) -> FactProvenanceNode:
        return cls(
            source=Source(p.source.value), fetched_at=p.fetched_at, cached=p.cached, stale=p.stale
        )


@strawberry.type(description="一条规则的判断及证据 / One rule's verdict and its evidence")
class PrecheckReason:
    rule: FinancingRule = strawberry.field(description="规则编号 / Rule id")
    title: str = strawberry.field(description="规则名称 / Rule title")
    hard: bool = strawberry.field(description="否决项（不通过即拒绝） / A failure declines")
    verdict: RuleVerdict = strawberry.field(description="结论 / Verdict")
    message: str = strawberry.field(description="说明（引用规则依据） / Message citing the rule")
    finding: str = strawberry.field(description="查明的情况 / What was found")
    observed: str | None = strawberry.field(description="实际值 / Observed value")
    threshold: str = strawberry.field(description="要求 / Threshold")
    advice: str = strawberry.field(description="改进建议 / What the enterprise can do")
    sources: list[Source] = strawberry.field(description="数据来源 / Sources of the facts read")
    provenance: list[FactProvenanceNode] = strawberry.field(
        description="事实的来源与时效 / Provenance of the facts read"
    )
    record_ids: list[str] = strawberry.field(description="涉及的信用记录 / Records relied on")

    @classmethod
    def from_domain(cls, r: RuleReason) -> PrecheckReason:
        return cls(
            rule=FinancingRule[r.rule.name],
            title=r.title,
            hard=r.hard,
            verdict=RuleVerdict[r.verdict.name],
            message=r.message,
            finding=r.finding,
            observed=r.observed,
            threshold=r.threshold,
            advice=r.advice,
            sources=[Source(s.value) for s in r.sources],
            provenance=[FactProvenanceNode.from_domain(p) for p in r.provenance],
            record_ids=list(r.record_ids),
        )


@strawberry.type(description="给企业的解释 / The decision explained to the enterprise")
class PrecheckExplanation:
    summary: str = strawberry.field(description="结论摘要 / Summary")
    why_not: list[str] = strawberry.field(description="为什么没有通过 / Why it did not pass")
    to_fix: list[str] = strawberry.field(description="怎么改进 / What to fix")
    text: str = strawberry.field(description="全文（供机器人发送） / All of it, as one message")


@strawberry.type(description="银行报告的贷款结果 / The loan outcome the bank reported")
class LoanOutcomeNode:
    outcome: LoanOutcome = strawberry.field(description="结果 / Outcome")
    amount: Money | None = strawberry.field(description="放款金额 / Amount lent")
    annual_rate_percent: Decimal | None = strawberry.field(
        description="年利率（%） / Annual rate, %"
    )
    term_months: int | None = strawberry.field(description="期限（月） / Term, months")
    reported_at: dt.datetime = strawberry.field(description="报告时间 / Reported at")

    @classmethod
    def from_domain(cls, loan: ReportedOutcome) -> LoanOutcomeNode:
        r = loan.report
        return cls(
            outcome=LoanOutcome[r.outcome.name],
            amount=Money(yuan=r.amount_yuan) if r.amount_yuan is not None else None,
            annual_rate_percent=r.annual_rate_percent,
            term_months=r.term_months,
            reported_at=loan.reported_at,
        )


@strawberry.type(description="按等级的额度上限 / The limit for one tax grade")
class GradeLimit:
    grade: str = strawberry.field(description="纳税信用等级 / Tax grade")
    limit: Money = strawberry.field(description="额度上限 / Most lent")


@strawberry.type(description="产品参数 / A product's thresholds")
class FinancingProductParameters:
    min_amount: Money = strawberry.field(description="最低金额 / Smallest amount")
    max_amount: Money = strawberry.field(description="最高金额 / Largest amount")
    min_term_months: int = strawberry.field(description="最短期限（月） / Shortest term")
    max_term_months: int = strawberry.field(description="最长期限（月） / Longest term")
    accepted_tax_grades: list[str] = strawberry.field(description="接受的纳税信用等级 / Grades")
    limits_by_grade: list[GradeLimit] = strawberry.field(description="各等级额度 / Limits")
    tax_paid_multiple: Decimal | None = strawberry.field(
        description="额度不超过考察期纳税额的倍数 / Limit ≤ this × tax paid in the window"
    )
    min_operating_months: int = strawberry.field(description="最短经营月数 / Months operating")
    min_tax_paid: Money = strawberry.field(description="考察期最低纳税额 / Least tax paid")
    lookback_months: int = strawberry.field(description="考察期（月） / Lookback window, months")
    recent_payment_months: int = strawberry.field(
        description="近期须有缴税的月数 / A payment within these months"
    )
    zero_return_run_limit: int = strawberry.field(
        description="连续零申报达到即不通过 / Consecutive zero returns that fail"
    )
    zero_return_total_limit: int = strawberry.field(
        description="累计零申报达到即不通过 / Zero returns in the window that fail"
    )
    min_social_insurance_months: int = strawberry.field(
        description="社保足额缴纳最少月数 / Months of social insurance paid in full"
    )
    max_utility_arrears: Money = strawberry.field(description="水电气欠费上限 / Arrears allowed")
    legal_rep_min_age: int = strawberry.field(description="法定代表人最低年龄 / Youngest")
    legal_rep_max_age: int = strawberry.field(description="法定代表人最高年龄 / Oldest")


@strawberry.type(description="产品适用的一条规则 / A rule a product applies")
class FinancingProductRule:
    rule: FinancingRule = strawberry.field(description="规则 / Rule")
    hard: bool = strawberry.field(description="否决项 / A failure declines (else refers)")


@strawberry.type(description="信易贷产品（某一版本） / A loan product, one version")
class FinancingProduct:
    code: str = strawberry.field(description="产品代码 / Product code")
    version: int = strawberry.field(description="版本 / Version")
    bank_id: str = strawberry.field(description="银行编号 / The bank's id")
    bank_name: str = strawberry.field(description="银行名称 / The bank's name")
    name: str = strawberry.field(description="产品名称 / Product name")
    active: bool = strawberry.field(description="是否在售 / Offered")
    parameters: FinancingProductParameters = strawberry.field(description="参数 / Thresholds")
    rules: list[FinancingProductRule] = strawberry.field(description="适用规则 / Rules applied")

    @classmethod
    def from_domain(cls, p: Product) -> FinancingProduct:
        q = p.parameters
        limits = [
            GradeLimit(grade=g.value, limit=Money(yuan=q.limit_for(g)))
            for g in GRADE_ORDER
            if g in q.accepted_tax_grades
        ]
        return cls(
            code=p.code,
            version=p.version,
            bank_id=p.bank_id,
            bank_name=p.bank_name,
            name=p.name,
            active=p.active,
            parameters=FinancingProductParameters(
                min_amount=Money(yuan=q.min_amount_yuan),
                max_amount=Money(yuan=q.max_amount_yuan),
                min_term_months=q.min_term_months,
                max_term_months=q.max_term_months,
                accepted_tax_grades=[g.grade for g in limits],
                limits_by_grade=limits,
                tax_paid_multiple=q.tax_paid_multiple,
                min_operating_months=q.min_operating_months,
                min_tax_paid=Money(yuan=q.min_tax_paid_yuan),
                lookback_months=q.lookback_months,
                recent_payment_months=q.recent_payment_months,
                zero_return_run_limit=q.zero_return_run_limit,
                zero_return_total_limit=q.zero_return_total_limit,
                min_social_insurance_months=q.min_social_insurance_months,
                max_utility_arrears=Money(yuan=q.max_utility_arrears_yuan),
                legal_rep_min_age=q.legal_rep_min_age,
                legal_rep_max_age=q.legal_rep_max_age,
            ),
            rules=[
                FinancingProductRule(rule=FinancingRule[s.rule.name], hard=s.hard) for s in p.rules
            ],
        )


@strawberry.type(description="一次融资预审及全部证据 / A financing pre-check with its evidence")
class FinancingPrecheck:
    stored: strawberry.Private[StoredPrecheck]
    id: strawberry.ID = strawberry.field(description="预审编号 / Pre-check id")
    uscc: str = strawberry.field(description="企业统一社会信用代码 / The enterprise's USCC")
    bank_id: str = strawberry.field(description="发起银行 / The bank that ran it")
    bank_name: str = strawberry.field(description="发起机构名称 / Who ran it")
    product_code: str = strawberry.field(description="产品代码 / Product code")
    product_version: int = strawberry.field(description="所用产品版本 / Product version used")
    amount: Money = strawberry.field(description="申请金额 / Amount asked")
    purpose: str = strawberry.field(description="查询用途 / Stated purpose")
    outcome: FinancingOutcome = strawberry.field(description="结论 / Outcome")
    outcome_text: str = strawberry.field(description="结论（中文） / Outcome in Chinese")
    score: int = strawberry.field(description="评分（0-100） / Score, 0-100")
    suggested_limit: Money | None = strawberry.field(
        description="建议额度；所需数据缺失时为空 / Suggested limit; null when a fact is missing"
    )
    reasons: list[PrecheckReason] = strawberry.field(description="逐条规则 / One per rule")
    consent_ids: list[str] = strawberry.field(description="所依据的授权 / Consents relied on")
    decided_on: dt.date = strawberry.field(description="预审日期 / Day decided")
    created_at: dt.datetime = strawberry.field(description="记录时间 / Stored at")
    loan_outcome: LoanOutcomeNode | None = strawberry.field(
        description="银行报告的贷款结果 / The loan outcome reported"
    )

    @strawberry.field(description="产品（所用版本） / The product, as the version used")
    async def product(self, info: Ctx) -> FinancingProduct | None:
        service = info.context.financing
        found = await service.product(self.product_code, self.product_version) if service else None
        return FinancingProduct.from_domain(found) if found is not None else None

    @strawberry.field(description="给企业的通俗解释 / Plain-Chinese explanation for the enterprise")
    async def explanation(self, info: Ctx) -> PrecheckExplanation:
        service = info.context.financing
        found = await service.product(self.product_code, self.product_version) if service else None
        d = self.stored.decision
        e = explain(
            d.outcome,
            d.reasons,
            bank_name=self.bank_name,
            product_name=found.name if found is not None else self.product_code,
            day=d.day,
        )
        return PrecheckExplanation(
            summary=e.summary, why_not=list(e.why_not), to_fix=list(e.to_fix), text=e.text
        )

    @classmethod
    def from_stored(cls, s: StoredPrecheck) -> FinancingPrecheck:
        d = s.decision
        return cls(
            stored=s,
            id=strawberry.ID(s.id),
            uscc=s.uscc,
            bank_id=s.bank_id,
            bank_name=s.bank_name,
            product_code=d.product_code,
            product_version=d.product_version,
            amount=Money(yuan=d.amount_yuan),
            purpose=s.purpose,
            outcome=FinancingOutcome[d.outcome.name],
            outcome_text=OUTCOME_TEXT[d.outcome],
            score=d.score,
            suggested_limit=None
            if d.suggested_limit_yuan is None
            else Money(yuan=d.suggested_limit_yuan),
            reasons=[PrecheckReason.from_domain(r) for r in d.reasons],
            consent_ids=list(s.consent_ids),
            decided_on=d.day,
            created_at=s.created_at,
            loan_outcome=LoanOutcomeNode.from_domain(s.loan) if s.loan else None,
        )


@strawberry.type(description="批量预审中一家企业的错误 / Why one firm of a batch has no decision")
class PrecheckItemError:
    code: str = strawberry.field(description="错误代码 / Stable code")
    message: str = strawberry.field(description="说明 / Message")


@strawberry.type(description="批量预审的一项 / One firm of a batch pre-check")
class PrecheckBatchItem:
    index: int = strawberry.field(description="在请求中的序号 / Position in the request")
    uscc: str = strawberry.field(description="统一社会信用代码 / USCC as asked")
    precheck: FinancingPrecheck | None = strawberry.field(description="预审结果 / The decision")
    error: PrecheckItemError | None = strawberry.field(description="错误 / Why there is none")


@strawberry.type(
    description="产品的月度预审与放款统计 / One product's pre-checks and loans in a month"
)
class FinancingApprovalStats:
    product_code: str = strawberry.field(description="产品代码 / Product code")
    month: dt.date = strawberry.field(description="月份（当月1日） / Month (its first day)")
    prechecks: int = strawberry.field(description="预审次数 / Pre-checks")
    passed: int = strawberry.field(description="通过 / Passed")
    referred: int = strawberry.field(description="转人工 / Referred")
    declined: int = strawberry.field(description="不通过 / Declined")
    reported: int = strawberry.field(description="已报告结果 / Outcomes reported")
    approved: int = strawberry.field(description="已放款 / Loans approved")
    approved_amount: Money = strawberry.field(description="放款金额合计 / Amount lent")
    approval_rate: float | None = strawberry.field(
        description="放款率（已放款/已报告） / Approved ÷ reported; null when none reported"
    )

    @classmethod
    def from_domain(cls, s: ApprovalStats) -> FinancingApprovalStats:
        return cls(
            product_code=s.product_code,
            month=s.month,
            prechecks=s.prechecks,
            passed=s.passed,
            referred=s.referred,
            declined=s.declined,
            reported=s.reported,
            approved=s.approved,
            approved_amount=Money(yuan=s.approved_amount_yuan),
            approval_rate=round(s.approved / s.reported, 4) if s.reported else None,
        )
