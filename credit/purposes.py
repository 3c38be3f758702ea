"""Purposes a bank may state for querying a subject (征信业管理条例 第十八条: a stated purpose).

The wire carries the ASCII name (HTTP header ``X-Purpose: LOAN_PRECHECK``, GraphQL enums);
consents store the Chinese text, which is what the subject agreed to.

    >>> Purpose["LOAN_PRECHECK"].value
    '信易贷贷前审查'
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Purpose"]


class Purpose(StrEnum):
    LOAN_PRECHECK = "信易贷贷前审查"
    LOAN_APPROVAL = "贷款审批"
    POST_LOAN = "贷后管理"
    GUARANTEE = "担保资格审查"
