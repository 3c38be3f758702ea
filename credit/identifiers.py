"""Credit-subject identifiers: 统一社会信用代码 (GB 32100-2015) and 公民身份号码 (GB 11643-1999).

Validation follows DOMAIN.md §1 to the letter: normalise, then length, then character classes,
then the USCC check character, then the embedded GB 11714 organisation-code check.  Division
codes change over time, so an unknown division never makes a code invalid.

Normalising drops what a copy from a web page, a spreadsheet or a chat brings along: spaces,
every dash and minus sign (full-width ones too), zero-width characters and the BOM
(:data:`credit.masking.DASHES`, :data:`credit.masking.INVISIBLES`).  A 15-digit 注册号 (the
registration number before 2015, check digit by ISO 7064 MOD 11,10, GB/T 17710) is refused with
its own reason, asking for the 18-character 统一社会信用代码 instead.  A code of 17 digits and a
digit or X can be both a valid USCC and a valid ID number (about 1 valid ID number in 350; X is
in the USCC alphabet too): a field that asks for one kind reads it as that kind, and
:func:`validate_code` refuses it as ambiguous (:class:`AmbiguousCreditCode`) unless told which.

    >>> normalise_uscc(" 9111 0000—600037341l\ufeff")
    '91110000600037341L'
    >>> validate_citizen_id("11010519491231002x")
    '11010519491231002X'
    >>> is_registration_number("110108000000016")
    True

Errors::

    DomainError
     ├── InvalidCreditCode(reason)  reason ∈ {length, charset, checksum, org_checksum,
     │                                         birth_date, legacy_registration_number}
     └── AmbiguousCreditCode        valid as a USCC and as an ID number; say which (``kind``)
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

from credit.errors import DomainError
from credit.masking import DASHES, INVISIBLES

__all__ = [
    "USCC_ALPHABET",
    "AmbiguousCreditCode",
    "CodeKind",
    "InvalidCodeReason",
    "InvalidCreditCode",
    "citizen_id_check_char",
    "classify_code",
    "gb11714_check_char",
    "is_registration_number",
    "normalise_code",
    "registration_number_check_digit",
    "uscc_check_char",
    "validate_citizen_id",
    "validate_code",
    "validate_uscc",
]

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1 3 9 27 19 26 16 17 20 29 ...
_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")

# Full-width ASCII (U+FF01..U+FF5E) maps to U+0021..U+007E; U+3000 is the ideographic space.
_FULL_TO_HALF = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# After the full-width fold: whitespace, every dash and minus, what prints as nothing.
_SEPARATORS = re.compile("[\\s" + "".join(re.escape(ch) for ch in DASHES + INVISIBLES) + "]+")
_REGISTRATION_NUMBER = re.compile(r"^\d{15}$")


class CodeKind(StrEnum):
    USCC = "USCC"
    CITIZEN_ID = "CITIZEN_ID"


class InvalidCodeReason(StrEnum):
    LENGTH = "length"
    CHARSET = "charset"
    CHECKSUM = "checksum"
    ORG_CHECKSUM = "org_checksum"
    BIRTH_DATE = "birth_date"
    LEGACY_REGISTRATION_NUMBER = "legacy_registration_number"


_REASON_TEXT = {
    InvalidCodeReason.LENGTH: "长度不对：统一社会信用代码为18位，公民身份号码为18位",
    InvalidCodeReason.CHARSET: "含有不允许的字符（统一社会信用代码不使用 I、O、S、V、Z）",
    InvalidCodeReason.CHECKSUM: "校验位不正确，请核对是否抄错",
    InvalidCodeReason.ORG_CHECKSUM: "其中的组织机构代码（第9-17位）校验位不正确",
    InvalidCodeReason.BIRTH_DATE: "公民身份号码中的出生日期不是有效日期",
    InvalidCodeReason.LEGACY_REGISTRATION_NUMBER: (
        "这是15位的旧版工商注册号，已由统一社会信用代码取代；请输入该主体18位的统一社会信用代码"
        "（营业执照上印有，也可在国家企业信用信息公示系统按名称或注册号查到）"
    ),
}


class InvalidCreditCode(DomainError):
    """A USCC or citizen ID number that fails validation; ``reason`` says which step."""

    code = "INVALID_CREDIT_CODE"

    def __init__(self, reason: InvalidCodeReason) -> None:
        self.reason = reason
        super().__init__(f"无效的信用主体代码：{_REASON_TEXT[reason]}")

    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "reason": self.reason.value}


class AmbiguousCreditCode(DomainError):
    """A code valid both as a USCC and as an ID number (17 digits and a digit or ``X``),
    asked for without a kind.

    ``normalised`` is the code itself (never put in the message: it may be someone's ID number).
    """

    code = "AMBIGUOUS_CREDIT_CODE"

    def __init__(self, normalised: str) -> None:
        self.normalised = normalised
        super().__init__(
            "该代码既是有效的统一社会信用代码，也是有效的公民身份号码，无法判断查询对象；"
            "请指明主体类别（kind: ENTERPRISE 或 PERSON），或按统一社会信用代码查询（enterprise）"
        )

    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "kinds": [CodeKind.USCC.value, CodeKind.CITIZEN_ID.value]}


def normalise_code(raw: str) -> str:
    """Full-width → half-width; drop spaces, dashes, minus signs, zero-width characters and
    the BOM; upper-case."""
    return _SEPARATORS.sub("", raw.translate(_FULL_TO_HALF)).upper()


def registration_number_check_digit(first14: str) -> str:
    """Check digit of a 15-digit 注册号: ISO 7064 MOD 11,10 (GB/T 17710) over 14 digits."""
    product = 10
    for ch in first14:
        total = (product + int(ch)) % 10 or 10
        product = total * 2 % 11
    return str((11 - product) % 10)


def is_registration_number(normalised: str) -> bool:
    """A 15-digit 注册号 with a correct check digit (the registration number before the USCC)."""
    return bool(_REGISTRATION_NUMBER.match(normalised)) and (
        registration_number_check_digit(normalised[:14]) == normalised[14]
    )


def _length_error(code: str) -> InvalidCreditCode:
    if is_registration_number(code):
        return InvalidCreditCode(InvalidCodeReason.LEGACY_REGISTRATION_NUMBER)
    return InvalidCreditCode(InvalidCodeReason.LENGTH)


# The USCC-specific spelling is kept for readers who come from the standard's wording.
normalise_uscc = normalise_code


def uscc_check_char(first17: str) -> str:
    """The 18th character of a USCC whose first 17 characters are ``first17``."""
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def gb11714_check_char(first8: str) -> str:
    """Check character of a 9-character 组织机构代码 (values 0-9, A=10 … Z=35)."""
    total = sum(int(ch, 36) * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
    r = 11 - total % 11
    if r == 10:
        return "X"
    if r == 11:
        return "0"
    return str(r)


def citizen_id_check_char(first17: str) -> str:
    total = sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_uscc(raw: str) -> str:
    """Return the normalised USCC or raise :class:`InvalidCreditCode`."""
    code = normalise_code(raw)
    if len(code) != 18:
        raise _length_error(code)
    if not _USCC_SHAPE.match(code):
        raise InvalidCreditCode(InvalidCodeReason.CHARSET)
    if uscc_check_char(code[:17]) != code[17]:
        raise InvalidCreditCode(InvalidCodeReason.CHECKSUM)
    if gb11714_check_char(code[8:16]) != code[16]:
        raise InvalidCreditCode(InvalidCodeReason.ORG_CHECKSUM)
    return code


def validate_citizen_id(raw: str, *, today: dt.date | None = None) -> str:
    """Return the normalised 18-digit ID number or raise :class:`InvalidCreditCode`."""
    code = normalise_code(raw)
    if len(code) != 18:
        raise InvalidCreditCode(InvalidCodeReason.LENGTH)  # a 15-digit one is an old ID card
    if not _ID_SHAPE.match(code):
        raise InvalidCreditCode(InvalidCodeReason.CHARSET)
    try:
        born = dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        raise InvalidCreditCode(InvalidCodeReason.BIRTH_DATE) from None
    if born > (today or dt.date.today()):
        raise InvalidCreditCode(InvalidCodeReason.BIRTH_DATE)
    if citizen_id_check_char(code[:17]) != code[17]:
        raise InvalidCreditCode(InvalidCodeReason.CHECKSUM)
    return code


def classify_code(normalised: str) -> CodeKind:
    """Which kind of identifier a normalised 18-character code looks like.

    An ID number is 17 digits and a digit or ``X`` with a 19xx/20xx birth year; anything else is
    read as a USCC.  A few all-digit USCCs share that shape; :func:`validate_code` resolves them.
    """
    if _ID_SHAPE.match(normalised) and normalised[6:8] in {"19", "20"}:
        return CodeKind.CITIZEN_ID
    return CodeKind.USCC


def validate_code(
    raw: str, *, today: dt.date | None = None, kind: CodeKind | None = None
) -> tuple[CodeKind, str]:
    """Validate a code that may be either kind; return its kind and normalised form.

    With ``kind`` the code is validated as that kind only.  Without it, a code shaped like an
    ID number is tried as both: valid as one only, it is that one (an all-digit USCC such as
    ``12…`` 事业单位 may look like an ID); valid as both, :class:`AmbiguousCreditCode`; valid
    as neither, the ID error stands.
    """
    code = normalise_code(raw)
    if kind is CodeKind.USCC:
        return kind, validate_uscc(code)
    if kind is CodeKind.CITIZEN_ID:
        return kind, validate_citizen_id(code, today=today)
    if len(code) != 18:
        raise _length_error(code)
    if classify_code(code) is CodeKind.USCC:
        return CodeKind.USCC, validate_uscc(code)
    try:
        as_id = validate_citizen_id(code, today=today)
    except InvalidCreditCode as id_error:
        try:
            return CodeKind.USCC, validate_uscc(code)
        except InvalidCreditCode:
            raise id_error from None
    try:
        validate_uscc(code)
    except InvalidCreditCode:
        return CodeKind.CITIZEN_ID, as_id
    raise AmbiguousCreditCode(as_id)
