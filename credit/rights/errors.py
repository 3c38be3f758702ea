"""The refusals of the rights workflows (异议、信用修复), each with a stable code.

    DomainError
     └── RightsError
          ├── ObjectionAlreadyOpen      OBJECTION_ALREADY_OPEN   a second open objection on a record
          ├── RepairAlreadyOpen         REPAIR_ALREADY_OPEN      a second open repair on a record
          ├── ObjectionLimitReached     OBJECTION_LIMIT_REACHED  no further objection allowed
          ├── RepairNotYet              REPAIR_NOT_YET           repairable later (the date said)
          ├── NotRepairable             NOT_REPAIRABLE           never repairable, the rule cited
          ├── CommitmentRequired        COMMITMENT_REQUIRED      the 信用承诺书 was not accepted
          ├── AttachmentTooLarge        ATTACHMENT_TOO_LARGE     over the size limit
          ├── AttachmentTypeNotAllowed  ATTACHMENT_TYPE_NOT_ALLOWED  not text, PDF, PNG or JPEG
          ├── InvalidCaseInput          INVALID_CASE_INPUT       reason empty or too long, ...
          ├── WrongBureau               WRONG_BUREAU             an officer of another bureau
          ├── CaseWithdrawn             CASE_WITHDRAWN           a decision after withdrawal
          ├── CaseAlreadyDecided        CASE_ALREADY_DECIDED     decided already
          ├── CaseNotFound              CASE_NOT_FOUND           no such case of yours
          └── RecordNotFound            RECORD_NOT_FOUND         no such record of yours

Messages are Chinese, for the citizen or the officer, and never carry personal data.
"""

from __future__ import annotations

import datetime as dt

from credit.errors import DomainError

__all__ = [
    "AttachmentTooLarge",
    "AttachmentTypeNotAllowed",
    "CaseAlreadyDecided",
    "CaseNotFound",
    "CaseWithdrawn",
    "CommitmentRequired",
    "InvalidCaseInput",
    "NotRepairable",
    "ObjectionAlreadyOpen",
    "ObjectionLimitReached",
    "RecordNotFound",
    "RepairAlreadyOpen",
    "RepairNotYet",
    "RightsError",
    "WrongBureau",
]


class RightsError(DomainError):
    """Base of the rights workflows' refusals (never raised as such)."""


class ObjectionAlreadyOpen(RightsError):
    code = "OBJECTION_ALREADY_OPEN"

    def __init__(self) -> None:
        super().__init__("该记录已有一件正在处理的异议，请等待处理结果，或先撤回后再提出")


class RepairAlreadyOpen(RightsError):
    code = "REPAIR_ALREADY_OPEN"

    def __init__(self) -> None:
        super().__init__("该记录已有一件正在审核的信用修复申请，请等待审核结果")


class ObjectionLimitReached(RightsError):
    code = "OBJECTION_LIMIT_REACHED"

    def __init__(self, rounds: int) -> None:
        super().__init__(
            f"该记录的异议已经过{rounds}次处理，依规不能再次提出异议；如有新的事实和证据，"
            "请向认定部门或人民法院寻求其他救济途径"
        )


class RepairNotYet(RightsError):
    code = "REPAIR_NOT_YET"

    def __init__(self, repairable_from: dt.date, basis: str) -> None:
        self.repairable_from = repairable_from
        super().__init__(
            f"该记录尚未届满最短公示期，{repairable_from.isoformat()}起方可申请信用修复。依据：{basis}"
        )

    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "repairableFrom": self.repairable_from.isoformat()}


class NotRepairable(RightsError):
    code = "NOT_REPAIRABLE"

    def __init__(self, why: str, basis: str) -> None:
        self.basis = basis
        super().__init__(f"该记录{why}。依据：{basis}")


class CommitmentRequired(RightsError):
    code = "COMMITMENT_REQUIRED"

    def __init__(self) -> None:
        super().__init__("申请信用修复须先阅读并确认《信用承诺书》")


class AttachmentTooLarge(RightsError):
    code = "ATTACHMENT_TOO_LARGE"

    def __init__(self, name: str, limit: int) -> None:
        self.limit = limit
        super().__init__(f"附件“{name}”过大：单个附件不得超过{limit // 1024}KB，请压缩后重新上传")

    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "maxBytes": self.limit}


class AttachmentTypeNotAllowed(RightsError):
    code = "ATTACHMENT_TYPE_NOT_ALLOWED"

    def __init__(self, name: str, allowed: str) -> None:
        super().__init__(f"附件“{name}”的格式不受支持：仅接受{allowed}")


class InvalidCaseInput(RightsError):
    code = "INVALID_CASE_INPUT"

    def __init__(self, message: str, field: str) -> None:
        self.field = field
        super().__init__(message)

    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "field": self.field}


class WrongBureau(RightsError):
    code = "WRONG_BUREAU"

    def __init__(self) -> None:
        super().__init__("该申请由认定该信息的部门处理（谁认定、谁修复），您无权处理其他部门的申请")


class CaseWithdrawn(RightsError):
    code = "CASE_WITHDRAWN"

    def __init__(self) -> None:
        super().__init__("申请人已撤回该申请，不能再作出决定")


class CaseAlreadyDecided(RightsError):
    code = "CASE_ALREADY_DECIDED"

    def __init__(self) -> None:
        super().__init__("该申请已有处理决定，不能再次决定或撤回")


class CaseNotFound(RightsError):
    code = "CASE_NOT_FOUND"

    def __init__(self) -> None:
        super().__init__("未找到该申请，请核对申请编号")


class RecordNotFound(RightsError):
    code = "RECORD_NOT_FOUND"

    def __init__(self) -> None:
        super().__init__("未找到该信用记录：请在“我的信用记录”中选择要异议或修复的记录")
