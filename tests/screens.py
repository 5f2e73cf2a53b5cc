"""Screenshots of browser tests at the two sizes every page is looked at (desktop and phone)."""

from __future__ import annotations

from pathlib import Path

VIEWPORTS = ((1366, 900), (390, 844))


def shot(page, folder: Path, name: str) -> None:
    """``folder/name-1366.png`` and ``folder/name-390.png`` (whole page); the page is left at desktop size."""
    folder.mkdir(parents=True, exist_ok=True)
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": VIEWPORTS[0][0], "height": VIEWPORTS[0][1]})
