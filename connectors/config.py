"""Per-bureau connection settings.  Defined here, embedded in the gateway's settings object."""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr

__all__ = ["BureauConfig"]


class BureauConfig(BaseModel):
    """How to reach one bureau and how hard to try."""

    model_config = {"frozen": True}

    url: str = Field("", description="Base URL; empty means the demo simulators fill it in")
    api_key: SecretStr = Field(SecretStr(""), description="API key for the bureau")
    timeout_s: float = Field(2.0, gt=0, le=60, description="Per-attempt timeout, seconds")
