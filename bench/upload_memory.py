"""Peak client memory while uploading the largest document the service takes, against 1 KiB.

The largest document is one at the service's per-file limit (200 MB): a bigger
one is refused before upload. A sink server on 127.0.0.1 reads and discards the
upload; the client runs in a child process so that its peak RSS (ru_maxrss) is its
own. Target: that upload's peak RSS stays under 100 MB, so memory does not grow
with the document (the upload is streamed from disk).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from byteit._contract import UPLOAD_LIMITS

LARGEST = UPLOAD_LIMITS.max_file_bytes  # a byte more is refused before upload
CLIENT = """
import sys, resource
from byteit import ByteITClient
with ByteITClient("bench.key", base_url=sys.argv[1], max_retries=0, timeout=120) as client:
    client.create_job(sys.argv[2])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


class _Sink(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        remaining = int(self.headers.get("Content-Length", "0"))
        while remaining:
            remaining -= len(self.rfile.read(min(remaining, 1 << 20)))
        body = json.dumps({"parse_job": {"id": "bench", "processing_status": "pending"}})
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


def _peak_rss_mb(base_url: str, document: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-c", CLIENT, base_url, str(document)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(out.strip()) / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_port}"
    with tempfile.TemporaryDirectory() as folder:
        small, large = Path(folder, "small.txt"), Path(folder, "large.txt")
        small.write_bytes(b"x" * 1024)
        with large.open("wb") as handle:  # sparse: no disk needed
            handle.truncate(LARGEST)
        small_mb = _peak_rss_mb(base_url, small)
        large_mb = _peak_rss_mb(base_url, large)
    server.shutdown()
    print("upload memory (create_job, client peak RSS)")
    print(f"  1 KiB document: {small_mb:7.1f} MB")
    print(
        f"  {LARGEST >> 20} MB document: {large_mb:7.1f} MB   target < 100 MB: "
        f"{'ok' if large_mb < 100 else 'MISSED'}"
    )
    growth = large_mb - small_mb
    print(f"  growth for {LARGEST >> 20} MB: {growth:+.1f} MB (ratio {large_mb / small_mb:.2f})")
    resource.getrusage(resource.RUSAGE_SELF)
