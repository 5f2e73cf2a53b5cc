"""A documented thing that is not documented fails here (after datasette)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenken.opendata import tables
from tenken.opendata.package import TABLE_NAMES

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_open_data_table_and_field_is_documented():
    text = (DOCS / "opendata.md").read_text(encoding="utf-8")
    for name in (*TABLE_NAMES, "indicators"):
        assert f"`{name}`" in text, name
    for fields in (tables.INITIATIVE_FIELDS, tables.INITIATIVE_DEPARTMENT_FIELDS, tables.REVIEW_FIELDS,
                   tables.STATUS_COUNT_FIELDS, tables.INDICATOR_FIELDS):
        for f in fields:
            assert f.name in text, f.name


@pytest.mark.django_db
def test_every_api_path_and_filter_is_documented(client):
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    schema = client.get("/api/v1/schema/?format=json").json()
    for path, ops in schema["paths"].items():
        assert f"`{path}`" in text or f"`{path.replace('{id}/', '')}`" in text, path
        for p in ops["get"].get("parameters", []):
            if p["in"] == "query" and p["name"] not in {"limit", "offset", "format"}:
                assert f"`{p['name']}`" in text, (path, p["name"])
