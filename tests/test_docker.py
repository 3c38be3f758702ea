"""The compose stack and the Kubernetes manifests can be wired as written.

``docker compose config`` needs the compose plugin, which this machine does not have; the
same checks are made on the YAML itself: every ``${VARIABLE}`` compose interpolates is in the
committed example env file, every variable handed to a gateway is one of its settings, the
simulators' fixed ports are the ports in the gateway's bureau URLs, and the manifests carry
probes, resources, a PodDisruptionBudget and a HorizontalPodAutoscaler over the Deployment.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from gateway.metrics import MULTIPROC_ENV
from gateway.setting_names import SettingNames
from gateway.settings import Settings
from simulators.runner import BUREAUS, CONSENT_GATED

ROOT = Path(__file__).resolve().parent.parent
DOCKER = ROOT / "docker"
INTERPOLATED = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?:(:?[-?])([^}]*))?\}")
# Read by the gateway besides its GATEWAY_* settings (DATABASE_URL, REDIS_URL are aliases).
ALSO_READ = {"DATABASE_URL", "REDIS_URL", MULTIPROC_ENV}
_BUREAU = "|".join(b.upper() for b in BUREAUS)
_GATED = "|".join(b.upper() for b in CONSENT_GATED)
SIMULATOR_VARIABLES = re.compile(
    rf"^SIM_(KEY_|PORT_)({_BUREAU})$|^SIM_TOKEN_SECRET_({_GATED})$|^SIM_LOG_LEVEL$"
)


def not_read(names: set[str]) -> set[str]:
    """The names a gateway would not read: neither settings (start-up's own check decides)
    nor in ALSO_READ."""
    known = SettingNames.of(Settings)
    return {name for name in names - ALSO_READ if not known.accepts(name)}


def example_env() -> dict[str, str]:
    values = {}
    for line in (DOCKER / "example.env").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DOCKER / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


def strings(node: object) -> list[str]:
    """Every string value (and key) in a loaded YAML document: what compose interpolates."""
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in (*strings(k), *strings(v))]
    if isinstance(node, list):
        return [s for item in node for s in strings(item)]
    return [node] if isinstance(node, str) else []


def test_every_interpolated_variable_is_in_the_example_env_file() -> None:
    used = {m[1] for text in strings(compose()) for m in INTERPOLATED.finditer(text)}
    assert used, "compose.yaml interpolates nothing?"
    missing = used - set(example_env())
    assert not missing, f"add to docker/example.env: {sorted(missing)}"


def test_the_example_env_file_holds_no_secret() -> None:
    for name, value in example_env().items():
        if any(word in name for word in ("SECRET", "KEY", "PASSWORD")):
            assert value == "", f"{name} has a value in a committed file"


def test_every_gateway_variable_is_a_setting() -> None:
    for service in ("gateway", "migrate"):
        environment = compose()["services"][service]["environment"]
        unknown = not_read(set(environment))
        assert not unknown, f"{service}: not settings of the gateway: {sorted(unknown)}"


def test_the_simulators_listen_where_the_gateway_looks() -> None:
    services = compose()["services"]
    simulators = services["simulators"]["environment"]
    assert all(SIMULATOR_VARIABLES.match(name) for name in simulators), simulators
    gateway = services["gateway"]["environment"]
    for bureau in BUREAUS:
        port = INTERPOLATED.fullmatch(simulators[f"SIM_PORT_{bureau.upper()}"])
        assert port is not None
        url = gateway[f"GATEWAY_BUREAUS__{bureau.upper()}__URL"]
        assert url == f"http://simulators:${{{port[1]}:-{port[3]}}}"
        key = gateway[f"GATEWAY_BUREAUS__{bureau.upper()}__API_KEY"]
        assert key == simulators[f"SIM_KEY_{bureau.upper()}"]


def test_the_compose_gateway_may_start_with_several_workers() -> None:
    gateway = compose()["services"]["gateway"]
    environment = gateway["environment"]
    for needed in ("REDIS_URL", "GATEWAY_SUBJECT_TOKEN_SECRET", MULTIPROC_ENV):
        assert environment.get(needed), needed
    assert environment[MULTIPROC_ENV] in gateway["tmpfs"]


def manifests() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted((DOCKER / "k8s").glob("*.yaml")):
        found += [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    return found


def by_kind(kind: str) -> list[dict[str, Any]]:
    return [m for m in manifests() if m["kind"] == kind]


def test_every_setting_the_manifests_use_exists() -> None:
    used: set[str] = set()
    for manifest in manifests():
        if manifest["kind"] == "Secret":
            used |= set(manifest["stringData"])
            continue
        spec = manifest.get("spec", {}).get("template", {}).get("spec", {})
        for container in spec.get("containers", []):
            used |= {e["name"] for e in container.get("env", [])}
    assert used
    unknown = not_read(used)
    assert not unknown, f"not settings of the gateway: {sorted(unknown)}"


def test_the_deployment_has_probes_resources_and_its_metrics_folder() -> None:
    (deployment,) = by_kind("Deployment")
    pod = deployment["spec"]["template"]["spec"]
    (gateway,) = pod["containers"]
    for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
        assert gateway[probe]["httpGet"]["path"] == path
    assert gateway["resources"]["requests"]["cpu"]
    assert gateway["resources"]["limits"]["memory"]
    env = {e["name"]: e.get("value") for e in gateway["env"]}
    mounts = {m["mountPath"] for m in gateway["volumeMounts"]}
    assert int(env["GATEWAY_WORKERS"]) > 1
    assert env[MULTIPROC_ENV] in mounts
    secret = {k for m in by_kind("Secret") for k in m["stringData"]}
    assert {"REDIS_URL", "GATEWAY_SUBJECT_TOKEN_SECRET"} <= secret


def test_disruptions_and_autoscaling_cover_the_deployment() -> None:
    (deployment,) = by_kind("Deployment")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    (budget,) = by_kind("PodDisruptionBudget")
    assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert budget["spec"].get("maxUnavailable") or budget["spec"].get("minAvailable")
    (autoscaler,) = by_kind("HorizontalPodAutoscaler")
    target = autoscaler["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    assert autoscaler["spec"]["minReplicas"] >= 2
    resources = [m["resource"]["name"] for m in autoscaler["spec"]["metrics"]]
    assert "cpu" in resources
