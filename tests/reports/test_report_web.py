"""The staff report page and downloads, with access decided in tenken.reports.access."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse

import tenken.reports.views


def test_anonymous_is_sent_to_login(client, report_plan):
    response = client.get(reverse("reports:plan_report", args=[report_plan.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_alice_sees_the_report_with_download_buttons(client, alice, report_plan):
    client.force_login(alice)
    response = client.get(reverse("reports:plan_report", args=[report_plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for fmt in ("html", "docx", "pdf", "xlsx"):
        assert reverse("reports:plan_report_download", args=[report_plan.pk, fmt]) in html
    assert "電子化全開宣言行動計画 点検報告書" in html
    assert "報告書記載の取組数と集計が異なる取組項目が 1 件" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # works offline


@pytest.mark.parametrize(
    ("fmt", "media_type", "magic"),
    [("xlsx", "spreadsheetml", b"PK"), ("docx", "wordprocessingml", b"PK"), ("html", "text/html", b"<!doctype")],
)
def test_bob_with_permission_downloads(client, bob, report_plan, fmt, media_type, magic):
    client.force_login(bob)
    response = client.get(reverse("reports:plan_report_download", args=[report_plan.pk, fmt]))
    assert response.status_code == 200
    assert media_type in response["Content-Type"]
    assert response.content.startswith(magic)
    assert "attachment" in response["Content-Disposition"]


def test_charlie_without_access_is_refused(client, charlie, report_plan):
    client.force_login(charlie)
    assert client.get(reverse("reports:plan_report", args=[report_plan.pk])).status_code == 403
    assert client.get(reverse("reports:plan_report_download", args=[report_plan.pk, "xlsx"])).status_code == 403


def test_unknown_plan_and_format_are_404(client, alice, report_plan):
    client.force_login(alice)
    assert client.get(reverse("reports:plan_report", args=[report_plan.pk + 999])).status_code == 404
    assert client.get(reverse("reports:plan_report_download", args=[report_plan.pk, "odt"])).status_code == 404


def test_home_links_to_the_report(client, alice, report_plan):
    client.force_login(alice)
    html = client.get("/").content.decode()
    assert reverse("reports:plan_report", args=[report_plan.pk]) in html


def test_views_do_not_query_models_or_decide_access():
    tree = ast.parse(Path(tenken.reports.views.__file__).read_text(encoding="utf-8"))
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)
    }
    assert "objects" not in names
    assert not names & {"is_staff", "has_perm", "is_superuser", "PermissionDenied"}
