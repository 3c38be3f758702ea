"""Per-bureau connection and resilience settings, embedded in the gateway's settings object.

Each field is one environment variable, ``GATEWAY_BUREAUS__<BUREAU>__<FIELD>``, e.g.
``GATEWAY_BUREAUS__TAX__BREAKER_FAILURES=3``.  The numbers here are the only place the
connectors' thresholds live; the retry loop, breaker, bulkhead and caches read them from here.

``ttl_by_kind_s`` overrides ``ttl_s`` per data kind (JSON, e.g. ``{"penalties": 60}``); each
connector checks at construction that it knows every kind named there.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr, model_validator

__all__ = ["BureauConfig"]


class BureauConfig(BaseModel):
    """How to reach one bureau and how hard to try."""

    model_config = {"frozen": True}

    url: str = Field("", description="Base URL; empty means the demo simulators fill it in")
    api_key: SecretStr = Field(SecretStr(""), description="API key for the bureau")
    auth_secret: SecretStr = Field(
        SecretStr(""),
        description="Secret shared with a consent-gated bureau, to sign subject tokens",
    )
    timeout_s: float = Field(2.0, gt=0, le=60, description="Per-attempt timeout, seconds")

    retry_attempts: int = Field(
        3, ge=1, le=10, description="Attempts per read, the first included (writes: always 1)"
    )
    retry_base_delay_s: float = Field(
        0.1, ge=0, le=10, description="Backoff before retry n is jittered in [0, base·2^(n-1)]"
    )
    retry_max_delay_s: float = Field(
        2.0,
        ge=0,
        le=60,
        description="Longest wait before a retry; a longer Retry-After is not waited for",
    )
    retry_budget_tokens: float = Field(
        10.0, ge=0, le=1000, description="Retry budget: bucket size; each retry spends one token"
    )
    retry_budget_refill: float = Field(
        0.1, ge=0, le=10, description="Retry budget: tokens earned by each successful call"
    )

    breaker_failures: int = Field(
        5, ge=1, le=1000, description="Circuit breaker: consecutive failures that open it"
    )
    breaker_error_rate: float = Field(
        0.5, gt=0, le=1, description="Circuit breaker: failure share in the window that opens it"
    )
    breaker_window_s: float = Field(
        30.0, gt=0, le=3600, description="Circuit breaker: length of the error-rate window, s"
    )
    breaker_min_calls: int = Field(
        20,
        ge=1,
        le=100_000,
        description="Circuit breaker: calls in the window before the rate counts",
    )
    breaker_cooldown_s: float = Field(
        10.0, gt=0, le=3600, description="Circuit breaker: open this long before a half-open probe"
    )

    max_in_flight: int = Field(
        16, ge=1, le=1000, description="Bulkhead: most concurrent requests to this bureau"
    )
    max_queued: int = Field(
        64, ge=0, le=100_000, description="Bulkhead: most requests waiting; more fail at once"
    )

    ttl_s: float = Field(300.0, ge=0, le=86_400, description="Cache lifetime per subject, s")
    ttl_by_kind_s: dict[str, float] = Field(
        {}, description="Cache lifetime per data kind (JSON), overrides ttl_s"
    )
    stale_if_error_s: float = Field(
        3600.0,
        ge=0,
        le=7 * 86_400,
        description="How long past its lifetime an entry may be served when the bureau fails, s",
    )
    # An entry weighs about 0.5-4 KB for public data (a market dossier is the largest) and
    # 2-16 KB under a consent (a year of monthly tax, contribution or utility figures); one
    # gateway worker keeps every kind's, so these bound its memory (bench.memory, issue 14).
    cache_max_entries: int = Field(
        4_000, ge=1, le=10_000_000, description="Most subjects cached per public data kind"
    )
    consent_cache_max_entries: int = Field(
        250,
        ge=1,
        le=10_000_000,
        description="Most (consent, subject) answers cached per consent-gated data kind",
    )

    @model_validator(mode="after")
    def _check(self) -> BureauConfig:
        if any(v < 0 for v in self.ttl_by_kind_s.values()):
            raise ValueError("ttl_by_kind_s: lifetimes must be ≥ 0")
        if self.retry_max_delay_s < self.retry_base_delay_s:
            raise ValueError("retry_max_delay_s must be ≥ retry_base_delay_s")
        return self

    def ttl_for(self, kind: str) -> float:
        return self.ttl_by_kind_s.get(kind, self.ttl_s)
