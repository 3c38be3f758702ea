"""Demo bureaus: one small Starlette service per bureau over a deterministic synthetic world."""

from __future__ import annotations

from simulators.runner import BUREAUS, RunningBureau, run_bureaus
from simulators.world import World, WorldConfig

__all__ = ["BUREAUS", "RunningBureau", "World", "WorldConfig", "run_bureaus"]
