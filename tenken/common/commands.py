"""The base class of every ``tenken`` management command (docs/cli.md).

``TenkenCommand`` is Django's ``BaseCommand`` with:

- Japanese help throughout: the base options (``--verbosity``, ``--settings``...), argparse's own
  words (使い方, 位置引数, オプション) and its usage errors, in the command and in its subcommands;
- ``--version`` printing tenken's version, not Django's;
- ``-v 0`` honoured: at verbosity 0 a command's progress and chatter on stdout are dropped (commands whose
  stdout *is* the result set ``result_on_stdout = True``); errors still go to stderr;
- ``self.progress(...)``: a tqdm bar with counts and ETA on stderr, only on a terminal and at verbosity ≥ 1;
- errors printed as ``エラー: ...`` with exit code 1 (usage errors exit 2, see docs/cli.md);
- ``add_user_argument(parser)`` / ``self.acting_user(name)``: a command that writes acts as a named user
  (``--user``, required; an unknown name exits 2, an inactive user is refused like on the web), and a permission the services refuse
  (:class:`~tenken.orgs.access.AccessDenied`) is printed as 「この操作を行う権限がありません: ...」, exit 1.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter, OutputWrapper

import tenken

T = TypeVar("T")

BASE_OPTION_HELP = {
    "--version": "tenken のバージョンを表示して終了します",
    "-v": "出力の詳しさ: 0=最小（エラーのみ）、1=通常（既定）、2=詳細、3=さらに詳細",
    "--settings": "設定モジュール（例: tenken.settings）。省略時は環境変数 DJANGO_SETTINGS_MODULE",
    "--pythonpath": "Python のモジュール検索パスに加えるディレクトリ",
    "--traceback": "エラーのとき Python のスタックトレースをすべて表示します",
    "--no-color": "出力に色を付けません",
    "--force-color": "端末でなくても出力に色を付けます",
    "--skip-checks": "起動時のシステムチェックを省略します",
}
HELP_HELP = "このヘルプを表示して終了します"

_ERRORS = [
    (re.compile(r"^the following arguments are required: (.*)$"), r"次の引数を指定してください: \1"),
    (re.compile(r"^unrecognized arguments: (.*)$"), r"不明な引数です: \1"),
    (re.compile(r"^argument (.*?): invalid choice: (.*?) \(choose from (.*)\)$"),
     r"\1 の値 \2 は使えません（選択肢: \3）"),
    (re.compile(r"^argument (.*?): invalid (int|float) value: (.*)$"), r"\1 の値 \3 は数値ではありません"),
    (re.compile(r"^argument (.*?): expected one argument$"), r"\1 には値を一つ指定してください"),
    (re.compile(r"^argument (.*?): not allowed with argument (.*)$"), r"\1 は \2 と一緒には指定できません"),
]


def translate_usage_error(message: str) -> str:
    """argparse's English usage error in Japanese (unknown messages are returned unchanged)."""
    for pattern, replacement in _ERRORS:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


class JapaneseHelpFormatter(DjangoHelpFormatter):
    """Django's formatter (command options first) with a Japanese usage line."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, prefix="使い方: " if prefix is None else prefix)


def japanese_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Japanese section titles, -h help and usage errors on *parser* and all its subcommand parsers."""
    parser.formatter_class = JapaneseHelpFormatter
    parser._positionals.title = "位置引数"
    parser._optionals.title = "オプション"
    english_error = parser.error

    def error(message: str) -> Any:
        message = translate_usage_error(message)
        if not getattr(parser, "called_from_command_line", False):
            return english_error(message)  # Django raises CommandError (call_command)
        parser.print_usage(sys.stderr)
        parser.exit(2, f"{parser.prog}: エラー: {message}\n")

    parser.error = error  # type: ignore[method-assign]
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = HELP_HELP
        elif isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                japanese_parser(sub)
        elif action.help != argparse.SUPPRESS:
            for option in action.option_strings:
                if option in BASE_OPTION_HELP:
                    action.help = BASE_OPTION_HELP[option]
                    break
    return parser


PERMISSION_REFUSED = "この操作を行う権限がありません"
USER_HELP = "操作する利用者のユーザー名（権限は画面と同じくその人のもの。変更履歴にもその人が記録されます）"


