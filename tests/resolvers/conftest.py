"""The access-control fixtures live in tests/conftest.py (the gateway tests use them too)."""

from __future__ import annotations

from tests.conftest import ADMIN_KEY, CitizenFactory, consent_end

__all__ = ["ADMIN_KEY", "CitizenFactory", "consent_end"]
