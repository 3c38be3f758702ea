"""How long a synthetic world takes to build and serve, and how much memory it holds.

    python -m bench.world_gen                 # 5,000 and 1,000,000 enterprises
    python -m bench.world_gen --sizes 20000

Each size runs in a fresh subprocess, so one size's memory never counts against another.  Per
size: the time to ``World.generate``; the peak RSS after it (``resource.getrusage``, which
includes the interpreter and imports — shown separately as the baseline); the time to derive
every bureau's facts for a sample of subjects spread over the whole world (cold: cache misses,
as a benchmark hitting random subjects sees); and the peak RSS after that sample, which the
bounded caches keep flat however big the world.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time

from simulators.world import World, WorldConfig

SAMPLE = 5_000


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def measure(enterprises: int, sample: int) -> dict[str, float]:
    baseline = _peak_rss_mib()
    started = time.perf_counter()
    world = World.generate(WorldConfig(enterprises=enterprises))
    generated = time.perf_counter() - started
    after_generate = _peak_rss_mib()
    organisations = world.population.organisations
    picks = random.Random(1).sample(range(organisations), min(sample, organisations))
    started = time.perf_counter()
    for index in picks:
        code = world.population.org(index).code
        world.registrations[code]
        world.facts(code)
    derived = time.perf_counter() - started
    return {
        "enterprises": enterprises,
        "organisations": organisations,
        "persons": world.population.persons,
        "generate_s": generated,
        "baseline_mib": baseline,
        "rss_after_generate_mib": after_generate,
        "sample": len(picks),
        "facts_per_s": len(picks) / derived,
        "rss_after_sample_mib": _peak_rss_mib(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.world_gen")
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 1_000_000])
    parser.add_argument("--sample", type=int, default=SAMPLE)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, args.sample)))
        return
    rows = []
    for size in args.sizes:
        child = subprocess.run(  # noqa: S603 — our own interpreter and module, fixed arguments
            [
                sys.executable,
                "-m",
                "bench.world_gen",
                "--one",
                str(size),
                "--sample",
                str(args.sample),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        rows.append(json.loads(child.stdout))
    print(
        f"{'enterprises':>11} {'orgs':>9} {'persons':>9} {'generate':>9} {'baseline':>9} "
        f"{'RSS gen':>8} {'facts/s':>8} {'RSS+sample':>10}"
    )
    for r in rows:
        print(
            f"{r['enterprises']:>11,} {r['organisations']:>9,} {r['persons']:>9,} "
            f"{r['generate_s'] * 1000:>7.1f}ms {r['baseline_mib']:>6.0f}MiB "
            f"{r['rss_after_generate_mib']:>5.0f}MiB {r['facts_per_s']:>8,.0f} "
            f"{r['rss_after_sample_mib']:>7.0f}MiB"
        )
    print(f"(facts/s: cold derivation of every bureau's facts for {args.sample:,} random subjects)")


if __name__ == "__main__":
    main()
