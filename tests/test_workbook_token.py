"""Finding 2 of issue #14: a leaked SECRET_KEY must not let anyone forge a 回答票 for another department.

The workbook's identification is bound to the round, the department and a random token stored on the
response (server side). A signature made with the known key for another department — without its
token, or with the token of one's own department — is refused, naming why, and nothing is written.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core import signing
from openpyxl import load_workbook

from tenken.common.errors import InputRejected
from tenken.reviews.models import InitiativeReview
from tenken.surveys import services
from tenken.surveys.exchange import response_ingest_workbook
from tenken.surveys.workbook import C_ID, C_STATUS, FIRST_ROW, META_SHEET, SIGNING_SALT, build_workbook

from .conftest import db_snapshot
from .personas import cast_for, small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    cast = cast_for(small_plan())
    survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    return cast, survey_round


def forged(tmp_path: Path, response_b, payload: dict) -> Path:
    """B's workbook, answered, with its identification replaced by ``payload`` signed with the site key."""
    wb = load_workbook(io.BytesIO(build_workbook(response=response_b)))
    ws = wb["回答"]
    for r in range(FIRST_ROW, ws.max_row + 1):
        if ws.cell(r, C_ID).value:
            ws.cell(r, C_STATUS).value = "① 取組内容を達成した"
    meta = wb[META_SHEET]
    assert meta["A3"].value == "署名"
    meta["B3"].value = signing.dumps(payload, salt=SIGNING_SALT)
    path = tmp_path / f"forged-{len(list(tmp_path.iterdir()))}.xlsx"
    wb.save(path)
    return path


def test_a_token_is_stored_per_response_and_differs(world):
    _, survey_round = world
    tokens = [r.workbook_token for r in survey_round.responses.all()]
    assert len(tokens) == 3 and len(set(tokens)) == 3 and all(len(t) >= 32 for t in tokens)


def test_signature_forged_with_the_known_key_is_refused(world, tmp_path):
    cast, survey_round = world
    resp_a = survey_round.responses.get(department=cast.dept_a)
    resp_b = survey_round.responses.get(department=cast.dept_b)
    before = db_snapshot()
    for payload in (
        {"r": survey_round.pk, "d": cast.dept_b.pk},  # the old, token-less identification
        {"r": survey_round.pk, "d": cast.dept_b.pk, "t": resp_a.workbook_token},  # A's own token, B's id
        {"r": survey_round.pk, "d": cast.dept_b.pk, "t": "x" * 43},
    ):
        path = forged(tmp_path, resp_b, payload)
        with pytest.raises(InputRejected, match="照合用の符号が一致しません"):
            response_ingest_workbook(user=cast.sato, path=path)
    assert db_snapshot() == before
    assert not InitiativeReview.objects.filter(inspection=survey_round.inspection).exists()


def test_the_genuine_workbook_is_still_accepted(world, tmp_path):
    cast, survey_round = world
    resp_b = survey_round.responses.get(department=cast.dept_b)
    wb = load_workbook(io.BytesIO(build_workbook(response=resp_b)))
    ws = wb["回答"]
    for r in range(FIRST_ROW, ws.max_row + 1):
        if ws.cell(r, C_ID).value:
            ws.cell(r, C_STATUS).value = "① 取組内容を達成した"
    path = tmp_path / "b.xlsx"
    wb.save(path)
    assert response_ingest_workbook(user=cast.tanaka, path=path).state == "submitted"
