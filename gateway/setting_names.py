"""Every ``GATEWAY_`` environment variable names a setting, or start-up stops.

pydantic-settings ignores a variable it has no field for, so a misspelt one
(``GATEWAY_REQUST_DEADLINE_S``) or a retired one (``GATEWAY_RESPONSE_CACHE_MAX_ENTRIES``)
would leave an operator believing they tuned something they did not.  The names a settings
model reads are derived from the model itself, never listed by hand:

* every field, nested models and dataclasses ``__``-joined (``GATEWAY_PUBLICITY__HOLIDAYS``),
  one block per bureau of the registry (``GATEWAY_BUREAUS__COURT__TIMEOUT_S``);
* every level as a whole JSON value too (``GATEWAY_RATE_LIMITS='{"public": 120}'``);
* any key under a map-valued setting (``GATEWAY_JWT_PUBLIC_KEYS__<KID>``,
  ``GATEWAY_RIGHTS__OBJECTION_WORKING_DAYS_BY_SOURCE__CUSTOMS``);
* a field's ``validation_alias`` names (``GATEWAY_DATABASE_URL``).

Two tables complete them: :data:`RETIRED` (refused, saying what replaced them) and
:data:`NOT_SETTINGS` (``GATEWAY_``-prefixed names that are not ours, accepted).  Names compare
case-insensitively, as pydantic-settings reads them.

    names = SettingNames.of(Settings)
    names.problems(os.environ)
    # ['GATEWAY_REQUST_DEADLINE_S: not a setting — did you mean GATEWAY_REQUEST_DEADLINE_S?']

The settings read the process environment only (no ``env_file``): that is all there is to check.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import typing
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from pydantic import AliasChoices, BaseModel
from pydantic_settings import BaseSettings

__all__ = ["NOT_SETTINGS", "RETIRED", "Retired", "SettingNames"]

CUTOFF = 0.75  # difflib similarity of a suggestion; lower ones suggested unrelated names
MAX_OPTIONS = 12  # a level with more choices than this is not listed in the message


class Retired(NamedTuple):
    """A setting that was, and what an operator who still sets it should do now."""

    replacement: str | None
    hint: str


RETIRED: Mapping[str, Retired] = {
    "GATEWAY_RESPONSE_CACHE_MAX_ENTRIES": Retired(
        "GATEWAY_RESPONSE_CACHE_MAX_BYTES",
        "now a byte budget: the kept answers' JSON, not a count of answers",
    ),
    **{
        f"GATEWAY_RIGHTS__{bureau}_OBJECTION_WORKING_DAYS": Retired(
            "GATEWAY_RIGHTS__OBJECTION_WORKING_DAYS_BY_SOURCE",
            f'one JSON object for every bureau, e.g. {{"{bureau.lower()}": 15}}',
        )
        for bureau in ("MARKET", "NATIONAL")
    },
    "GATEWAY_RIGHTS__PLATFORM_OBJECTION_WORKING_DAYS": Retired(
        "GATEWAY_RIGHTS__OBJECTION_WORKING_DAYS",
        "one period for every objection without a statutory deadline",
    ),
    **{
        f"GATEWAY_PUBLICITY__{period}": Retired(
            "GATEWAY_PUBLICITY__ADDED_REGIMES",
            "penalty periods are dated regimes now (credit/regimes.py)",
        )
        for period in (
            "ADMIN_MINOR_PUBLISHED",
            "ADMIN_MINOR_MAX_MONTHS",
            "ADMIN_GENERAL_MIN_MONTHS",
            "ADMIN_GENERAL_MAX_MONTHS",
            "ADMIN_SERIOUS_MIN_MONTHS",
            "ADMIN_SERIOUS_MAX_MONTHS",
            "MARKET_MINOR_MONTHS",
            "MARKET_OTHER_MONTHS",
            "MARKET_REPAIRABLE_AFTER_MONTHS",
        )
    },
    "GATEWAY_PUBLICITY__BANK_SHARING_YEARS": Retired(
        None, "sharing with banks ends with publicity (docs/DOMAIN.md §2)"
    ),
}
"""Settings that were and are no more (upper case), refused with what to set instead."""

NOT_SETTINGS: Mapping[re.Pattern[str], str] = {
    # Kubernetes injects these into every pod of the namespace for a Service named `gateway`
    # (unless the pod says enableServiceLinks: false); they are no typo of the operator's.  Its
    # GATEWAY_PORT=tcp://… is overridden by the manifest's own GATEWAY_PORT.
    re.compile(r"GATEWAY_SERVICE_HOST|GATEWAY_SERVICE_PORT(_[A-Z0-9_]+)?"): "Kubernetes service",
    re.compile(r"GATEWAY_PORT_\d+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?"): "Kubernetes service",
}
"""``GATEWAY_``-prefixed names (patterns of the whole upper-case name) that are not settings
yet may well be in a gateway's environment, and who puts them there.  Nothing of ours is among
them: every ``GATEWAY_`` variable the repository's files and commands set is a setting
(tests/gateway/test_setting_names.py keeps that so)."""


@dataclasses.dataclass(frozen=True)
class SettingNames:
    """The names one settings model reads (all upper case): ``exact`` ones, and ``free_keys``
    prefixes under which any name is a map's key; ``prefix`` and ``nested`` are the model's
    ``env_prefix`` and ``env_nested_delimiter``."""

    exact: frozenset[str]
    free_keys: tuple[str, ...]
    prefix: str
    nested: str

    @classmethod
    def of(cls, model: type[BaseSettings]) -> SettingNames:
        prefix = model.model_config.get("env_prefix", "").upper()
        nested = model.model_config.get("env_nested_delimiter") or ""
        if not prefix or not nested:
            raise TypeError(f"{model.__name__}: no env_prefix or env_nested_delimiter to check")
        exact: set[str] = set()
        free: list[str] = []
        for name, info in model.model_fields.items():
            alias = info.validation_alias
            envs = (
                [c for c in alias.choices if isinstance(c, str)]
                if isinstance(alias, AliasChoices)
                else [prefix + name]
            )
            for env in envs:
                _walk(info.annotation, env.upper(), nested, exact, free)
        return cls(frozenset(exact), tuple(free), prefix, nested)

    def accepts(self, name: str) -> bool:
        """Whether the variable ``name`` is read as a setting or listed in NOT_SETTINGS."""
        upper = name.upper()
        return (
            upper in self.exact
            or upper.startswith(self.free_keys)
            or any(pattern.fullmatch(upper) for pattern in NOT_SETTINGS)
        )

    def problems(self, environ: Iterable[str]) -> list[str]:
        """One line per prefixed variable that is not accepted, naming it and what to set
        instead where that is known; empty when every one is a setting."""
        found: list[str] = []
        for name in sorted(environ):
            upper = name.upper()
            if not upper.startswith(self.prefix) or self.accepts(name):
                continue
            retired = RETIRED.get(upper)
            if retired is not None and retired.replacement is not None:
                found.append(f"{name}: retired, set {retired.replacement} ({retired.hint})")
            elif retired is not None:
                found.append(f"{name}: retired, no longer a setting ({retired.hint})")
            else:
                found.append(f"{name}: not a setting — {self._advice(upper)}")
        return found

    def _advice(self, name: str) -> str:
        suggestion, stuck = self._resolve(name)
        if suggestion is not None:
            return f"did you mean {suggestion}?"
        options = sorted(self._children(stuck))
        if stuck is not None and 0 < len(options) <= MAX_OPTIONS:  # say, the registry's bureaus
            return f"{stuck}{self.nested}… is one of {', '.join(options)}"
        return "see the README's Configuration table"

    def _resolve(self, name: str) -> tuple[str | None, str | None]:
        """The close known name, level by level (a bureau misspelt, then a field); else None
        and the deepest known level above the part that matched nothing (None: the top).
        Parts are compared without the prefix every name shares: it makes them look alike."""
        short = name.removeprefix(self.prefix)
        if self.nested not in short:  # a single `_` where `__` was meant, too
            return _close(short, {n.removeprefix(self.prefix): n for n in self.exact}), None
        node: str | None = None
        segments = short.split(self.nested)
        for depth, segment in enumerate(segments):
            if node is not None and node + self.nested in self.free_keys:
                return self.nested.join([node, *segments[depth:]]), None  # a map's key: any
            found = _close(segment, self._children(node))
            if found is None:
                return None, node
            node = found
        return node, None

    def _children(self, node: str | None) -> dict[str, str]:
        """The known names one level below ``node`` (None: the top level), by their last part."""
        start = self.prefix if node is None else node + self.nested
        below = (n.removeprefix(start) for n in self.exact if n.startswith(start))
        return {part: start + part for part in {b.partition(self.nested)[0] for b in below}}


def _close(part: str, candidates: Mapping[str, str]) -> str | None:
    """The name whose part (its key in ``candidates``) ``part`` is or most likely misspells."""
    if part in candidates:
        return candidates[part]
    found = difflib.get_close_matches(part, list(candidates), n=1, cutoff=CUTOFF)
    return candidates[found[0]] if found else None


def _walk(shape: object, env: str, nested: str, exact: set[str], free: list[str]) -> None:
    """Add ``env`` (a whole value, JSON for a model) and, below it, every name nested in it."""
    exact.add(env)
    below = env + nested
    if isinstance(shape, type) and issubclass(shape, BaseModel):
        for name, info in shape.model_fields.items():
            _walk(info.annotation, below + name.upper(), nested, exact, free)
    elif isinstance(shape, type) and dataclasses.is_dataclass(shape):
        hints = typing.get_type_hints(shape)
        for field in dataclasses.fields(shape):
            if field.init:  # derived fields are not settings
                _walk(hints[field.name], below + field.name.upper(), nested, exact, free)
    elif typing.get_origin(shape) is dict:
        free.append(below)
