"""A materialised national rollup: approved review counts per year × organization × policy × status.

A bulk import writes the rollup rows of the plans it loads, in the same transaction; after other
changes to reviews (imports of single plans, survey approvals) ``tenken rollup-refresh``
(:func:`tenken.national.rollups.rollup_refresh`) rebuilds it from the reviews. National queries read
a few tens of thousands of rows instead of scanning 1.8M reviews.
"""

from __future__ import annotations

from django.db import models

from tenken.orgs.models import Organization


class StatusRollup(models.Model):
    fiscal_year = models.PositiveIntegerField("年度")
    organization = models.ForeignKey(Organization, verbose_name="団体", on_delete=models.CASCADE, related_name="+")
    prefecture_code = models.CharField("都道府県コード", max_length=6)
    policy = models.CharField("方針", max_length=300)
    status_code = models.CharField("実施結果", max_length=30)
    count = models.PositiveIntegerField("件数")

    class Meta:
        verbose_name = "全国集計"
        verbose_name_plural = "全国集計"
        indexes = [
            # by policy and by prefecture for one year: index-only scans (count is included).
            models.Index(fields=["fiscal_year", "policy", "status_code"], include=["count"], name="rollup_year_policy"),
            models.Index(fields=["fiscal_year", "prefecture_code", "status_code"], include=["count"], name="rollup_year_pref"),
            models.Index(fields=["fiscal_year", "organization"], name="rollup_year_org"),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.organization_id} {self.policy} {self.status_code}: {self.count}"
