"""A seeded generator of malformed requests to the gateway: every kind a client can send.

    for case in Fuzzer(random.Random(seed), people, firms, keys).cases(1500):
        await conn.send(case.method, case.target, case.body, case.headers)

Kinds: sound operations with one weird value (huge, mistyped, NUL, lone surrogate, a year
past 9999, a Decimal of NaN), hostile documents, bodies that are not one JSON object (bare
values, batches, invalid UTF-8, 1,000-deep nesting), odd GETs, odd methods, headers and
content types.  Half the operations carry a bank's or an officer's key, to get past FORBIDDEN.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

__all__ = ["HOSTILE_DOCUMENTS", "Case", "Fuzzer"]

JSON_TYPE = {"Content-Type": "application/json"}

DOCUMENTS = {
    "search": "query($n:String!,$f:Int!){searchEnterprises(name:$n,first:$f){totalCount}}",
    "subject": "query($c:String!){subject(code:$c){code displayName}}",
    "records": "query($c:String!,$f:RecordFilter,$n:Int!){subject(code:$c){"
    "records(filter:$f,first:$n){totalCount}}}",
    "report": "query($c:String!,$p:ReportPeriod){subject(code:$c){"
    "creditReport(period:$p){__typename}}}",
    "stats": "query($a:Date!,$b:Date!){financingApprovalStats(fromMonth:$a,toMonth:$b){month}}",
    "product": "query($c:String!,$v:Int){financingProduct(code:$c,version:$v){code}}",
    "discipline": "query($c:String!,$m:Matter!){disciplineCheck(code:$c,matter:$m){restricted}}",
    "precheck": "mutation($i:PrecheckFinancingInput!){precheckFinancing(input:$i){id}}",
    "consent": "mutation($i:GrantConsentInput!){grantConsent(input:$i){id}}",
    "bind": "mutation($i:StartIdentityBindingInput!){startIdentityBinding(input:$i){challengeId}}",
    "outcome": "mutation($p:ID!,$o:LoanOutcome!,$a:Decimal,$t:Int){"
    "reportLoanOutcome(precheckId:$p,outcome:$o,amount:$a,termMonths:$t){id}}",
}
INTS: list[Any] = [0, 1, -1, 20, 101, 2**31 - 1, 2**31, -(2**31) - 1, 2**53, 2**63, 2**64]
INTS += [10**30, 1.5, 1e308, "x", "1", True, None, [], {}]
DATES: list[Any] = ["2026-02-30", "10000-01-01", "9999-12-31", "9999-12-01", "0001-01-01"]
DATES += ["0000-01-01", "2026-13-01", "", "２０２６-０１-０１", 20260101, "2026-01-01T00:00"]
DATES += ["-0001-01-01", "2024-02-29", None, ["2026-01-01"]]
DECIMALS: list[Any] = ["abc", "NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "1e999999999"]
DECIMALS += ["1E-999999999", "-1", "0", "1e30", "１０００", 1e308, 10**40, "", " 1 ", 500000]
ENUMS: list[Any] = ["LOAN_PRECHECK", "loan_precheck", "NOPE", 1, None, "TAX", "FINANCING", ""]
NASTY: list[Any] = ["", " ", "a" * 5000, "宁夏", "\u0000", "a\u0000b", "\ud800", "x\udfff", "😀"]
NASTY += ["' OR 1=1 --", "%00", "\u202e", "\ufeff", None, 5, [], {"a": 1}]


_CHAIN = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(600))
HOSTILE_DOCUMENTS = [  # a RecursionError in a recursive walker, once
    "{ ...F0 } " + _CHAIN + " fragment F600 on Query { measures { name } }",
    "{ " + "... on Query { " * 300 + "measures { name }" + " }" * 301,
]


@dataclass
class Case:
    method: str
    target: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: dict(JSON_TYPE))


def _dumps(value: Any, rng: random.Random) -> bytes:
    """JSON text of ``value``; a lone surrogate either escaped or as raw (invalid) UTF-8."""
    if rng.random() < 0.5:
        return json.dumps(value).encode()
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _nested(depth: int, rng: random.Random) -> bytes:
    """JSON text nested ``depth`` levels, arrays and objects mixed (built as text: the json
    module's own encoder would hit the recursion limit)."""
    kinds = [rng.random() < 0.5 for _ in range(depth)]
    opening = "".join("[" if is_list else '{"a":' for is_list in kinds)
    closing = "".join("]" if is_list else "}" for is_list in reversed(kinds))
    return (opening + '"leaf"' + closing).encode()


class Fuzzer:
    def __init__(
        self, rng: random.Random, people: list[str], firms: list[str], keys: list[str]
    ) -> None:
        self.rng = rng
        self.people = people
        self.firms = firms
        self.keys = keys  # half the operations run as a bank or an officer: past FORBIDDEN

    def pick(self, pool: list[Any]) -> Any:
        return self.rng.choice(pool)

    def written_id(self) -> str:
        """A real person's ID number, written in one of the forms the gateway accepts."""
        code = self.pick(self.people)
        forms = [
            code,
            code.lower(),
            f"{code[:6]} {code[6:14]} {code[14:]}",
            f"{code[:6]}-{code[6:14]}－{code[14:]}",
            code.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"}),
        ]
        return str(self.pick(forms))

    def string(self) -> Any:
        return self.pick([*NASTY, self.written_id(), self.pick(self.firms), "13912345678"])

    def either(self, good: Any, weird: list[Any]) -> Any:
        """Mostly a good value, so that one weird value in a sound request reaches the
        resolvers (an amount of NaN in a valid pre-check), not only variable coercion."""
        return self.pick(weird) if self.rng.random() < 0.35 else good

    def variables(self, name: str) -> dict[str, Any]:
        x, s = self.either, self.string
        firm = self.pick(self.firms)

        def i() -> Any:
            return self.pick(INTS)

        def day() -> Any:
            return x(self.pick(["2026-01-01", "9999-12-31", "0001-01-01"]), DATES)

        def purpose() -> Any:
            return x("LOAN_PRECHECK", ENUMS)

        makers: dict[str, Callable[[], dict[str, Any]]] = {
            "search": lambda: {"n": x(self.pick(["宁夏", "a"]), [s()]), "f": x(5, INTS)},
            "subject": lambda: {"c": x(self.pick([firm, self.written_id()]), [s()])},
            "records": lambda: {
                "c": firm,
                "n": x(5, INTS),
                "f": x({"decidedFrom": day(), "decidedTo": day()}, [{"kinds": [s()]}, s()]),
            },
            "report": lambda: {"c": x(firm, [s()]), "p": x({"from": day(), "to": day()}, [{}])},
            "stats": lambda: {"a": day(), "b": day()},
            "product": lambda: {"c": x("BANK_TAX_LOAN", [s()]), "v": i()},
            "discipline": lambda: {"c": x(firm, [s()]), "m": x("FINANCING", ENUMS)},
            "precheck": lambda: {
                "i": {
                    "uscc": x(firm, [s()]),
                    "productCode": x("BANK_TAX_LOAN", [s()]),
                    "amount": x("300000", DECIMALS),
                    "purpose": purpose(),
                    "idempotencyKey": x(f"fuzz-{self.rng.random()}", [s()]),
                }
            },
            "consent": lambda: {
                "i": {
                    "bankId": x("demo-bank", [s()]),
                    "scopes": [x("TAX", ENUMS)],
                    "purpose": purpose(),
                    "endsOn": day(),
                }
            },
            "bind": lambda: {"i": {"name": s(), "idNumber": self.written_id(), "phone": s()}},
            "outcome": lambda: {
                "p": s(),
                "o": x("APPROVED", ENUMS),
                "a": x("1000", DECIMALS),
                "t": x(12, INTS),
            },
        }
        return makers[name]()

    def graphql_case(self) -> Case:
        name = self.pick(list(DOCUMENTS))
        variables: Any = self.variables(name)
        if self.rng.random() < 0.15:  # drop one, or mistype the whole
            variables = self.pick([{}, None, [], 5, "x", dict(list(variables.items())[1:])])
        body: dict[str, Any] = {"query": DOCUMENTS[name], "variables": variables}
        if self.rng.random() < 0.1:
            body["operationName"] = self.pick(NASTY)
        if self.rng.random() < 0.05:
            body["extensions"] = self.pick([{"persistedQuery": {"sha256Hash": "zz"}}, [], "x"])
        if self.rng.random() < 0.05:
            del body["query"]
        case = Case("POST", "/graphql", _dumps(body, self.rng))
        if self.rng.random() < 0.5:
            case.headers["Authorization"] = "Bearer " + self.pick(self.keys)
            case.headers["X-Purpose"] = "LOAN_PRECHECK"
        return case

    def document_case(self) -> Case:
        firm = self.pick(self.firms)
        documents = [
            *HOSTILE_DOCUMENTS,
            f'{{ subject(code: "{firm}") {{ code }} }}',
            '{ subject(code: "\\u0000") { code } }',
            '{ subject(code: "\\u{0}abc") { code } }',
            f'{{ subject(code: "{self.written_id()}") {{ code nope }} }}',
            f'{{ searchEnterprises(name: "宁夏", first: {self.pick(INTS)}) {{ totalCount }} }}',
            '{ financingApprovalStats(fromMonth: "9999-12-01", toMonth: "9999-12-31") { month } }',
            "{ " + " ".join(f"a{i}: measures {{ name }}" for i in range(self.pick([5, 50]))) + " }",
            "{ measures { name } " * self.pick([1, 3]),
            "query A { measures { name } } query B { measures { name } }",
            "mutation { unbindIdentity }",
            f"# {self.written_id()}\n{{ __typename",
            "subscription { x }",
            "{ __schema { types { name } } }",
        ]
        body: dict[str, Any] = {"query": self.pick(documents)}
        if self.rng.random() < 0.3:
            body["operationName"] = self.pick(["A", "B", "C", None])
        return Case("POST", "/graphql", _dumps(body, self.rng))

    def body_case(self) -> Case:
        rng = self.rng
        raw = [
            b"",
            b"42",
            b"null",
            b"true",
            b'"query"',
            b"[]",
            b'[{"query":"{ measures { name } }"}]',
            b'[{"query":"{ measures { name } }"},{"query":"{ __typename }"}]',
            b'{"query":',
            b"{'query': '{ __typename }'}",
            b"\xef\xbb\xbf" + b'{"query":"{ __typename }"}',
            b'{"query":"{ __typename }"}' + bytes([rng.randrange(256)]),
            bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64))),
            b'{"query":"{ subject(code: \\"\xff\xfe\\") { code } }"}',
            b'{"query":"\xed\xa0\x80"}',
            b"[" * 2000 + b"]" * 2000,
            b'{"query":"{ __typename }","variables":'
            + _nested(rng.choice([31, 33, 500, 1100]), rng)
            + b"}",
            b'{"query":"{ __typename }","extensions":' + _nested(40, rng) + b"}",
            b'{"query":"{ __typename }","variables":{"a":1e999}}',
            b'{"query":"{ __typename }","query":5}',
        ]
        return Case("POST", "/graphql", rng.choice(raw))

    def get_case(self) -> Case:
        rng = self.rng
        q = quote(self.pick(["{ measures { name } }", "mutation { unbindIdentity }", "{ x"]))
        targets = [
            "/graphql",
            f"/graphql?query={q}",
            f"/graphql?query={q}&variables=%5B%5B",
            f"/graphql?query={q}&variables=5",
            f"/graphql?query={q}&variables=",
            f"/graphql?query={q}&extensions=%7B%22documentId%22%3A%22sha256%3Azz%22%7D",
            "/graphql?query=%FF%FE",
            "/graphql?query=%00",
            "/graphql?query=%7B%20__typename%20%7D&query=mutation%20%7B%20unbindIdentity%20%7D",
            "/graphql?documentId=sha256%3A" + "0" * 64,
            "/graphql?variables=%7B%7D",
            f"/graphql?query={quote(DOCUMENTS['subject'])}&variables="
            + quote(json.dumps({"c": self.written_id()})),
            f"/graphql?query={quote(DOCUMENTS['search'])}&variables="
            + quote(json.dumps({"n": "\u0000", "f": 2**64})),
        ]
        accept = self.pick(["application/json", "*/*", "application/graphql-response+json", ""])
        return Case("GET", rng.choice(targets), headers={"Accept": accept} if accept else {})

    def header_case(self) -> Case:
        case = self.graphql_case() if self.rng.random() < 0.5 else self.document_case()
        changes: list[Callable[[], object]] = [
            lambda: case.headers.update({"Content-Type": self.pick(CONTENT_TYPES)}),
            lambda: case.headers.pop("Content-Type"),
            lambda: case.headers.update({"X-Request-Id": self.written_id().replace(" ", "")}),
            lambda: case.headers.update({"Authorization": self.pick(AUTHORIZATIONS)}),
            lambda: case.headers.update({"X-Purpose": self.pick(["", "NOPE", "loan_precheck"])}),
            lambda: case.headers.update({"X-Subject-Token": "x.y.z"}),
            lambda: case.headers.update({"Accept": "text/html"}),
        ]
        self.rng.choice(changes)()
        if self.rng.random() < 0.1:
            case.method = self.pick(["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"])
        return case

    def cases(self, count: int) -> Iterator[Case]:
        makers: list[Callable[[], Case]] = [
            self.graphql_case,
            self.graphql_case,
            self.graphql_case,
            self.document_case,
            self.body_case,
            self.get_case,
            self.header_case,
        ]
        for _ in range(count):
            yield self.rng.choice(makers)()


CONTENT_TYPES = ["text/plain", "application/json; charset=latin-1", "application/graphql"]
CONTENT_TYPES += ["multipart/form-data; boundary=x", "APPLICATION/JSON", "application/jsonx", ""]
AUTHORIZATIONS = ["Bearer", "Bearer ", "Bearer cgw_live_nope", "Basic eDp5", "Bearer a.b.c"]
