"""Decompression bombs and other costly documents (issue 16): how fast each is refused and how much
memory that costs. Each file is read in a fresh child process, which reports its peak resident
memory before and after reading (the extra memory) and the time from call to refusal.

Target: a 4 GB-inflating .docx/.xlsx/.pdf is refused in < 2 s with < 200 MB extra memory.

Run: .venv/bin/python benchmarks/bombs.py
The bombs carry correct checksums (as an attacker's would); building them takes a few seconds.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import hostile_files as h

GB4 = 4_000_000_000

CHILD = """
import json, sys, time
from pbm_nlp.errors import PbmError
from pbm_nlp.ingest.registry import parse_file
import docx, openpyxl, pdfplumber  # the readers' libraries, loaded before the baseline

def peak_kb():  # this process image's peak RSS (ru_maxrss would include the parent's, inherited at exec)
    return int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1])

before = peak_kb()
t = time.perf_counter()
try:
    parse_file(sys.argv[1]); outcome = "read"
except PbmError as e:
    outcome = type(e).__name__ + ": " + e.en
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "extra_mb": (peak_kb() - before) / 1024, "outcome": outcome}))
"""


def build(d: Path) -> dict[str, tuple[Path, str]]:
    return {
        "docx, 4 GB document.xml": (h.docx_bomb(d / "bomb.docx", GB4, exact_crc=True), "4 GB"),
        "docx, part claims 12 MB (CRC to match)": (h.docx_bomb(d / "liar.docx", GB4, lie=12_000_000), "4 GB"),
        "xlsx, 4 GB sheet": (h.xlsx_bomb(d / "bomb.xlsx", GB4, exact_crc=True), "4 GB"),
        "xlsx, sheet claims 12 MB (CRC to match)": (h.xlsx_bomb(d / "liar.xlsx", GB4, lie=12_000_000), "4 GB"),
        "pdf, page inflating to 4 GB (2 x Flate)": (h.pdf_bomb(d / "bomb.pdf", GB4, exact=True), "4 GB"),
        "pdf, page inflating to 4 GB (1 x Flate)": (h.pdf_bomb(d / "bomb1.pdf", GB4, exact=True, layers=1), "4 GB"),
        "docx, 24 MB document.xml at 333:1": (h.docx_bomb(d / "dense.docx", 24_000_000), "24 MB"),
        "pdf, one page of 3 MB drawing instructions": (h.pdf_dense_page(d / "dense.pdf", 3_000_000), "3 MB"),
        "pdf, 2,000 pages": (h.pdf_pages(d / "pages.pdf", 2000), "-"),
        "xlsx, A1:XFD1048576 declared": (h.xlsx_far_cell(d / "far.xlsx"), "-"),
        "docx, 3,000 parts": (h.many_parts(d / "parts.docx", 3000), "-"),
    }


def main() -> None:
    d = Path(tempfile.mkdtemp(prefix="pbm-bombs-"))
    t0 = time.perf_counter()
    files = build(d)
    print(f"built {len(files)} files in {time.perf_counter() - t0:.1f} s; load average {os.getloadavg()[0]:.1f} "
          "(2 cores, shared)\n")
    print(f"{'file':<46}{'on disk':>10}{'inflates':>10}{'refused in':>12}{'extra MB':>10}  outcome")
    for label, (path, inflates) in files.items():
        out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                             timeout=600, check=False, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        if out.returncode:
            print(f"{label:<46} child failed: {out.stderr[-300:]}")
            continue
        r = json.loads(out.stdout)
        size = path.stat().st_size
        print(f"{label:<46}{size / 1e6:>8.2f}MB{inflates:>10}{r['seconds']:>10.2f} s{r['extra_mb']:>10.0f}  "
              f"{r['outcome'][:90]}")
    print("\ntarget: the 4 GB bombs refused in < 2 s with < 200 MB extra memory")


if __name__ == "__main__":
    main()
