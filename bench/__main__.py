"""Run every benchmark: `python -m bench` (or `make bench`)."""

from bench import (
    async_cpu,
    batch,
    big_pdf,
    call_overhead,
    extraction,
    import_time,
    ocr,
    upload_memory,
)

if __name__ == "__main__":
    import_time.main()
    upload_memory.main()
    call_overhead.main()
    async_cpu.main()
    batch.main()
    ocr.main()
    extraction.main()
    big_pdf.main()
