"""The XLSX writers alone, without a database: why collab.xlsx and not a library.

    .venv/bin/python bench/xlsx_writers.py [--rows 50000] [--writers ours,openpyxl,xlsxwriter]

Each writer, in its own process, writes the same synthetic agreement rows (the 16 columns of
the agreement export: texts, dates, counts, a boolean, a URL, some empty cells, a formula to
escape every 100th row) as a sheet that reads as well as it can make it (bold frozen header,
dates, yes/no, hyperlinks up to Excel's 65,530): `ours` is collab.xlsx; `openpyxl` its
write-only mode (the exports' writer before collab.xlsx: no hyperlinks nor number formats in
that mode's cells here); `xlsxwriter` XlsxWriter's constant_memory mode, which is not a
dependency of the project (install it into a scratch directory and put that on PYTHONPATH to
measure it; it is skipped when it cannot be imported). Prints rows/s, file size and the
process's peak memory (VmHWM).
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HEADERS = [
    "Number", "Title", "Kind", "Programme", "Status", "Signed on", "Signed at", "Effective from",
    "Expires on", "Signatories", "Number of clauses", "Meeting", "Number of linked commitments",
    "Signed scan attached", "SHA-256 of the signed scan", "Record URL",
]  # fmt: skip
KINDS = [""] * 15 + ["url"]


def rows(count: int) -> Iterator[list[Any]]:
    signed = datetime.date(2017, 2, 9)
    for n in range(count):
        title = f"Nota Kesepakatan Kerja Sama Pembangunan Berkelanjutan Nomor {n}"
        yield [
            f"{n}/NK/B.III/2017",
            '=HYPERLINK("http://example.com","klik")' if n % 100 == 0 else title,
            "Memorandum of understanding",
            f"Program Uji {n % 50}",
            "Signed",
            signed,
            "Kota Bengkulu",
            signed,
            None if n % 5 == 0 else datetime.date(2019, 12, 31),
            f"Mitra Uji {n % 500} — Penanda Tangan 1 {n} (Wali Kota); Penanda Tangan 2 {n}",
            3,
            "Rapat koordinasi 1-1" if n % 3 == 0 else None,
            int(n % 4 == 0),
            n % 2 == 0,
            "ab" * 32 if n % 2 == 0 else "",
            f"http://testserver/agreements/{n}/",
        ]


def ours(count: int, out) -> None:
    from collab import xlsx
    from collab.exports import escape_formula

    for chunk in xlsx.stream_workbook(
        "perjanjian", HEADERS, KINDS, rows(count), yes="ya", no="tidak", escape=escape_formula
    ):
        out.write(chunk)


def openpyxl_write_only(count: int, out) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from collab.exports import escape_formula

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("perjanjian")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for label in HEADERS:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows(count):
        sheet.append([escape_formula(value) for value in row])
    workbook.save(out)


def xlsxwriter_constant_memory(count: int, out) -> None:
    import xlsxwriter

    from collab.exports import escape_formula

    options = {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(out, {**options, "strings_to_formulas": False})
    sheet = workbook.add_worksheet("perjanjian")
    bold = workbook.add_format({"bold": True})
    date = workbook.add_format({"num_format": "dd-mm-yyyy"})
    yes_no = workbook.add_format({"num_format": '"ya";"ya";"tidak"'})
    sheet.write_row(0, 0, HEADERS, bold)
    sheet.freeze_panes(1, 0)
    for number, row in enumerate(rows(count), start=1):
        for column, value in enumerate(row):
            if value is None or value == "":
                continue
            if column == 15 and number <= 65_530:
                sheet.write_url(number, column, value)
            elif isinstance(value, bool):
                sheet.write_number(number, column, int(value), yes_no)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(number, column, value, date)
            elif isinstance(value, str):
                sheet.write_string(number, column, escape_formula(value))
            else:
                sheet.write_number(number, column, value)
    sheet.autofilter(0, 0, count, len(HEADERS) - 1)
    workbook.close()


WRITERS = {"ours": ours, "openpyxl": openpyxl_write_only, "xlsxwriter": xlsxwriter_constant_memory}


def peak_rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def worker(name: str, count: int) -> None:
    sys.path.insert(0, str(ROOT))
    try:
        writer = WRITERS[name]
        with tempfile.TemporaryFile() as out:
            started = time.perf_counter()
            writer(count, out)
            seconds = time.perf_counter() - started
            size = out.tell()
    except ImportError as error:
        print(json.dumps({"skipped": str(error)}))
        return
    print(json.dumps({"seconds": seconds, "bytes": size, "peak": peak_rss_mb()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--writers", default=",".join(WRITERS))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.rows)
        return
    print(f"{'writer':<11} {'rows/s':>9} {'MB':>6} {'peak MB':>8}")
    for name in args.writers.split(","):
        command = [sys.executable, __file__, "--worker", name, "--rows", str(args.rows)]
        result = json.loads(subprocess.run(command, capture_output=True, check=True).stdout)
        if "skipped" in result:
            print(f"{name:<11} skipped: {result['skipped']}")
            continue
        rate = args.rows / result["seconds"]
        print(f"{name:<11} {rate:>9,.0f} {result['bytes'] / 1e6:>6.1f} {result['peak']:>8.1f}")
    print(f"Command: .venv/bin/python bench/xlsx_writers.py --rows {args.rows}")


if __name__ == "__main__":
    main()
