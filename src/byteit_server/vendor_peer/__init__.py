"""The vendor's published client (``byteit`` 1.3.0), run against a local server.

Both packages are named ``byteit``, so the vendor's lives in a virtual
environment of its own, ``.venv-vendor/`` at the root of the checkout (``make
install`` builds it once; ``$BYTEIT_VENDOR_VENV`` names another). Its Python
runs :mod:`driver <byteit_server.vendor_peer.driver>` as a script, in isolated
mode (``-I``: no ``PYTHONPATH``, no user site, so ``import byteit`` there is the
vendor's), with the client's ``BASE_URL`` pointed at the local server.

The driver refuses every connection and name lookup beyond the loopback
address, and reports each attempt: :func:`run_vendor` raises
:class:`VendorRunError` when there was one, so a test on it fails on any
request beyond 127.0.0.1. Used by ``tests/e2e/test_vendor_client.py`` and
``bench/vendor.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "DRIVER",
    "VENDOR_REQUIREMENT",
    "VENDOR_VENV_ENV",
    "VendorRunError",
    "run_vendor",
    "vendor_python",
]

VENDOR_REQUIREMENT = "byteit==1.3.0"
VENDOR_VENV_ENV = "BYTEIT_VENDOR_VENV"
DRIVER = Path(__file__).with_name("driver.py")
_CHECKOUT = Path(__file__).resolve().parents[3]


class VendorRunError(RuntimeError):
    """The vendor's client failed, or tried to reach beyond the loopback address."""


def vendor_python(environ: Mapping[str, str] = os.environ) -> Path | None:
    """The Python of the vendor's venv, or None when it is not built.

    Example:
        >>> vendor_python({"BYTEIT_VENDOR_VENV": "/nowhere"}) is None
        True
    """
    venv = Path(environ.get(VENDOR_VENV_ENV) or _CHECKOUT / ".venv-vendor")
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    return python if python.is_file() else None


def run_vendor(
    python: Path, command: str, arguments: Mapping[str, Any], *, timeout: float = 600
) -> dict[str, Any]:
    """Run one driver ``command`` with the vendor's client; return the driver's answer.

    Raises:
        VendorRunError: The driver failed (its stderr's end is in the message),
            or the vendor's client tried to reach a host other than loopback.
    """
    with tempfile.TemporaryDirectory(prefix="byteit-vendor-") as folder:
        answer_path = Path(folder) / "answer.json"
        argv = [str(python), "-I", str(DRIVER), command, json.dumps(arguments), str(answer_path)]
        environment = {**os.environ, "BYTEIT_DISABLE_VERSION_CHECK": "1"}
        done = subprocess.run(  # noqa: S603 (our own driver, run by the vendor venv's Python)
            argv, env=environment, capture_output=True, text=True, timeout=timeout, check=False
        )
        if done.returncode != 0 or not answer_path.is_file():
            raise VendorRunError(f"the vendor driver failed ({command}): {done.stderr[-3000:]}")
        answer: dict[str, Any] = json.loads(answer_path.read_text("utf-8"))
    if answer.get("blocked"):
        raise VendorRunError(f"the vendor's client tried to reach {answer['blocked']}")
    return answer
