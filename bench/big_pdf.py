"""A 500-page PDF: the server's extraction against pypdfium2's plain text, and its memory.

The document is made here (reportlab, text and a ruled table on every tenth page),
then each side extracts it in a fresh process, interleaved, best of 2: our
`extract_document` with txt rendering, and pypdfium2's page-by-page text. The
figures are wall time and the extracting process's peak RSS. Targets: ours at
most 3x pypdfium2's time, peak RSS under 300 MB.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

PAGES = 500
MAX_RATIO = 3.0
MAX_RSS_MB = 300.0

# Each side runs in a fresh process: the import outside the timing, the work inside it,
# then its time and its own peak RSS (VmHWM, which starts anew at exec; ru_maxrss would
# keep the forking bench process's peak).
_FRAME = """
import sys, time
{setup}
start = time.perf_counter()
{work}
took = time.perf_counter() - start
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(took, peak / 1024)
"""
_OURS = _FRAME.format(
    setup="from pathlib import Path\n"
    "from byteit_server.extraction import extract_document, render_result",
    work='render_result(extract_document(Path(sys.argv[1]), "pdf"), "txt", filename="big.pdf")',
)
_PDFIUM = _FRAME.format(
    setup="import pypdfium2 as pdfium",
    work="document = pdfium.PdfDocument(sys.argv[1])\n"
    "text = [document[i].get_textpage().get_text_range() for i in range(len(document))]",
)


def make_pdf(path: Path, pages: int = PAGES) -> None:
    canvas = Canvas(str(path), pagesize=A4)
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica-Bold", 16)
        canvas.drawString(72, 780, f"Section {number}")
        canvas.setFont("Helvetica", 10)
        for line in range(40):
            canvas.drawString(72, 750 - 15 * line, f"Line {line} of page {number}: 0 2,248 1,135")
        if number % 10 == 0:
            for row in range(4):
                canvas.line(72, 120 - 20 * row, 372, 120 - 20 * row)
            for column in range(4):
                canvas.line(72 + 100 * column, 120, 72 + 100 * column, 60)
        canvas.showPage()
    canvas.save()


def _run(script: str, path: Path) -> tuple[float, float]:
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True
    )
    took, rss = done.stdout.split()
    return float(took), float(rss)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.pdf"
        make_pdf(path)
        ours, pdfium = [], []
        for _round in range(2):
            ours.append(_run(_OURS, path))
            pdfium.append(_run(_PDFIUM, path))
    our_time, our_rss = min(ours)
    their_time, their_rss = min(pdfium)
    ratio = our_time / their_time
    print(f"{PAGES}-page PDF (text, a ruled table every tenth page), best of 2 interleaved")
    print(f"  pypdfium2 text   {their_time:7.2f} s   peak RSS {their_rss:6.1f} MB")
    print(f"  ours (txt)       {our_time:7.2f} s   peak RSS {our_rss:6.1f} MB")
    fast = "ok" if ratio <= MAX_RATIO else "MISSED"
    small = "ok" if our_rss < MAX_RSS_MB else "MISSED"
    print(f"  ratio {ratio:.2f}   target <= {MAX_RATIO}: {fast}")
    print(f"  peak RSS {our_rss:.0f} MB   target < {MAX_RSS_MB:.0f} MB: {small}")


if __name__ == "__main__":
    main()
