"""Small value types shared by many GraphQL types, and the wire format of our scalars.

The scalars are strawberry's own (same parsing and serialisation), published with a
description of their wire format and, where a specification exists, ``@specifiedBy`` — so
TypeScript and Python client generators can map them without guessing:

    Date      "2026-11-22"                         (RFC 3339 full-date, no time zone)
    DateTime  "2026-11-22T08:27:52.006453+00:00"   (RFC 3339 date-time, always with offset)
    Decimal   "1234567.89"                         (a JSON string, never a float)
    Money     {"yuan": "1234567.89", "currency": "CNY"}   (an object type, not a scalar)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import strawberry
from strawberry.schema.types.base_scalars import (
    DateDefinition,
    DateTimeDefinition,
    DecimalDefinition,
)
from strawberry.types.scalar import ScalarDefinition

__all__ = ["SCALARS", "Money"]

SCALARS: dict[object, ScalarDefinition] = {
    dt.date: dataclasses.replace(
        DateDefinition,
        description='日期，ISO 8601 / RFC 3339 full-date 字符串，如 "2026-11-22" / '
        "A calendar date as a string YYYY-MM-DD, no time zone",
        specified_by_url="https://scalars.graphql.org/andimarek/local-date.html",
    ),
    dt.datetime: dataclasses.replace(
        DateTimeDefinition,
        description="时间，RFC 3339 date-time 字符串，带时区偏移，如 "
        '"2026-11-22T08:27:52.006453+00:00" / An instant as an RFC 3339 string with offset',
        specified_by_url="https://scalars.graphql.org/andimarek/date-time.html",
    ),
    Decimal: dataclasses.replace(
        DecimalDefinition,
        description='定点小数，以 JSON 字符串传输，如 "1234567.89"（输入也接受数字） / '
        "A fixed-point decimal sent as a JSON string, never a float; input also takes a number",
    ),
}


@strawberry.type(
    description='金额（人民币），如 {"yuan": "1234567.89", "currency": "CNY"} / '
    "An amount of money: yuan as a Decimal string, currency ISO 4217"
)
class Money:
    yuan: Decimal = strawberry.field(description="金额，单位：元 / Amount in yuan")
    currency: str = strawberry.field(description="币种，ISO 4217 / Currency code", default="CNY")
