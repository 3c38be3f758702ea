"""The root of every domain error the edge turns into a GraphQL error.

Each subclass names a stable ``code`` (``extensions.code`` on the wire) and writes a message a
person can act on, in Chinese.  Messages never contain personal data.

    DomainError
     ├── InvalidCreditCode        (credit.identifiers)
     └── ...                      (added by the modules that raise them)
"""

from __future__ import annotations

__all__ = ["DomainError"]


class DomainError(Exception):
    """An expected, explainable refusal.  ``code`` is stable; the message is for people."""

    code = "DOMAIN_ERROR"

    def extensions(self) -> dict[str, object]:
        return {"code": self.code}
