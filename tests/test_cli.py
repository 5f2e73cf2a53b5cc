"""The ``tenken`` console command: version, help in Japanese for every command, -v, progress, exit codes."""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands, load_command_class

from tenken.cli import main

ROOT = Path(__file__).resolve().parent.parent
TENKEN = str(Path(sys.executable).with_name("tenken"))
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
ENGLISH = ["usage:", "show this help", "options:", "positional arguments", "Show program", "Verbosity level",
           "Skip system checks", "Unknown command"]


def tenken_commands() -> list[str]:
    return sorted(name for name, app in get_commands().items() if app.startswith("tenken."))


def _actions(parser: argparse.ArgumentParser, path: str):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _actions(sub, f"{path} {name}")
        elif action.help != argparse.SUPPRESS:
            yield path, action


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TENKEN_")}
    # the production environment of docs/operations.md: a secret key, DEBUG off
    return {**env, "TENKEN_STATE_DIR": str(tmp_path / "state"), "TENKEN_DB": "sqlite",
            "TENKEN_SECRET_KEY": "cli-test-" + "k" * 50}


def test_refused_settings_are_reported_not_an_unknown_command(tmp_path):
    env = {k: v for k, v in _env(tmp_path).items() if k != "TENKEN_SECRET_KEY"}
    proc = subprocess.run([TENKEN, "synth", "--help"], capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=120)
    assert proc.returncode == 2
    assert "設定の誤り" in proc.stderr and "TENKEN_SECRET_KEY" in proc.stderr
    assert "不明なコマンド" not in proc.stderr and "Traceback" not in proc.stderr


def test_version_is_tenkens(capsys):
    main(["tenken", "--version"])
    assert capsys.readouterr().out.strip() == importlib.metadata.version("tenken")


def test_command_list_is_japanese_and_names_every_command(capsys):
    main(["tenken"])
    out = capsys.readouterr().out
    assert "tenken のコマンド:" in out and "終了コード" in out
    for name in tenken_commands():
        assert f"  {name.replace('_', '-')} " in out
    assert not [w for w in ENGLISH if w in out]


def test_every_tenken_command_and_option_has_japanese_help():
    names = tenken_commands()
    assert {"synth", "import_national", "report", "survey", "setup_demo", "opendata"} <= set(names)
    missing = []
    for name in names:
        command = load_command_class(get_commands()[name], name)
        if not CJK.search(command.help or ""):
            missing.append(f"{name}: help")
        for path, action in _actions(command.create_parser("tenken", name), name):
            if not action.help or not CJK.search(action.help):
                missing.append(f"{path} {action.option_strings or action.dest}: {action.help!r}")
    assert missing == []


@pytest.mark.parametrize("name", tenken_commands())
def test_help_command_exits_0_in_japanese(name, capsys):
    display = name.replace("_", "-")
    main(["tenken", "help", display])  # the hyphenated spelling, as documented
    out = capsys.readouterr().out
    assert out.startswith(f"使い方: tenken {display} ")
    assert "オプション:" in out and "このヘルプを表示して終了します" in out
    assert not [w for w in ENGLISH if w in out], out


def test_help_from_the_installed_entry_point(tmp_path):
    proc = subprocess.run([TENKEN, "help", "import-national"], capture_output=True, text=True,
                          env=_env(tmp_path), cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "使い方: tenken import-national" in proc.stdout and "一括で取り込みます" in proc.stdout


def test_usage_errors_exit_2_in_japanese(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["tenken", "synth", "--orgs", "多い", "-o", "x"])
    assert exc.value.code == 2
    assert "--orgs の値 '多い' は数値ではありません" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["tenken", "import-natinal"])
    assert exc.value.code == 2
    assert "不明なコマンドです: import-natinal（import-national のことですか）" in capsys.readouterr().err


@pytest.mark.django_db
def test_command_errors_exit_1_in_japanese(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["tenken", "report", "--plan", "999999", "--format", "html", "-o", str(tmp_path / "r.html")])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("エラー: ") and "CommandError" not in err


@pytest.mark.parametrize(("verbosity", "lines"), [("0", 0), ("1", 1), ("2", 6)])
def test_synth_honours_verbosity(verbosity, lines, tmp_path, capsys):
    main(["tenken", "synth", "--orgs", "5", "--initiatives", "3", "--years", "2", "--format", "csv",
          "-o", str(tmp_path / "out"), "-v", verbosity])
    out = capsys.readouterr().out
    assert len(out.splitlines()) == lines, out
    assert len(list((tmp_path / "out").glob("*.csv"))) == 5


SYNTH = ["synth", "--orgs", "150", "--initiatives", "3", "--years", "2", "--format", "csv"]


def test_progress_bar_on_a_terminal(tmp_path):
    """stderr a pty: the bar shows count/total, rate and ETA."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([TENKEN, *SYNTH, "-o", str(tmp_path / "out")], stdout=subprocess.PIPE,
                            stderr=slave, env=_env(tmp_path), cwd=tmp_path)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=120) == 0
    tty = b"".join(chunks).decode("utf-8", "replace")
    assert "合成: 100%" in tty and "150/150" in tty and "団体/s" in tty, tty
    assert re.search(r"\[\d\d:\d\d<\d\d:\d\d", tty), tty  # elapsed<remaining (ETA)
    assert "団体分" in proc.stdout.read().decode()


def test_no_progress_bar_in_a_pipe(tmp_path):
    proc = subprocess.run([TENKEN, *SYNTH, "-o", str(tmp_path / "out")], capture_output=True, text=True,
                          env=_env(tmp_path), cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.startswith("150 団体分")


@pytest.mark.django_db
def test_report_for_several_plans_writes_one_file_each_into_a_folder(kanagawa_plan, tmp_path, capsys, monkeypatch):
    # each command closes the database connections when it ends; here two run inside one test transaction
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    pk = str(kanagawa_plan.pk)
    call_command("report", "--plan", pk, "--format", "html", "-o", str(tmp_path / "r.html"), "-v", "0")
    assert capsys.readouterr().out == "" and (tmp_path / "r.html").stat().st_size > 1000
    # last: main() closes the database connection at its end, as Django's command line does
    main(["tenken", "report", "--plan", pk, pk, "--format", "xlsx", "-o", str(tmp_path / "out")])
    assert capsys.readouterr().out.strip() == f"2 件の報告書を {tmp_path / 'out'} に書き出しました"
    assert [p.name for p in (tmp_path / "out").iterdir()] == [f"report-{pk}.xlsx"]
