"""``SIM_PORT_<BUREAU>`` fixes a simulator's port (a compose file names the bureaus' URLs)."""

from __future__ import annotations

import pytest

from simulators.__main__ import fixed_ports
from simulators.runner import run_bureaus
from simulators.serving import listen
from simulators.world import World


def test_ports_come_from_the_environment() -> None:
    assert fixed_ports({"SIM_PORT_MARKET": "9102", "SIM_PORT_TAX": " ", "OTHER": "1"}) == {
        "market": 9102
    }


@pytest.mark.parametrize("value", ["x", "0", "70000"])
def test_a_bad_port_stops_start_up_naming_the_variable(value: str) -> None:
    with pytest.raises(SystemExit, match="SIM_PORT_COURT"):
        fixed_ports({"SIM_PORT_COURT": value})


async def test_a_fixed_port_is_the_one_served(world: World, bureau_keys: dict[str, str]) -> None:
    probe = listen("127.0.0.1")
    port = probe.getsockname()[1]
    probe.close()
    async with run_bureaus(world, bureau_keys, ports={"court": port}) as running:
        assert running["court"].url == f"http://127.0.0.1:{port}"
