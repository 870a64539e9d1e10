"""Server configuration, key resolution and the command-line options."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from byteit_server.auth import KeyRing, owner_id
from byteit_server.config import DEV_API_KEY, ServerConfig, ServerConfigError, resolve_api_keys
from byteit_server.faults import Fault, FaultDice
from byteit_server.ratelimit import RateLimiter
from byteit_server.server import add_serve_arguments, config_from_args


def test_loopback_without_keys_accepts_the_development_key() -> None:
    assert resolve_api_keys(ServerConfig(host="127.0.0.1"), {}) == (DEV_API_KEY,)
    assert resolve_api_keys(ServerConfig(host="::1"), {}) == (DEV_API_KEY,)


def test_a_public_host_without_keys_refuses_to_start() -> None:
    with pytest.raises(ServerConfigError, match=r"refusing to listen on '0\.0\.0\.0'"):
        resolve_api_keys(ServerConfig(host="0.0.0.0"), {})


def test_keys_come_from_config_and_environment() -> None:
    config = ServerConfig(host="0.0.0.0", api_keys=("a.1",))
    assert resolve_api_keys(config, {"BYTEIT_SERVER_API_KEYS": " b.2, ,a.1"}) == ("a.1", "b.2")


@pytest.mark.parametrize(
    "fields",
    [
        {"workers": 0},
        {"fault_503": 1.5},
        {"fault_503": 0.6, "fault_drop": 0.6},
        {"rate_limit": 0},
        {"port": 70000},
    ],
)
def test_out_of_range_settings_are_refused(fields: dict[str, float]) -> None:
    with pytest.raises(ServerConfigError):
        ServerConfig(**fields)  # type: ignore[arg-type]


def test_keyring_knows_owners_by_hash_only() -> None:
    keyring = KeyRing(["a.1", "b.2"])
    assert keyring.owner_of("b.2") == owner_id("b.2") != "b.2"
    assert keyring.owner_of("c.3") is None
    assert keyring.owner_of(None) is None


def test_token_bucket_refills_at_the_rate() -> None:
    now = [0.0]
    limiter = RateLimiter(rate=2.0, burst=1, clock=lambda: now[0])
    assert limiter.acquire("me") == 0.0
    assert limiter.acquire("me") == pytest.approx(0.5)
    now[0] = 0.5
    assert limiter.acquire("me") == 0.0


def test_fault_dice_follow_the_fractions_and_the_seed() -> None:
    config = ServerConfig(
        fault_503=0.25, fault_429=0.25, fault_drop=0.25, fault_slow=0.25, fault_seed=3
    )
    first, second = FaultDice(config), FaultDice(config)
    assert [first.roll() for _ in range(20)] == [second.roll() for _ in range(20)]
    dice = FaultDice(config)
    assert {dice.roll() for _ in range(200)} == {
        Fault.UNAVAILABLE,
        Fault.RATE_LIMITED,
        Fault.DROP,
        Fault.SLOW,
    }
    assert FaultDice(ServerConfig()).roll() is Fault.NONE


def test_command_line_options_make_a_config(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    args = parser.parse_args(
        ["--port", "0", "--data-dir", str(tmp_path), "--api-key", "a.1", "--api-key", "b.2",
         "--fault-503", "0.1", "--fault-seed", "5", "--rate-limit", "3", "--workers", "2"]
    )  # fmt: skip
    config = config_from_args(args)
    assert (config.port, config.data_dir, config.api_keys) == (0, tmp_path, ("a.1", "b.2"))
    assert (config.fault_503, config.fault_seed, config.rate_limit, config.workers) == (
        0.1,
        5,
        3.0,
        2,
    )


def test_command_line_refuses_a_public_host_without_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BYTEIT_SERVER_API_KEYS", raising=False)
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    with pytest.raises(SystemExit, match="refusing to listen"):
        config_from_args(parser.parse_args(["--host", "0.0.0.0"]))
