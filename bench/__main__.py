"""Run every benchmark: `python -m bench` (or `make bench`)."""

from bench import batch, call_overhead, extraction, ocr, upload_memory

if __name__ == "__main__":
    upload_memory.main()
    call_overhead.main()
    batch.main()
    ocr.main()
    extraction.main()
