"""Demo bureaus: one small Starlette service per bureau over a deterministic synthetic world."""

from __future__ import annotations

from simulators.runner import BUREAUS, CONSENT_GATED, RunningBureau, demo_secrets, run_bureaus
from simulators.world import World, WorldConfig

__all__ = [
    "BUREAUS",
    "CONSENT_GATED",
    "RunningBureau",
    "World",
    "WorldConfig",
    "demo_secrets",
    "run_bureaus",
]
