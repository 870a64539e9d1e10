"""Run every benchmark: `python -m bench` (or `make bench`).

Each benchmark is imported only when its turn comes, so that the libraries one
loads (pypdfium2, tesserocr, reportlab) do not sit in the memory another measures.
"""

import importlib

BENCHMARKS = (
    "import_time",
    "upload_memory",
    "call_overhead",
    "async_cpu",
    "batch",
    "latency",
    "chaos",
    "scale",
    "ocr",
    "extraction",
    "big_pdf",
    "split",
    "vendor",
    "distributed",
)

if __name__ == "__main__":
    for name in BENCHMARKS:
        importlib.import_module(f"bench.{name}").main()
