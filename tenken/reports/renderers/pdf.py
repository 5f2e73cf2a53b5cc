"""PDF: the HTML document printed by WeasyPrint with the print stylesheet.

Japanese text needs ``lang="ja"`` and the Noto Sans CJK JP font installed (Debian ``fonts-noto-cjk``);
WeasyPrint subsets and embeds it (with ``libharfbuzz-subset0``). Tables use ``table-layout: fixed``,
which keeps layout time linear in the number of rows.

One :class:`weasyprint.text.fonts.FontConfiguration` per thread is reused for every document: without
it WeasyPrint builds a fresh fontconfig configuration and Pango font map per document, each holding the
Noto CJK faces (about 38 MB), freed only when the garbage collector gets to them — a batch of reports
grew to 930 MB; reused, the process stays at its single-report size (bench ``national_documents``).

A large report (more 別紙 rows than ``TENKEN_PDF_CHILD_PROCESS_ROWS``, default 1,000) is printed in a
short-lived child process (forked; it gets the HTML and hands back the PDF bytes through a pipe).
WeasyPrint holds the layout of every page until the PDF is written (about 2 MB a page: a 100× plan's
1,205 pages peak at 2.6 GB), and Python keeps that memory after the report is done: printed in the
background worker or a web process, one large report would leave that process that large. The child's
memory is returned when it exits. The PDF is the same either way.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback

from django.conf import settings

from tenken.reports.context import ReportContext

from .html import render_document

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
    html = render_document(ctx, for_print=True)
    limit = int(getattr(settings, "TENKEN_PDF_CHILD_PROCESS_ROWS", 1000))
    # (a daemonic process, e.g. a pool worker, may not start children: it prints in-process)
    if (len(ctx.appendix) > limit and "fork" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon):
        return _print_in_child(html)
    return _print(html)


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


def _child(html: str, conn) -> None:
    try:
        data = _write_pdf(html)  # single-threaded here: the fork copied only the forking thread
    except BaseException as exc:  # every failure goes back to the parent, which raises it
        conn.send_bytes(b"E" + f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}".encode())
    else:
        conn.send_bytes(b"P" + data)
    finally:
        conn.close()


def _print_in_child(html: str) -> bytes:
    """:func:`_print` in a forked child (the HTML is inherited, not copied through the pipe). The child
    touches no database connection: the report context was read before the fork."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(html, child), name="tenken-pdf", daemon=True)
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
    return message[1:]
