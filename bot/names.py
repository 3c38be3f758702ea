"""The Chinese names of the gateway's sources and record kinds, and each kind's polarity,
read from the gateway.

The bureaus declare them (a bureau added to the gateway's registry is named at once); the bot
keeps no table of its own.  A code the names do not know is shown as it is.  A kind's
polarity (``NEGATIVE``, ``POSITIVE``, ``NEUTRAL``) says whether its records count against their
subject: the negative kinds are the ones offered for repair and objection.

    names = Names.of(result.data)      # from the ``Names`` operation
    names.source("court"), names.kind("PATENT")   # "法院", "专利权"
    names.negative                     # ("ADMIN_PENALTY", …, "CUSTOMS_DISHONEST")
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Names"]


@dataclass(frozen=True, slots=True)
class Names:
    sources: Mapping[str, str] = field(default_factory=dict)  # "court" → "法院"
    kinds: Mapping[str, str] = field(default_factory=dict)  # "PATENT" → "专利权"
    polarities: Mapping[str, str] = field(default_factory=dict)  # "PATENT" → "POSITIVE"

    @classmethod
    def of(cls, data: Mapping[str, Any] | None) -> Names:
        """From the ``Names`` operation's data (empty when it has none)."""
        data = data or {}
        return cls(
            sources={s["source"].lower(): s["name"] for s in data.get("sources") or ()},
            kinds={k["kind"]: k["name"] for k in data.get("recordKinds") or ()},
            polarities={k["kind"]: k["polarity"] for k in data.get("recordKinds") or ()},
        )

    def __bool__(self) -> bool:
        return bool(self.sources and self.kinds)

    def source(self, code: str) -> str:
        """A source's name; ``code`` as the graph gives it (``COURT``) or as an error names it
        (``court``)."""
        return self.sources.get(code.lower(), code)

    def kind(self, code: str) -> str:
        return self.kinds.get(code, code)

    def polarity(self, code: str) -> str | None:
        """``NEGATIVE``, ``POSITIVE`` or ``NEUTRAL``; ``None`` for a kind it does not know."""
        return self.polarities.get(code)

    @property
    def negative(self) -> tuple[str, ...]:
        """The kinds whose records count against their subject, in the gateway's order."""
        return tuple(k for k, p in self.polarities.items() if p == "NEGATIVE")
