"""The filter and search form of the public plan page (GET; every control has a label)."""

from __future__ import annotations

from django import forms

from .selectors import PlanOverview


class PlanFilterForm(forms.Form):
    q = forms.CharField(label="キーワード", required=False, max_length=200)
    policy = forms.TypedChoiceField(label="方針", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="実施結果", required=False)
    department = forms.TypedChoiceField(label="担当所属", required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, overview: PlanOverview) -> None:
        super().__init__(data)
        self.fields["policy"].choices = [("", "すべて")] + [(s.pk, str(s)) for s in overview.policies]
        self.fields["status"].choices = [("", "すべて")] + [(s.code, s.label) for s in overview.statuses]
        self.fields["department"].choices = [("", "すべて")] + [(d.pk, d.name) for d in overview.departments]
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": "例: HEMS、電子申請"})

    def filters(self) -> dict[str, object]:
        """The valid filters (an invalid choice is ignored and reported by the form)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "query": data.get("q") or "",
            "policy_id": data.get("policy"),
            "status_code": data.get("status") or None,
            "department_id": data.get("department"),
        }

    @property
    def active(self) -> bool:
        return any(v for v in self.filters().values())
