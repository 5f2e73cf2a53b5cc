"""The PDF renderer reuses one WeasyPrint font configuration per thread (memory of batches of reports)."""

from __future__ import annotations

import threading

from tenken.reports.renderers.pdf import font_config


def test_font_configuration_is_reused_per_thread():
    first = font_config()
    assert font_config() is first
    other = []
    thread = threading.Thread(target=lambda: other.append(font_config()))
    thread.start()
    thread.join()
    assert other and other[0] is not first
