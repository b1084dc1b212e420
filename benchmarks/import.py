"""Plan importer throughput and memory.

Prints, for the three seed plans and for a large generated plan: activities parsed per second
and peak memory of `parse_plan`; deadline cells per second of `parse-deadlines` (the JSON-lines
command, end to end); each beside a baseline measured in the same run — the cost of merely
decoding the text and splitting it into lines and cells, the floor under any parser — and beside
the targets (seeds well under a second; at least 10,000 deadline cells per second).

Run: .venv/bin/python benchmarks/import.py [--activities N]
"""

from __future__ import annotations

import argparse
import io
import json
import re
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from jospar.planparser import parse_plan  # noqa: E402
from jospar.planparser.deadlines_cli import run_parse_deadlines  # noqa: E402

SEEDS = sorted((REPO / "jospar" / "plans" / "demo_seeds").glob("*.txt"))


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_memory(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def baseline_split(data: bytes) -> int:
    text = data.decode("utf-8")
    cells = 0
    for line in text.splitlines():
        cells += len(re.split(r"\t|\|", line))
    return cells


def generated_plan(activities: int) -> bytes:
    """A Russian plan in the seed's layout with `activities` rows (the seed's rows repeated)."""
    seed = next(p for p in SEEDS if p.name.startswith("001_")).read_text(encoding="utf-8")
    head, _, rest = seed.partition("\t1.\n")
    marker = re.search(r"\n\s*Примечание", rest)
    assert marker is not None
    table, tail = rest[: marker.start()], rest[marker.start() :]
    pieces = re.split(r"(?m)^\t(\d+)\.\n", "\t1.\n" + table)
    templates = [pieces[i + 1] for i in range(1, len(pieces) - 1, 2)]
    out = [head]
    for n in range(1, activities + 1):
        out.append(f"\t{n}.\n" + templates[(n - 1) % len(templates)])
    out.append(tail)
    return "".join(out).encode("utf-8")


def pdf_and_docx(activities: int) -> tuple[bytes, bytes]:
    """The generated plan laid out as a PDF (WeasyPrint, A4 landscape, rows broken across pages)
    and as a Word file with the same table."""
    import docx
    import weasyprint

    from jospar.planparser.tests.seedtools import html_page, tab_table

    table = tab_table(generated_plan(activities).decode("utf-8"))
    page = html_page(table.before, table.header, table.items, table.after, 5)
    css = weasyprint.CSS(
        string="@page{size:A4 landscape;margin:12mm}body{font-family:'DejaVu Sans';"
        "font-size:9pt}table{border-collapse:collapse;width:100%}"
        "th,td{border:.6pt solid #000;padding:2pt;vertical-align:top}"
    )
    pdf = io.BytesIO()
    weasyprint.HTML(string=page).write_pdf(pdf, stylesheets=[css])
    document = docx.Document()
    for line in table.before:
        document.add_paragraph(line)
    rows = [r for r in table.items if isinstance(r, list)]
    grid = document.add_table(rows=len(rows) + 1, cols=5)
    for cell, text in zip(grid.rows[0].cells, table.header or [""] * 5, strict=False):
        cell.text = text
    for row, cells in zip(grid.rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=False):
            cell.text = text
    for line in table.after:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return pdf.getvalue(), out.getvalue()


def pdf_vs_docx(activities: int) -> None:
    pdf, word = pdf_and_docx(activities)
    n_pdf = len(parse_plan(pdf, filename="plan.pdf").activities)
    n_docx = len(parse_plan(word, filename="plan.docx").activities)
    t_pdf = best_of(lambda: parse_plan(pdf, filename="plan.pdf"), repeat=2)
    t_docx = best_of(lambda: parse_plan(word, filename="plan.docx"), repeat=2)
    print(f"the same {activities}-row plan as PDF ({len(pdf) / 1e6:.1f} MB) and as DOCX")
    print(
        f"  PDF  ({n_pdf} activities)        {t_pdf:8.2f} s    target < 10 s   "
        f"{'OK' if t_pdf < 10 else 'MISSED'}"
    )
    print(f"  DOCX ({n_docx} activities)        {t_docx:8.2f} s    (PDF = {t_pdf / t_docx:.1f}×)")
    print()


def deadline_lines() -> list[str]:
    lines = []
    for path in SEEDS:
        plan = parse_plan(path.read_bytes(), filename=path.name)
        for activity in plan.activities:
            lines.append(
                json.dumps(
                    {
                        "deadline_text": activity.deadline_text,
                        "lang": plan.lang,
                        "period": plan.period.to_json(),
                        "other_column_text": "; ".join(activity.completion_form),
                    },
                    ensure_ascii=False,
                )
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=5000)
    parser.add_argument("--cells", type=int, default=50_000)
    parser.add_argument("--pdf-rows", type=int, default=300)
    args = parser.parse_args()

    print("jospar plan importer benchmark")
    print(f"python {sys.version.split()[0]}")
    print()
    seeds = [(p.name, p.read_bytes()) for p in SEEDS]

    def parse_seeds() -> int:
        return sum(len(parse_plan(d, filename=n).activities) for n, d in seeds)

    count = parse_seeds()
    t = best_of(parse_seeds)
    base = best_of(lambda: [baseline_split(d) for _, d in seeds])
    mem = peak_memory(parse_seeds)
    print(f"seed plans ({len(seeds)} files, {count} activities)")
    print(
        f"  parse_plan, all three      {t * 1000:8.1f} ms   target < 1000 ms   "
        f"{'OK' if t < 1.0 else 'MISSED'}"
    )
    print(f"  activities per second      {count / t:10.0f}")
    print(
        f"  baseline decode+split      {base * 1000:8.2f} ms   (parser = {t / base:.0f}× the floor)"
    )
    print(f"  peak memory                {mem / 1e6:8.1f} MB")
    print()

    big = generated_plan(args.activities)
    n = len(parse_plan(big, filename="generated.txt").activities)
    t = best_of(lambda: parse_plan(big, filename="generated.txt"), repeat=3)
    base = best_of(lambda: baseline_split(big), repeat=3)
    mem = peak_memory(lambda: parse_plan(big, filename="generated.txt"))
    print(f"generated plan ({len(big) / 1e6:.1f} MB, {n} activities)")
    print(f"  parse_plan                 {t * 1000:8.1f} ms")
    print(f"  activities per second      {n / t:10.0f}")
    print(
        f"  baseline decode+split      {base * 1000:8.2f} ms   (parser = {t / base:.0f}× the floor)"
    )
    print(f"  peak memory                {mem / 1e6:8.1f} MB   ({mem / len(big):.1f}× the input)")
    print()

    pdf_vs_docx(args.pdf_rows)

    cells = deadline_lines()
    payload = "\n".join((cells * (args.cells // len(cells) + 1))[: args.cells]) + "\n"

    def run_cli() -> None:
        out = io.StringIO()
        run_parse_deadlines(io.StringIO(payload), out)

    def run_baseline() -> None:
        out = io.StringIO()
        for line in io.StringIO(payload):
            out.write(json.dumps(json.loads(line), ensure_ascii=False) + "\n")

    runs = [best_of(run_cli, repeat=1) for _ in range(3)]
    t = statistics.median(runs)
    base = best_of(run_baseline, repeat=3)
    rate = args.cells / t
    print(f"parse-deadlines ({args.cells} cells from the seeds' deadline and completion cells)")
    print(
        f"  cells per second           {rate:10.0f}   target ≥ 10000   "
        f"{'OK' if rate >= 10_000 else 'MISSED'}"
    )
    print(
        f"  baseline JSON in/out only  {args.cells / base:10.0f} cells/s  "
        f"(parser = {t / base:.1f}× the floor)"
    )


if __name__ == "__main__":
    main()
