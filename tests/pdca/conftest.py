"""Fixtures for goals, indicators per initiative, milestones, plan editing and the successor plan."""

from __future__ import annotations

import pytest

from tests.personas import cast_for


@pytest.fixture
def cast(kanagawa_plan):
    """The Kanagawa plan with departments assigned per policy and the named personas."""
    return cast_for(kanagawa_plan)
