"""The 信用承诺书 a repair applicant makes (国办发〔2025〕22号: proof of performance and a public
credit commitment are all an application needs), generated from one template.

The text shown in the chat and stored with the application is :func:`commitment_text`; its
``version`` is the template's, so a stored application says which wording was accepted.

    >>> commitment_text("宁夏示例科技有限公司", "超标排放", dt.date(2026, 12, 2)).splitlines()[0]
    '信用承诺书'
"""

from __future__ import annotations

import datetime as dt
import hashlib

__all__ = ["COMMITMENT_VERSION", "commitment_text"]

_TEMPLATE = """信用承诺书
承诺主体：{subject}
承诺事项：就“{record}”申请信用修复
本主体郑重承诺：
一、已纠正失信行为，全面履行了行政处罚或法定义务，所附履行证明真实、有效；
二、严格遵守法律法规，诚信经营，自觉接受政府部门和社会监督；
三、如违背承诺或提供虚假材料，自愿接受撤销修复决定、重新公示并依法承担相应责任；
四、本承诺书同意在“信用中国”网站或相关部门网站公开。
承诺日期：{day}"""

COMMITMENT_VERSION = hashlib.sha256(_TEMPLATE.encode()).hexdigest()[:12]
"""Which wording an applicant accepted (changes whenever the template does)."""


def commitment_text(subject: str, record_title: str, day: dt.date) -> str:
    """The commitment for ``subject``'s repair of the record titled ``record_title``."""
    return _TEMPLATE.format(subject=subject, record=record_title, day=f"{day:%Y年%m月%d日}")
