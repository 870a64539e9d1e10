"""Server configuration, key resolution and the command-line options."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

from byteit_server.auth import KeyRing, owner_id
from byteit_server.config import (
    DEV_API_KEY,
    S3Settings,
    ServerConfig,
    ServerConfigError,
    resolve_api_keys,
    resolve_s3_settings,
)
from byteit_server.faults import Fault, FaultDice
from byteit_server.ratelimit import RateLimiter
from byteit_server.s3_bridge import S3Bridge
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
        {"ocr_engine": "easyocr"},
        {"page_delay": -0.1},
    ],
)
def test_out_of_range_settings_are_refused(fields: dict[str, object]) -> None:
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
         "--fault-503", "0.1", "--fault-seed", "5", "--rate-limit", "3", "--workers", "2",
         "--ocr-engine", "tesserocr"]
    )  # fmt: skip
    config = config_from_args(args)
    assert config.ocr_engine == "tesserocr"
    assert (config.port, config.data_dir, config.api_keys) == (0, tmp_path, ("a.1", "b.2"))
    assert (config.fault_503, config.fault_seed, config.rate_limit, config.workers) == (
        0.1,
        5,
        3.0,
        2,
    )


def test_the_page_delay_comes_from_the_command_line(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    args = parser.parse_args(["--data-dir", str(tmp_path), "--page-delay", "0.05"])
    assert config_from_args(args).page_delay == 0.05
    assert ServerConfig().page_delay == 0.0


def test_command_line_refuses_a_public_host_without_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BYTEIT_SERVER_API_KEYS", raising=False)
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    with pytest.raises(SystemExit, match="refusing to listen"):
        config_from_args(parser.parse_args(["--host", "0.0.0.0"]))


S3_SECRET = "server-s3-secret/NeverShown0123456789"


def test_the_s3_secret_is_not_in_the_config_repr() -> None:
    config = ServerConfig(s3_access_key_id="AKIAEXAMPLE", s3_secret_access_key=S3_SECRET)
    settings = resolve_s3_settings(config, {})
    assert "AKIAEXAMPLE" in repr(config)
    assert S3_SECRET not in repr(config)
    assert S3_SECRET not in repr(settings)


def test_server_side_s3_is_off_unless_an_endpoint_region_or_key_is_set() -> None:
    assert resolve_s3_settings(ServerConfig(), {}) is None
    secret_only = {"BYTEIT_SERVER_S3_SECRET_ACCESS_KEY": S3_SECRET}
    with pytest.raises(ServerConfigError, match="give both"):
        resolve_s3_settings(ServerConfig(), secret_only)
    settings = resolve_s3_settings(ServerConfig(s3_region="eu-west-1"), {})
    assert settings == S3Settings(None, None, None, "eu-west-1")


def test_s3_settings_come_from_config_then_environment() -> None:
    environ = {
        "BYTEIT_SERVER_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "BYTEIT_SERVER_S3_ACCESS_KEY_ID": "from-env",
        "BYTEIT_SERVER_S3_SECRET_ACCESS_KEY": S3_SECRET,
        "BYTEIT_SERVER_S3_REGION": "us-east-1",
    }
    settings = resolve_s3_settings(ServerConfig(s3_access_key_id="from-config"), environ)
    assert settings == S3Settings("http://127.0.0.1:9000", "from-config", S3_SECRET, "us-east-1")


def test_an_s3_key_id_without_its_secret_is_refused() -> None:
    with pytest.raises(ServerConfigError, match="give both") as caught:
        resolve_s3_settings(ServerConfig(s3_access_key_id="AKIAEXAMPLE"), {})
    assert "BYTEIT_SERVER_S3_SECRET_ACCESS_KEY" in str(caught.value)


def test_an_s3_endpoint_must_be_an_http_url() -> None:
    with pytest.raises(ServerConfigError, match="s3_endpoint_url"):
        ServerConfig(s3_endpoint_url="127.0.0.1:9000")


def test_s3_configured_without_boto3_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)
    with pytest.raises(ServerConfigError, match=r'pip install "byteit\[s3\]"'):
        S3Bridge.from_config(ServerConfig(s3_region="us-east-1"), {})
    assert not S3Bridge.from_config(ServerConfig(), {}).enabled


def test_command_line_s3_options_take_the_secret_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BYTEIT_SERVER_S3_SECRET_ACCESS_KEY", S3_SECRET)
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    args = parser.parse_args(
        ["--s3-endpoint-url", "http://127.0.0.1:9000", "--s3-region", "us-east-1",
         "--s3-access-key-id", "AKIAEXAMPLE"]
    )  # fmt: skip
    config = config_from_args(args)
    assert (config.s3_endpoint_url, config.s3_region, config.s3_access_key_id) == (
        "http://127.0.0.1:9000",
        "us-east-1",
        "AKIAEXAMPLE",
    )
    assert config.s3_secret_access_key is None  # read from the environment when used
    with pytest.raises(SystemExit):
        parser.parse_args(["--s3-secret-access-key", S3_SECRET])


def test_command_line_refuses_an_s3_key_id_without_a_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("BYTEIT_SERVER_S3_SECRET_ACCESS_KEY", raising=False)
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    with pytest.raises(SystemExit, match="give both"):
        config_from_args(parser.parse_args(["--s3-access-key-id", "AKIAEXAMPLE"]))
