"""``tenken report`` and ``tenken check``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tenken.cli import main


def test_report_command_writes_each_format(report_plan, tmp_path: Path):
    for fmt, magic in (("html", b"<!doctype html>"), ("xlsx", b"PK")):
        out = tmp_path / f"report.{fmt}"
        call_command("report", "--plan", str(report_plan.pk), "--format", fmt, "-o", str(out), stderr=io.StringIO())
        assert out.read_bytes().startswith(magic)


def test_report_command_for_an_unknown_plan_fails(db, tmp_path: Path):
    with pytest.raises(CommandError, match="計画ID 4242 はありません"):
        call_command("report", "--plan", "4242", "--format", "html", "-o", str(tmp_path / "x.html"))


def test_check_lists_the_difference_and_exits_zero(report_plan, capsys):
    main(["tenken", "check", "--plan", str(report_plan.pk)])  # a failure would raise SystemExit(1)
    out = capsys.readouterr().out
    assert "[差あり] スマート神奈川の推進 キ 教育のスマート化: 記載 12/0/0（計 12） 集計 11/0/0（計 11） 差 -1/+0/+0" in out
    assert out.count("[差あり]") == 1 and out.count("[一致]") == 15
    assert "合計: 記載 61/35/5（計 101） 集計 60/35/5（計 100）" in out


def test_check_without_plan_is_still_djangos_system_check(db, capsys):
    call_command("check")
    assert "System check identified no issues" in capsys.readouterr().out


def test_check_says_when_nothing_was_declared(kanagawa_plan, capsys):
    call_command("check", "--plan", str(kanagawa_plan.pk))
    out = capsys.readouterr().out
    assert "報告書記載の取組数が登録されていません" in out
