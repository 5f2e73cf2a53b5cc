"""Web forms for indicators: one observation (和暦 accepted for 時点) and the table upload (CSV or .xlsx)."""

from __future__ import annotations

from django import forms

from tenken.common.wareki import ParsedDate, WarekiError, parse_date

from .cells import parse_value
from .models import Observation


class ObservationForm(forms.Form):
    kind = forms.ChoiceField(label="種別", choices=Observation.Kind.choices)
    value = forms.CharField(label="値", max_length=40, help_text="数字だけ（例: 1,200 や 72.5）。単位は指標の単位です")
    as_of = forms.CharField(label="時点", max_length=50,
                            help_text="例: R元.11、H30年度末、令和2年3月31日、2019-03（和暦・西暦どちらでも）")
    source = forms.CharField(label="出典", max_length=200, help_text="例: 電子申請システムの利用実績")
    note = forms.CharField(label="備考", max_length=500, required=False)

    def clean_value(self):
        try:
            return parse_value(self.cleaned_data["value"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_as_of(self) -> ParsedDate:
        try:
            return parse_date(self.cleaned_data["as_of"])
        except WarekiError as exc:
            raise forms.ValidationError(str(exc)) from exc


class IndicatorUploadForm(forms.Form):
    organization = forms.ChoiceField(label="団体")
    plan = forms.ChoiceField(label="計画", required=False)
    observations = forms.FileField(label="指標の表（CSV または .xlsx。縦持ち・横持ちどちらでも）")
    sheet = forms.CharField(label="シート名（.xlsx、省略可。省略すると指標の表があるすべてのシート）", max_length=100,
                            required=False)
    meta = forms.FileField(label="指標の向き（indicator-meta.csv、省略可）", required=False)
    dry_run = forms.BooleanField(label="確認だけ（登録せずに、読み取れる指標と値の件数を示す）", required=False)

    def __init__(self, *args, organizations=(), plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [(o.code, o.name) for o in organizations]
        self.fields["plan"].choices = [("", "（計画に結び付けない）")] + [(str(p.pk), p.title) for p in plans]
