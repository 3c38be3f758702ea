"""One typed settings object, read once at start-up (``GATEWAY_`` prefix, ``__`` for nesting).

    GATEWAY_PORT=8080 GATEWAY_BUREAUS__MARKET__TIMEOUT_S=1.5 creditgw serve

``DATABASE_URL`` and ``REDIS_URL`` are also read without the prefix, as platforms set them.
A wrong value stops start-up with :class:`SettingsError`, whose message names the variable; so
does a ``GATEWAY_`` variable that names no setting, misspelt or retired (see
:mod:`gateway.setting_names`).
Secrets are :class:`~pydantic.SecretStr`: they print as ``**********``.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import itertools
import json
import os
import secrets
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    Field,
    SecretStr,
    ValidationError,
    create_model,
    field_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from connectors import registry
from connectors.config import BureauConfig
from credit.policy import PublicityPolicy
from credit.regimes import Regime
from credit.report_seal import MIN_KEY_BYTES
from credit.rights.policy import RightsPolicy
from gateway.setting_names import SettingNames

__all__ = [
    "BindingSettings",
    "Bureaus",
    "BureausBase",
    "CostBudgets",
    "RateLimits",
    "RightsDelivery",
    "Settings",
    "SettingsError",
    "load_settings",
    "person_key_secret",
    "report_signing_key",
    "settings_rows",
    "settings_table",
]

ENV_PREFIX = "GATEWAY_"
MIN_SECRET_BYTES = 32  # HS256 subject tokens (gateway.auth.subject_tokens)


class BureausBase(BaseModel):
    """One :class:`BureauConfig` per remote bureau, a field each (``GATEWAY_BUREAUS__TAX__…``)."""

    model_config = {"frozen": True}

    def of(self, source: str) -> BureauConfig:
        """The settings of the bureau ``source`` (``KeyError`` for one without settings)."""
        config = getattr(self, source, None)
        if not isinstance(config, BureauConfig):
            raise KeyError(source)
        return config


# The fields are the registry's bureaus (connectors.registry): a new bureau needs no edit here.
if TYPE_CHECKING:
    Bureaus = BureausBase
else:
    Bureaus = create_model(
        "Bureaus",
        __base__=BureausBase,
        **{b.source.value: (BureauConfig, BureauConfig()) for b in registry.bureaus().remote},
    )


class RateLimits(BaseModel):
    """Token-bucket rates per caller class, requests per minute (the bucket holds one minute)."""

    model_config = {"frozen": True}

    public: int = Field(60, ge=1, description="Anonymous callers, per client address")
    bot: int = Field(1200, ge=1, description="The bot's own service key, without a citizen")
    citizen: int = Field(60, ge=1, description="Each citizen acting through the bot")
    bank: int = Field(600, ge=1, description="Each bank client (a client's own limit wins)")
    officer: int = Field(300, ge=1, description="Each officer client (a client's own limit wins)")
    operator: int = Field(600, ge=1, description="The operator key")


class BindingSettings(BaseModel):
    """Identity binding through the bot: one-time codes and the lockout (gateway.binding)."""

    model_config = {"frozen": True}

    code_ttl_s: int = Field(300, ge=60, le=3600, description="Lifetime of an SMS code, seconds")
    resend_s: int = Field(
        60, ge=0, le=3600, description="Shortest wait before another code for one person, s"
    )
    max_attempts: int = Field(
        5, ge=1, le=20, description="Wrong codes for one person that lock binding"
    )
    lock_s: int = Field(
        1800, ge=60, le=604_800, description="How long binding stays locked after them, seconds"
    )


class RightsDelivery(BaseModel):
    """The outbox that delivers objection and repair decisions to the bureaus
    (gateway.rights.outbox): retried with backoff until the bureau has them, never dropped."""

    model_config = {"frozen": True}

    poll_s: float = Field(
        5.0, gt=0, le=3600, description="How often pending decisions are looked for, seconds"
    )
    retry_base_s: float = Field(
        1.0, gt=0, le=3600, description="Wait before the 2nd attempt; doubled for each next one"
    )
    retry_max_s: float = Field(
        300.0, gt=0, le=86_400, description="Longest wait between two delivery attempts, s"
    )


class CostBudgets(BaseModel):
    """Largest estimated query cost per principal kind (fields × page sizes, see limits.cost)."""

    model_config = {"frozen": True}

    public: int = Field(500, ge=1, description="Anonymous callers (and the bot without a citizen)")
    citizen: int = Field(1000, ge=1, description="Citizens through the bot")
    bank: int = Field(5000, ge=1, description="Bank clients")
    officer: int = Field(5000, ge=1, description="Officer clients")
    operator: int = Field(10000, ge=1, description="The operator key")


class Settings(BaseSettings):
    """Every knob of the gateway; the README's configuration table is generated from this."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        frozen=True,
        populate_by_name=True,
        extra="ignore",
    )

    mode: Literal["demo", "production"] = Field(
        "production", description="demo: GraphiQL and introspection for everyone; demo data"
    )
    host: str = Field("127.0.0.1", description="Address the gateway listens on")
    port: int = Field(
        8000, ge=0, le=65535, description="Port the gateway listens on (0: a free one, logged)"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Log level")
    database_url: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("GATEWAY_DATABASE_URL", "DATABASE_URL"),
        description="PostgreSQL DSN; unset starts an embedded PostgreSQL under the state dir",
    )
    embedded_postgres: bool = Field(
        False, description="Start the embedded PostgreSQL even when DATABASE_URL is set"
    )
    redis_url: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("GATEWAY_REDIS_URL", "REDIS_URL"),
        description="Redis URL for shared caches and limits; unset uses in-process ones",
    )
    state_dir: Path = Field(Path(".state"), description="Folder for local state (embedded DB)")
    db_pool_min: int = Field(1, ge=0, le=100, description="Smallest asyncpg pool size")
    db_pool_max: int = Field(10, ge=1, le=200, description="Largest asyncpg pool size")
    request_deadline_s: float = Field(
        5.0, gt=0, le=120, description="No request waits longer than this for bureaus, seconds"
    )
    max_body_bytes: int = Field(
        1_000_000, ge=1024, description="Largest accepted request body, bytes"
    )
    bureaus: Bureaus = Field(Bureaus(), description="Per-bureau URL, key and timeout")

    admin_key: SecretStr | None = Field(
        None, description="Operator (admin) key; unset disables operator access"
    )
    jwt_public_keys: dict[str, str] = Field(
        {}, description="Client JWT verification keys: JSON object kid → PEM (RS256/ES256)"
    )
    jwt_issuer: str | None = Field(None, description="Required `iss` of client JWTs")
    jwt_audience: str = Field("creditgw", description="Required `aud` of client JWTs")
    jwt_leeway_s: float = Field(
        30.0, ge=0, le=300, description="Clock skew allowed on JWT expiry, seconds"
    )
    subject_token_secret: SecretStr | None = Field(
        None,
        description="Signs citizens' subject tokens, at least 32 bytes; shared by every "
        "worker and replica (required in production and with several workers); unset: a "
        "random one per process (demo only)",
    )
    subject_key_secret: SecretStr | None = Field(
        None,
        description="HMAC key of persons' subject keys (DOMAIN.md §1); required in production, "
        "stable for the life of the data; demo mode uses a fixed public demo key",
    )
    report_signing_key: SecretStr | None = Field(
        None,
        description="HMAC-SHA256 key that signs credit reports' digests (verifyCreditReport), "
        f"at least {MIN_KEY_BYTES} bytes; required in production; demo mode: a random one per "
        "process",
    )
    subject_token_ttl_s: int = Field(
        900, ge=30, le=86_400, description="Lifetime of a citizen's subject token, seconds"
    )
    demo_bank_key: SecretStr | None = Field(
        None, description="Fixed API key of the demo bank (cgw_live_…); unset: a new one per run"
    )
    demo_officer_key: SecretStr | None = Field(
        None, description="Fixed API key of the demo officer; unset: a new one per run"
    )
    consent_max_days: int = Field(
        90, ge=1, le=3660, description="Longest consent term a subject may grant, days"
    )
    bureau_token_ttl_s: int = Field(
        300, ge=10, le=86_400, description="Lifetime of a consent token sent to a bureau, seconds"
    )
    max_query_depth: int = Field(15, ge=2, le=100, description="Deepest field nesting accepted")
    max_aliases: int = Field(30, ge=0, le=10_000, description="Most aliases in one document")
    public_seals_per_request: int = Field(
        1,
        ge=1,
        le=100,
        description="Numbered reports (creditReport.seal) one anonymous request may issue: each "
        "takes one of the day's 999,999 report numbers",
    )
    public_seals_per_day: int = Field(
        20,
        ge=1,
        le=999_999,
        description="Numbered reports one anonymous caller (its client address, as the public "
        "rate limit counts it) may issue per report day, over all its requests and every "
        "replica (in Redis when configured); the count starts again at 0:00 Beijing time",
    )
    max_tokens: int = Field(5000, ge=100, le=1_000_000, description="Most tokens in one document")
    document_cache_max_chars: int = Field(
        4_096,
        ge=0,
        le=1_000_000,
        description="Longest document (characters) whose parse, validation and limit checks are "
        "kept for the next request (512 documents each); a longer one is worked out anew",
    )
    cost_assumed_list_size: int = Field(
        20, ge=1, le=1000, description="Query cost: items assumed for a list without `first`"
    )
    query_cost_budgets: CostBudgets = Field(CostBudgets(), description="Query cost budgets")
    rate_limits: RateLimits = Field(RateLimits(), description="Rate limits per minute")
    rate_limit_memory_keys: int = Field(
        10_000,
        ge=1,
        le=10_000_000,
        description="Most callers the in-process rate limiter tracks (without Redis, or while "
        "it fails), about 300 bytes each; the least recent go first",
    )
    trusted_documents_only: list[
        Literal["public", "bot", "citizen", "bank", "officer", "operator"]
    ] = Field(
        ["bot"],
        description="Callers that may run only registered documents (JSON list of kinds, `bot`)",
    )
    cors_origins: list[str] = Field(
        [], description="Origins browsers may call from (JSON list); empty: no CORS headers"
    )
    federation: bool = Field(
        False,
        description="Serve the schema as a Federation v2.9 subgraph (`_service`, `_entities`, "
        "`@key` on Enterprise and CreditRecordNode)",
    )
    audit_partitions_ahead: int = Field(
        2, ge=1, le=24, description="Monthly audit-log partitions kept ready ahead of today"
    )
    max_page_size: int = Field(
        100, ge=1, le=1000, description="Hard maximum `first` of any list (Relay connection)"
    )
    publicity: PublicityPolicy = Field(
        PublicityPolicy(),
        description="Publicity, repair and grade periods and the dated penalty regimes "
        "(DOMAIN.md §2, §3); see credit/policy.py and credit/regimes.py",
    )
    binding: BindingSettings = Field(
        BindingSettings(), description="Identity binding: codes and lockout"
    )
    rights: RightsPolicy = Field(
        RightsPolicy(),
        description="Objection and repair deadlines and limits (DOMAIN.md §4); see "
        "credit/rights/policy.py",
    )
    rights_delivery: RightsDelivery = Field(
        RightsDelivery(), description="Delivery of decisions to the bureaus"
    )

    @field_validator("report_signing_key")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value().encode()) < MIN_KEY_BYTES:
            raise ValueError(f"at least {MIN_KEY_BYTES} bytes (e.g. `openssl rand -hex 32`)")
        return value

    gc_young_threshold: int = Field(
        2_000,
        ge=700,
        le=1_000_000,
        description="Allocations between two collections of the youngest objects in a served "
        "worker (Python's 700 spent twice the collector CPU; 10,000 added ~35 MiB at full "
        "caches); start-up's objects are frozen out of collections too",
    )
    workers: int | None = Field(
        None,
        ge=1,
        le=256,
        description="Gateway worker processes of `creditgw serve`; unset: one per CPU core in "
        "production, one in demo mode (several need Redis, a shared "
        "GATEWAY_SUBJECT_TOKEN_SECRET and PROMETHEUS_MULTIPROC_DIR)",
    )
    metrics_key: SecretStr | None = Field(
        None,
        description="Bearer key that may scrape `/metrics`; unset: `/metrics` is open in demo "
        "mode and absent (404) in production",
    )
    otlp_traces_endpoint: str | None = Field(
        None,
        description="OTLP/HTTP traces endpoint (e.g. http://collector:4318/v1/traces); unset: "
        "no traces are recorded",
    )
    service_name: str = Field(
        "creditgw", min_length=1, description="`service.name` of the traces this process sends"
    )

    @field_validator("metrics_key", "otlp_traces_endpoint", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """An env file's ``GATEWAY_METRICS_KEY=`` means no key (never an empty one that a bare
        ``Bearer`` would match)."""
        return None if value == "" else value

    @field_validator("subject_token_secret")
    @classmethod
    def _token_secret_long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        """HS256 wants a key at least as long as its output; a shorter one would fail every
        identity binding later, with INTERNAL, instead of here."""
        if value is not None and len(value.get_secret_value().encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"must be at least {MIN_SECRET_BYTES} bytes long")
        return value

    platform_cache_ttl_s: float = Field(
        60.0,
        ge=0,
        le=3600,
        description="Longest the platform's red lists, commitments and evaluations are kept in "
        "memory (each change drops them at once through NOTIFY; 0: never kept)",
    )
    platform_cache_max_entries: int = Field(
        12_000,
        ge=1,
        le=1_000_000,
        description="Most platform answers kept (subject and table: three per subject, as many "
        "subjects as a bureau's cache_max_entries)",
    )
    response_cache_max_bytes: int = Field(
        4 << 20,
        ge=0,
        le=1 << 30,
        description="Memory for whole answers to the public's queries, per process: bytes of "
        "their JSON (an answer over a tenth of it is not kept; shared through Redis when "
        "REDIS_URL is set; 0: none; needs the platform cache)",
    )

    @field_validator("publicity", "rights", mode="before")
    @classmethod
    def _decode_lists(cls, value: object) -> object:
        """``GATEWAY_PUBLICITY__REGIMES='[...]'``, ``GATEWAY_RIGHTS__…_BY_SOURCE='{...}'`` and
        the other list- or map-valued periods arrive as JSON text (pydantic-settings decodes
        JSON only one level down); decode them here."""
        if not isinstance(value, dict):
            return value
        decoded = dict(value)
        for key, item in value.items():
            shape = (
                {"[": "列表", "{": "对象"}.get(item.lstrip()[:1]) if isinstance(item, str) else None
            )
            if shape is not None:
                try:
                    decoded[key] = json.loads(item)
                except json.JSONDecodeError:
                    raise ValueError(f"{key.upper()} 不是有效的 JSON {shape}") from None
        return decoded

    @field_validator("rights")
    @classmethod
    def _deciding_bureaus_only(cls, value: RightsPolicy) -> RightsPolicy:
        """A per-bureau objection period names a bureau that decides objections."""
        deciding = {b.source.value for b in registry.bureaus().deciding}
        unknown = sorted(set(value.objection_working_days_by_source) - deciding)
        if unknown:
            raise ValueError(
                f"OBJECTION_WORKING_DAYS_BY_SOURCE: {', '.join(unknown)} 不是受理异议的部门"
                f"（{', '.join(sorted(deciding))}）"
            )
        return value


DEMO_SUBJECT_KEY_SECRET = b"creditgw-demo-subject-key (synthetic data only)"


def person_key_secret(settings: Settings) -> bytes:
    """The HMAC key of persons' subject keys: configured, or the demo key in demo mode."""
    if settings.subject_key_secret is not None:
        return settings.subject_key_secret.get_secret_value().encode()
    if settings.mode == "demo":
        return DEMO_SUBJECT_KEY_SECRET
    raise SettingsError("invalid setting — GATEWAY_SUBJECT_KEY_SECRET: required in production mode")


def report_signing_key(
    settings: Settings, generate: Callable[[int], bytes] = secrets.token_bytes
) -> bytes:
    """The key that signs report digests: configured, or in demo mode a fresh random one (the
    digests issued are kept, so verification never needs an old key)."""
    if settings.report_signing_key is not None:
        return settings.report_signing_key.get_secret_value().encode()
    if settings.mode == "demo":
        return generate(MIN_KEY_BYTES)
    raise SettingsError("invalid setting — GATEWAY_REPORT_SIGNING_KEY: required in production mode")


class SettingsError(Exception):
    """A setting is invalid; the message names the environment variable."""


def _env_name(loc: tuple[int | str, ...]) -> str:
    return ENV_PREFIX + "__".join(str(part).upper() for part in loc)


def load_settings(**overrides: object) -> Settings:
    """Read the environment once (plus explicit overrides, as tests and the CLI pass them).

    Every ``GATEWAY_`` variable must name a setting: one that does not, and every wrong value,
    is named in the one :class:`SettingsError` raised."""
    problems = SettingNames.of(Settings).problems(os.environ)
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems += [f"{_env_name(e['loc'])}: {e['msg']}" for e in exc.errors()]
    if problems:
        raise SettingsError("invalid setting — " + "; ".join(problems))
    return settings


def settings_table() -> str:
    """The README's configuration table, in Markdown."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    lines += [f"| `{env}` | `{default}` | {meaning} |" for env, default, meaning in settings_rows()]
    return "\n".join(lines) + "\n"


def _attribute_docs(cls: type) -> dict[str, str]:
    """Attribute docstrings (the string right under a field), which Python does not keep."""
    docs: dict[str, str] = {}
    body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0]
    assert isinstance(body, ast.ClassDef)
    for field, doc in itertools.pairwise(body.body):
        if (
            isinstance(field, ast.AnnAssign)
            and isinstance(field.target, ast.Name)
            and isinstance(doc, ast.Expr)
            and isinstance(doc.value, ast.Constant)
            and isinstance(doc.value.value, str)
        ):
            docs[field.target.id] = " ".join(doc.value.value.split())
    return docs


def _shown_default(value: object) -> str:
    """A default as the table shows it: a table of regimes by instrument, not by repr."""
    if isinstance(value, tuple) and value and all(isinstance(v, Regime) for v in value):
        return "; ".join(f"{r.family.value} {r.number} from {r.first_day}" for r in value)
    return str(value)


def _default(f: dataclasses.Field[object]) -> object:
    """A dataclass field's default, made by its factory if it has one (``{}``)."""
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return f.default


def _dataclass_rows(cls: type, prefix: str) -> list[tuple[str, str, str]]:
    docs = _attribute_docs(cls)
    return [
        (prefix + f.name.upper(), _shown_default(_default(f)), docs.get(f.name, ""))
        for f in dataclasses.fields(cls)
        if f.init  # derived fields are not settings
    ]


def settings_rows() -> list[tuple[str, str, str]]:
    """(env name, default, meaning) for every setting, nested ones flattened — the README table."""
    rows: list[tuple[str, str, str]] = []

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            env = prefix + name.upper()
            annotation = info.annotation
            if annotation is Bureaus:  # one identical block per bureau: one row per knob
                walk(BureauConfig, env + "__<BUREAU>__")
                continue
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                walk(annotation, env + "__")
                continue
            if annotation in (PublicityPolicy, RightsPolicy):
                assert isinstance(annotation, type)
                rows.extend(_dataclass_rows(annotation, env + "__"))
                continue
            default = info.default
            shown = (
                "(unset)" if default in (None, "") or isinstance(default, SecretStr) else default
            )
            rows.append((env, str(shown), info.description or ""))

    walk(Settings, ENV_PREFIX)
    return rows
