"""WeasyPrint's layout of the report's HTML, in this process or in chunks in parallel.

WeasyPrint's cost is per line of text (about 110 ms a page to lay out and 25 ms to write on
this project's reports) and it uses one core. A long report is therefore cut in runs of rows
(:func:`jospar.control.exports.pdf_writer.chunks_of`), each laid out in its own process, the
PDFs joined with pypdf, and "page N / M" stamped on the joined pages: a chunk does not know on
which page it starts.

The processes come from a fork server that has imported only this module and WeasyPrint (no
Django, no database connection, none of the worker's memory): each one holds one chunk's
layout, and ends with it. Nothing here imports Django, so that the fork server stays small.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

# The page of the report's template (control/exports/report.html): the stamp pages must have
# the same size and margins so that the number stands where the template puts it.
STAMP_HTML = """<!doctype html><html><head><meta charset="utf-8"><style>
@page {
  size: A4 landscape;
  margin: 15mm 12mm 16mm 15mm;
  @bottom-center {
    content: counter(page) " / " counter(pages);
    font-family: "DejaVu Serif", "Times New Roman", serif;
    font-size: 8pt;
  }
}
/* One empty block per page: the first starts the first page, each next one a new page. */
div { break-before: page; }
</style></head><body>%s</body></html>"""


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Nothing is fetched while laying out: the template needs no file, and a report's text
    must not make the server read a local file or call an address."""
    raise ValueError(f"not fetched: {url[:80]}")


def worker_count() -> int:
    """The cores this process may run on (a container's limit, not the host's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def layout(html: str) -> bytes:
    """One HTML document as PDF bytes, in this process."""
    from weasyprint import HTML

    data: bytes = HTML(string=html, url_fetcher=refuse_fetch).render().write_pdf()
    return data


logger = logging.getLogger(__name__)

# What the last parallel layout's chunks cost, one (CPU seconds, peak RSS in MB) each: the
# chunks run in the fork server's children, which this process's own rusage does not count.
last_chunk_costs: list[tuple[float, float]] = []


def _layout_measured(html: str) -> tuple[bytes, float, float]:
    """In a pool's process: the chunk's PDF, the CPU it took and the process's peak RSS."""
    cpu = time.process_time()
    data = layout(html)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return data, time.process_time() - cpu, peak


def _context() -> Any:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, "weasyprint"])
    return context


def stamp_page_numbers(data: bytes) -> bytes:
    """``data`` with "N / M" at the foot of every page, in the template's type and place."""
    from pypdf import PdfReader, PdfWriter

    document = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    count = len(document.pages)
    stamps = PdfReader(io.BytesIO(layout(STAMP_HTML % ("<div></div>" * count))))
    if len(stamps.pages) != count:
        raise RuntimeError(f"{len(stamps.pages)} stamp pages for {count} pages")
    for page, stamp in zip(document.pages, stamps.pages, strict=True):
        page.merge_page(stamp)
        # The merge leaves the page's content uncompressed: without this the largest plan's
        # report grew from 268 KB to 1.8 MB.
        page.compress_content_streams()
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def join(parts: list[bytes]) -> bytes:
    """The PDFs one after the other, their outlines kept."""
    from pypdf import PdfReader, PdfWriter

    document = PdfWriter()
    for part in parts:
        document.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def layout_parallel(parts: list[str], workers: int) -> bytes:
    """Each HTML chunk laid out in its own process (at most ``workers`` at a time), joined in
    order, then numbered."""
    if len(parts) == 1:
        pdfs = [layout(parts[0])]
    else:
        # One process per chunk (max_tasks_per_child=1): a process's memory is one chunk's
        # layout, given back when the chunk is done.
        with ProcessPoolExecutor(
            max_workers=max(1, min(workers, len(parts))),
            mp_context=_context(),
            max_tasks_per_child=1,
        ) as pool:
            results = list(pool.map(_layout_measured, parts))
        pdfs = [data for data, _cpu, _peak in results]
        last_chunk_costs[:] = [(cpu, peak) for _data, cpu, peak in results]
        logger.info(
            "report PDF laid out in %d chunks: CPU %s s, peak RSS %s MB",
            len(parts),
            ", ".join(f"{cpu:.2f}" for cpu, _peak in last_chunk_costs),
            ", ".join(f"{peak:.0f}" for _cpu, peak in last_chunk_costs),
        )
    return stamp_page_numbers(join(pdfs))
