"""The rating scale (A/B/C/D …) in use, read from configuration.

``settings.TENKEN_INDICATOR_RATING_BANDS`` is a list of ``{"label", "description", "min_rate"}``
(``min_rate`` a fraction as a string, inclusive; the last band ``None``). Organizations that grade
S/A/B/C, or 達成/概ね達成/未達成, change the setting, not the code. :data:`FALLBACK_BANDS` is used
only when the setting is absent and equals the value shipped in ``config/settings.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .rates import RatingError, RatingScale

FALLBACK_BANDS: list[dict[str, str | None]] = [
    {"label": "A", "description": "目標を達成", "min_rate": "1.0"},
    {"label": "B", "description": "概ね順調（80%以上）", "min_rate": "0.8"},
    {"label": "C", "description": "やや遅れ（50%以上）", "min_rate": "0.5"},
    {"label": "D", "description": "遅れ（50%未満）", "min_rate": None},
]


def configured_scale() -> RatingScale:
    """The scale of ``TENKEN_INDICATOR_RATING_BANDS``; a malformed setting is refused with its reason."""
    rows = getattr(settings, "TENKEN_INDICATOR_RATING_BANDS", FALLBACK_BANDS)
    try:
        return RatingScale.from_config(rows)
    except (RatingError, KeyError, ValueError, ArithmeticError) as exc:
        raise ImproperlyConfigured(f"TENKEN_INDICATOR_RATING_BANDS が不正です: {exc}") from exc
