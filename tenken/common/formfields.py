"""Form fields shared by the web pages."""

from __future__ import annotations

from datetime import date

from django import forms

from .wareki import WarekiError, format_date, parse_date


class WarekiDateField(forms.Field):
    """A day written in 和暦 or 西暦 (``R2.3.31``, ``令和2年3月31日``, ``2020-03-31``) → :class:`date`.

    A month or fiscal year (``R2.3``, ``R元年度末``) is read as its last day, as the importers do.
    """

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "例: R2.3.31、令和2年3月31日、2020-03-31")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, date):
            return format_date(value)
        return value

    def to_python(self, value) -> date | None:
        if isinstance(value, date):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return parse_date(text).as_of
        except WarekiError as exc:
            raise forms.ValidationError(str(exc)) from exc
