"""``creditgw clients add|list|revoke`` as a person runs it, and the demo's clients."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from pydantic import SecretStr

from gateway.auth import (
    CredentialsRevoked,
    Unauthenticated,
    ensure_demo_clients,
    new_api_key,
    principal_for,
    verify_api_key,
)
from gateway.database import Database
from gateway.settings import SettingsError, load_settings
from tests.cli import creditgw as run_cli

NOW = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)


async def creditgw(dsn: str, *args: str) -> tuple[int, str, str]:
    return await run_cli(dsn, "clients", *args)


async def test_add_list_revoke(migrated: Database) -> None:
    code, out, _ = await creditgw(
        migrated.dsn,
        "add",
        "--kind",
        "bank",
        "--name",
        "丙银行",
        "--bank-id",
        "bank-c",
        "--scopes",
        "subject:read,precheck",
        "--expires",
        "2099-06-30",
        "--rate-limit",
        "120",
    )
    assert code == 0, out
    key = re.search(r"cgw_live_[a-z0-9]{12}_\S+", out)
    assert key is not None
    async with migrated.pool.acquire() as conn:
        client = await verify_api_key(conn, key[0], now=NOW)
    assert client.name == "丙银行"
    assert client.scopes == ("precheck", "subject:read")
    assert client.rate_limit_per_minute == 120
    assert client.expires_at == dt.datetime(2099, 6, 30, 16, 0, tzinfo=dt.UTC)  # end of day CST
    assert principal_for(client).bank_id == "bank-c"

    code, listing, _ = await creditgw(migrated.dsn, "list")
    assert code == 0
    [line] = [ln for ln in listing.splitlines() if ln.startswith(client.id)]
    assert line.split()[1:3] == ["bank", "active"]
    assert "丙银行" in line
    assert "bank-c" in line
    assert "cgw_live_" not in listing  # never a key, not even a prefix of one

    code, out, _ = await creditgw(migrated.dsn, "revoke", client.id)
    assert code == 0
    assert f"{client.id} revoked" in out
    async with migrated.pool.acquire() as conn:
        with pytest.raises(CredentialsRevoked):
            await verify_api_key(conn, key[0], now=NOW)
    code, _, err = await creditgw(migrated.dsn, "revoke", client.id)
    assert code == 1
    assert "no active client" in err
    _, listing, _ = await creditgw(migrated.dsn, "list")
    assert "revoked" in next(ln for ln in listing.splitlines() if ln.startswith(client.id))


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--kind", "bank", "--name", "x", "--expires", "never"], "--bank-id"),
        (["--kind", "officer", "--name", "x", "--expires", "never", "--bank-id", "b"], "--bank-id"),
        (["--kind", "bank", "--name", "x", "--expires", "soon", "--bank-id", "b"], "YYYY-MM-DD"),
        (["--kind", "bank", "--name", "x", "--expires", "never", "--bank-id", "b",
          "--scopes", "everything"], "unknown scope"),
        (["--kind", "bank", "--name", "x", "--bank-id", "b"], "--expires"),
        (["--kind", "officer", "--name", "x"], "--expires"),
    ],
)  # fmt: skip
async def test_add_refuses_bad_arguments(
    migrated: Database, args: list[str], complaint: str
) -> None:
    code, _, err = await creditgw(migrated.dsn, "add", *args)
    assert code == 2
    assert complaint in err


async def test_the_bot_key_in_the_readme_is_added_as_printed(migrated: Database) -> None:
    code, out, _ = await creditgw(migrated.dsn, "add", "--kind", "bot", "--name", "机器人")
    assert code == 0, out
    key = out.split("store it safely): ")[1].strip()
    async with migrated.pool.acquire() as conn:
        client = await verify_api_key(conn, key, now=NOW)
    assert client.kind == "bot"
    assert client.expires_at is None


async def test_demo_clients_get_working_keys_each_run(private_db: Database) -> None:
    async with private_db.pool.acquire() as conn:
        first = await ensure_demo_clients(conn, load_settings(mode="demo"))
        bank = principal_for(await verify_api_key(conn, first["bank"], now=NOW))
        officer = principal_for(await verify_api_key(conn, first["officer"], now=NOW))
        assert (bank.kind.value, bank.bank_id) == ("bank", "demo-bank")
        assert officer.kind.value == "officer"
        assert "schema:read" in bank.scopes
        assert "discipline:check" in officer.scopes
        second = await ensure_demo_clients(conn, load_settings(mode="demo"))
        assert second["bank"] != first["bank"]
        await verify_api_key(conn, second["bank"], now=NOW)
        with pytest.raises(Unauthenticated):
            await verify_api_key(conn, first["bank"], now=NOW)


async def test_demo_keys_fixed_by_settings(private_db: Database) -> None:
    bank_key, officer_key = new_api_key("demobank0001"), new_api_key("fixedofficer")
    settings = load_settings(
        mode="demo",
        demo_bank_key=SecretStr(bank_key.secret),
        demo_officer_key=SecretStr(officer_key.secret),
    )
    async with private_db.pool.acquire() as conn:
        keys = await ensure_demo_clients(conn, settings)
        assert keys == {"bank": bank_key.secret, "officer": officer_key.secret}
        assert await ensure_demo_clients(conn, settings) == keys
        officer = await verify_api_key(conn, officer_key.secret, now=NOW)
        assert officer.id == "fixedofficer"
        bad = load_settings(demo_bank_key=SecretStr("my-favourite-key"))
        with pytest.raises(SettingsError, match="GATEWAY_DEMO_BANK_KEY"):
            await ensure_demo_clients(conn, bad)
