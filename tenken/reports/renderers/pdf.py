"""PDF: the HTML document printed by WeasyPrint with the print stylesheet.

Japanese text needs ``lang="ja"`` and the Noto Sans CJK JP font installed (Debian ``fonts-noto-cjk``);
WeasyPrint subsets and embeds it (with ``libharfbuzz-subset0``). Tables use ``table-layout: fixed``,
which keeps layout time linear in the number of rows.

One :class:`weasyprint.text.fonts.FontConfiguration` per thread is reused for every document: without
it WeasyPrint builds a fresh fontconfig configuration and Pango font map per document, each holding the
Noto CJK faces (about 38 MB), freed only when the garbage collector gets to them — a batch of reports
grew to 930 MB; reused, the process stays at its single-report size (bench ``national_documents``).

A large report is printed away from the process that asks for it. WeasyPrint holds the layout of every
page until the PDF is written (about 2 MB a page: a 100× plan's 1,205 pages peaked at 2.6 GB), and Python
keeps that memory after the report is done. Above ``TENKEN_PDF_PART_ROWS`` 別紙 rows (default 1,000) the
report is printed in parts of at most that many rows, each in a short-lived forked child, and joined in
one more (:mod:`.pdf_parts`, :mod:`.pdf_join`): the memory of one part, returned when each child exits.
Between ``TENKEN_PDF_CHILD_PROCESS_ROWS`` and that, the whole document is printed in one child. A child
gets its input by the fork and hands back its result through a pipe; a failure or death in it is raised
here as :class:`PdfRenderError`. A daemonic process (a pool worker) may not fork: it prints in-process.
"""

from __future__ import annotations

import multiprocessing
import pickle
import threading
import traceback

from django.conf import settings

from tenken.reports.context import ReportContext

from .html import render_document
from .pdf_join import PartResult, join_tagged

_local = threading.local()


def font_config():
    """This thread's WeasyPrint font configuration (Pango font maps are not shared across threads)."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


# Tagged PDF (PDF/UA-1: structure tags, document language and title) so screen readers can read it.
PDF_VARIANT = "pdf/ua-1"


class PdfRenderError(RuntimeError):
    """The child process printing a PDF failed or died (the message says which)."""


def render(ctx: ReportContext) -> bytes:
    rows = len(ctx.appendix)
    part_rows = int(getattr(settings, "TENKEN_PDF_PART_ROWS", 1000))
    if rows > part_rows:
        from .pdf_parts import print_in_parts

        return print_in_parts(ctx, part_rows, print_part, join=join_parts)
    html = render_document(ctx, for_print=True)
    if rows > int(getattr(settings, "TENKEN_PDF_CHILD_PROCESS_ROWS", 1000)) and _can_fork():
        return _in_child(_write_pdf, html)
    return _print(html)


def _can_fork() -> bool:
    # (a daemonic process, e.g. a pool worker, may not start children: it prints in-process)
    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


def print_part(html: str) -> PartResult:
    """One part of a report printed in parts (:mod:`.pdf_parts`): in a child process when this one can
    fork, so that its memory is returned when the part is done."""
    if _can_fork():
        return _in_child(_write_part, html)
    with _PRINTING:
        return _write_part(html)


def join_parts(parts: list[PartResult]) -> bytes:
    """:func:`~.pdf_join.join_tagged` in a child process when this one can fork: qpdf's objects for a
    1,200-page tagged document take some 350 MB, which this process would otherwise keep."""
    return _in_child(join_tagged, parts) if _can_fork() else join_tagged(parts)


def _write_part(html: str) -> PartResult:
    from weasyprint import HTML

    options = {"pdf_variant": PDF_VARIANT, "pdf_tags": True, "custom_metadata": True}
    document = HTML(string=html).render(font_config=font_config(), **options)
    anchors: dict[str, tuple[int, float, float]] = {}
    bookmarks = []
    for index, page in enumerate(document.pages):
        for name, (x, y, _w, _h) in page.anchors.items():
            anchors.setdefault(name, (index, x, y))
        for level, label, (x, y), state in page.bookmarks:
            bookmarks.append((level, label, index, x, y, state))
    return PartResult(document.write_pdf(**options), len(document.pages), anchors, bookmarks)


# Held while this process prints in-process and while it forks a printing child: a thread forked while
# another thread is inside fontconfig/Pango/cairo would leave the child a lock that is never released.
_PRINTING = threading.Lock()


def _print(html: str) -> bytes:
    with _PRINTING:
        return _write_pdf(html)


def _write_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf(
        font_config=font_config(), pdf_variant=PDF_VARIANT, pdf_tags=True,
        custom_metadata=True,
    )


def _child(fn, arg, conn) -> None:
    try:
        result = fn(arg)  # single-threaded here: the fork copied only the forking thread
    except BaseException as exc:  # every failure goes back to the parent, which raises it
        conn.send_bytes(b"E" + f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}".encode())
    else:
        conn.send_bytes(b"P" + pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        conn.close()


def _in_child(fn, arg):
    """``fn(arg)`` (:func:`_write_pdf`, :func:`_write_part` or the join) in a forked child: the argument is
    inherited, not copied through the pipe; the result comes back pickled. The child touches no database connection: the report context was read
    before the fork."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, arg, child), name="tenken-pdf", daemon=True)
    with _PRINTING:
        proc.start()
    child.close()  # the parent's copy: recv_bytes() then ends when the child's end is closed
    try:
        message = parent.recv_bytes()
    except EOFError:
        proc.join()
        raise PdfRenderError(f"PDF を作成する子プロセスが終了しました（終了コード {proc.exitcode}、pid {proc.pid}）。"
                             "メモリ不足の可能性があります") from None
    finally:
        parent.close()
    proc.join()
    if message[:1] == b"E":
        raise PdfRenderError(f"PDF を作成できませんでした: {message[1:].decode(errors='replace')}")
    return pickle.loads(message[1:])  # from this process's own fork