def add_user_argument(parser: argparse.ArgumentParser) -> None:
    """``--user NAME``, required: the person a writing command acts as (docs/cli.md「利用者と権限」)."""
    parser.add_argument("--user", required=True, help=USER_HELP)


def refused_message(message: str) -> str:
    """``AccessDenied``'s message for the console, always starting with 「この操作を行う権限がありません」."""
    if message.startswith(PERMISSION_REFUSED):
        return message
    return f"{PERMISSION_REFUSED}: {message}"


class _NullStream(io.TextIOBase):
    def write(self, s: str) -> int:
        return len(s)

    def isatty(self) -> bool:
        return False


class TenkenCommand(BaseCommand):
    """Base class of tenken's commands: Japanese help, tenken's version, verbosity, progress bars."""

    #: True when stdout carries the command's result (a table, a report), printed even at -v 0.
    result_on_stdout = False
    #: True for a writing command that runs as one transaction: whatever it wrote before a refusal or an error
    #: (e.g. an organization created from the national list on first use) is rolled back with it.
    one_transaction = False
    verbosity = 1

    def get_version(self) -> str:
        return tenken.__version__

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> argparse.ArgumentParser:
        kwargs.setdefault("formatter_class", JapaneseHelpFormatter)
        # prog as the user typed it: "tenken import-national", not "import_national"
        return japanese_parser(super().create_parser(prog_name, subcommand.replace("_", "-"), **kwargs))

    def execute(self, *args: Any, **options: Any) -> Any:
        self.verbosity = int(options.get("verbosity", 1))
        if self.verbosity == 0 and not self.result_on_stdout and "stdout" not in options:
            self.stdout = OutputWrapper(_NullStream())
        try:
            return self._execute_checked(*args, **options)
        except CommandError as exc:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(f"エラー: {exc}")
            sys.exit(exc.returncode)

    def _execute_checked(self, *args: Any, **options: Any) -> Any:
        from tenken.orgs.access import AccessDenied

        try:
            if self.one_transaction:
                from django.db import transaction

                with transaction.atomic():
                    return super().execute(*args, **options)
            return super().execute(*args, **options)
        except AccessDenied as exc:  # a service refused the acting user: exit 1, the database unchanged
            raise CommandError(refused_message(exc.message)) from exc

    def acting_user(self, username: object) -> Any:
        """The user named by ``--user``; an unknown name is a usage error (exit 2). Whether that user may act
        is for the services to decide (an inactive user is refused by every access check)."""
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=str(username)).first()
        if user is None:
            raise CommandError(f"ユーザー「{username}」は登録されていません（--user には登録済みのユーザー名を指定してください）",
                               returncode=2)
        return user

    def detail(self, message: str) -> None:
        """A line printed at -v 2 and above."""
        if self.verbosity >= 2:
            self.stdout.write(message)

    def progress(self, iterable: Iterable[T] | None = None, *, total: int | None = None, desc: str = "",
                 unit: str = "件") -> Iterator[T] | Any:
        """A progress bar (count, rate, ETA) on stderr; a silent pass-through when not on a terminal."""
        return progress_bar(iterable, total=total, desc=desc, unit=unit, verbosity=self.verbosity)


def progress_bar(iterable: Iterable[T] | None = None, *, total: int | None = None, desc: str = "",
                 unit: str = "件", verbosity: int = 1, stream: Any = None) -> Any:
    """tqdm on *stream* (stderr), disabled at verbosity 0 or when the stream is not a terminal.

    Used as an iterable wrapper or, without *iterable*, as an object with ``update(n)`` and ``close()``.
    """
    from tqdm import tqdm

    stream = sys.stderr if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    disable = verbosity < 1 or not (callable(isatty) and isatty())
    # a terminal that reports no size (0×0, e.g. under script(1)) would get a hidden bar
    size = shutil.get_terminal_size((100, 24))
    return tqdm(iterable, total=total, desc=desc, unit=unit, file=stream, disable=disable,
                ncols=min(size.columns, 120), nrows=max(size.lines, 2), mininterval=0.2)
