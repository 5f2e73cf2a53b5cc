"""A large report's PDF is printed in a short-lived child process (issue #17): WeasyPrint holds the whole
document's layout (about 2 MB a page, 2.6 GB for a 100× plan) and Python keeps that memory after the
PDF is written, so a worker or web process that printed one large report would stay that large. The
child hands back the PDF and exits; the output is the same PDF as printed in the process itself."""

from __future__ import annotations

import os
import re
import signal
import subprocess

import pytest

from tenken.reports.context import build_report_context
from tenken.reports.renderers import pdf, render_report

pytestmark = pytest.mark.django_db


def _where_printed(monkeypatch, tmp_path, *, fail: str = ""):
    """Record the pid of the process that runs WeasyPrint (a forked child inherits the patch)."""
    from weasyprint import HTML

    log = tmp_path / "pids"
    original = HTML.write_pdf

    def write_pdf(self, *args, **kwargs):
        with open(log, "a") as f:
            f.write(f"{os.getpid()}\n")
        if fail == "raise":
            raise ValueError("壊れた文書")
        if fail == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", write_pdf)
    return lambda: [int(p) for p in log.read_text().split()] if log.exists() else []


def _text(data: bytes, tmp_path, name: str) -> tuple[str, str]:
    path = tmp_path / name
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1)
    tagged = re.search(r"^Tagged:\s+(\w+)$", info, re.M).group(1)
    return f"{pages} pages, tagged {tagged}", text


def test_a_large_report_is_printed_in_a_child_process_with_the_same_result(report_plan, settings, monkeypatch,
                                                                           tmp_path):
    ctx = build_report_context(plan_id=report_plan.pk)
    pids = _where_printed(monkeypatch, tmp_path)
    settings.TENKEN_PDF_CHILD_PROCESS_ROWS = 10_000  # the Kanagawa plan is small: printed here
    here = render_report(ctx, "pdf")
    assert pids() == [os.getpid()]
    settings.TENKEN_PDF_CHILD_PROCESS_ROWS = 1  # as if it were large
    child = render_report(ctx, "pdf")
    assert len(pids()) == 2 and pids()[1] != os.getpid()
    assert _text(child, tmp_path, "child.pdf") == _text(here, tmp_path, "here.pdf")
    assert _text(child, tmp_path, "child.pdf")[0].endswith("tagged yes")


@pytest.mark.parametrize(("fail", "message"), [
    ("raise", "PDF を作成できませんでした: ValueError: 壊れた文書"),  # raised in the child, with its reason
    ("kill", "PDF を作成する子プロセスが終了しました（終了コード -9"),  # killed (e.g. out of memory): not a hang
])
def test_a_failure_in_the_child_is_an_error_here(report_plan, settings, monkeypatch, tmp_path, fail, message):
    ctx = build_report_context(plan_id=report_plan.pk)
    settings.TENKEN_PDF_CHILD_PROCESS_ROWS = 1
    _where_printed(monkeypatch, tmp_path, fail=fail)
    with pytest.raises(pdf.PdfRenderError, match=re.escape(message)):
        render_report(ctx, "pdf")
