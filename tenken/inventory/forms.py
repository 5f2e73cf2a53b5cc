"""Web forms of the register and the municipal follow-up (dates in 和暦 or 西暦)."""

from __future__ import annotations

from django import forms

from tenken.common.formfields import WarekiDateField

from .models import Hosting, Segment, SystemState


class SystemForm(forms.Form):
    name = forms.CharField(label="システム名", max_length=200)
    department = forms.ChoiceField(label="所管所属", required=False)
    purpose = forms.CharField(label="目的・概要", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    segment = forms.ChoiceField(label="ネットワーク区分", choices=Segment.choices)
    hosting = forms.ChoiceField(label="設置形態", choices=Hosting.choices)
    internet_facing = forms.BooleanField(label="インターネットに直接接続する", required=False)
    in_service_on = WarekiDateField(label="稼働開始日")
    retired_on = WarekiDateField(label="廃止日", required=False)
    contract_end = WarekiDateField(label="契約・リース満了日", required=False)
    state = forms.ChoiceField(label="状態", choices=SystemState.choices)
    successor = forms.ChoiceField(label="統合先システム", required=False)
    note = forms.CharField(label="備考", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, departments=(), systems=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "（なし）")] + [(str(d.pk), d.name) for d in departments]
        self.fields["successor"].choices = [("", "（なし）")] + [(str(s.pk), s.name) for s in systems]


class SystemSearchForm(forms.Form):
    q = forms.CharField(label="キーワード（システム名・所属・目的）", required=False, max_length=100)
    segment = forms.ChoiceField(label="ネットワーク区分", required=False,
                                choices=[("", "（すべて）"), *Segment.choices])
    state = forms.ChoiceField(label="状態", required=False, choices=[("", "（すべて）"), *SystemState.choices])


class ProgressForm(forms.Form):
    municipality = forms.ChoiceField(label="市町村")
    achieved_on = WarekiDateField(label="取組済となった日", required=False,
                                  help_text="未取組に戻すときは空欄。例: R2.3.31、2020-03-31")
    note = forms.CharField(label="備考", required=False, max_length=500)

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.code, f"{m.name}") for m in municipalities]


class CsvUploadForm(forms.Form):
    file = forms.FileField(label="市町村の取組状況（CSV）")
