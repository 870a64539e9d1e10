"""Cold start: `import byteit` against `import httpx`, each in a fresh Python process.

A process's whole life is timed (interpreter start-up included, as a user's script
pays it), best of ROUNDS, the imports alternating so that machine noise hits all
alike. Target: byteit <= 1.5 x httpx. `import byteit` loads only the logger and the
exceptions; the first client a script takes out loads the rest, so that import is
shown too, against the same httpx, for information.
"""

from __future__ import annotations

import subprocess
import sys
import time

ROUNDS = 5
TARGET = 1.5


HTTPX = "import httpx"
BYTEIT = "import byteit"
CLIENT = "from byteit import ByteITClient"


def _run(statement: str) -> float:
    """Seconds a fresh interpreter takes to run `statement` and exit."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True)
    return time.perf_counter() - start


def main() -> None:
    times: dict[str, list[float]] = {HTTPX: [], BYTEIT: [], CLIENT: []}
    for statement in times:
        _run(statement)  # warm the disk cache and write the .pyc files
    for _ in range(ROUNDS):
        for statement, seconds in times.items():
            seconds.append(_run(statement))
    best = {statement: min(seconds) for statement, seconds in times.items()}
    ratio = best[BYTEIT] / best[HTTPX]
    print(f"import time, fresh process (best of {ROUNDS}, interleaved)")
    for statement, seconds in best.items():
        times_httpx = seconds / best[HTTPX]
        print(f"  {statement + ':':32} {seconds * 1e3:7.1f} ms  {times_httpx:.2f} x httpx")
    verdict = "ok" if ratio <= TARGET else "MISSED"
    print(f"  ratio {ratio:.2f}   target <= {TARGET}: {verdict}")


if __name__ == "__main__":
    main()
