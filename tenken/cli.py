"""The ``tenken`` console command (docs/cli.md).

``tenken import-plan ...`` runs the Django management command ``import_plan``: hyphens in the command
name become underscores, so every management command is reachable in its documented hyphenated
spelling, also after ``help`` (``tenken help import-national``). ``tenken`` alone (or ``tenken help``,
``tenken -h``) lists the commands in Japanese; ``tenken --version`` prints tenken's version.

Exit codes: 0 success, 1 error (rejected input, missing data, permission), 2 wrong usage (unknown
option or command), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import os
import sys


def _command_name(arg: str) -> str:
    return arg if arg.startswith("-") else arg.replace("-", "_")


def _display_name(name: str) -> str:
    return name.replace("_", "-")


def _first_line(text: str) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


def main_help_text() -> str:
    """The command list: tenken's commands with their one-line help, then Django's by name."""
    from django.core.management import get_commands, load_command_class

    import tenken

    tenken_lines, django_names = [], []
    for name, app in sorted(get_commands().items()):
        if isinstance(app, str) and app.startswith("tenken."):
            try:
                summary = _first_line(load_command_class(app, name).help)
            except Exception:  # a broken command must not hide the list
                summary = ""
            tenken_lines.append(f"  {_display_name(name):<22} {summary}")
        else:
            django_names.append(name)
    lines = [
        f"tenken {tenken.__version__} — 自治体の ICT・デジタル行動計画の点検（PDCA）",
        "",
        "使い方: tenken コマンド [オプション] [引数]",
        "        tenken help コマンド     コマンドの説明とオプション",
        "        tenken --version         バージョン",
        "",
        "tenken のコマンド:",
        *tenken_lines,
        "",
        "Django の管理コマンド（migrate、createsuperuser、collectstatic、runserver など）:",
        "  " + " ".join(_display_name(n) for n in django_names),
        "",
        "終了コード: 0 成功、1 エラー（入力の誤り・権限・データなし）、2 使い方の誤り、130 中断。",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenken.settings")
    args[0] = "tenken"
    rest = args[1:]
    if rest in (["--version"], ["version"]):
        import tenken

        sys.stdout.write(tenken.__version__ + "\n")
        return
    if rest and not rest[0].startswith("-"):
        args[1] = _command_name(args[1])
        if args[1] == "help" and len(args) > 2:
            args[2] = _command_name(args[2])
    from django.core.exceptions import ImproperlyConfigured

    try:
        _run(args)
    except KeyboardInterrupt:
        sys.stderr.write("\n中断しました\n")
        sys.exit(130)
    except ImproperlyConfigured as exc:  # unsafe or missing settings: one clear line, no traceback
        sys.stderr.write(f"tenken: 設定の誤り: {exc}\n")
        sys.exit(2)


def _run(args: list[str]) -> None:
    import django
    from django.conf import settings
    from django.core.management import ManagementUtility, get_commands

    class TenkenUtility(ManagementUtility):
        def main_help_text(self, commands_only: bool = False) -> str:
            if commands_only:
                return "\n".join(sorted(_display_name(n) for n in get_commands()))
            return main_help_text()

        def fetch_command(self, subcommand: str):  # type: ignore[no-untyped-def]
            if subcommand not in get_commands():
                from difflib import get_close_matches

                near = get_close_matches(subcommand, get_commands())
                hint = f"（{_display_name(near[0])} のことですか）" if near else ""
                sys.stderr.write(f"不明なコマンドです: {_display_name(subcommand)}{hint}\n"
                                 "コマンドの一覧は tenken help で表示します。\n")
                sys.exit(2)
            return super().fetch_command(subcommand)

    rest = args[1:]
    if not rest or rest in (["help"], ["--help"], ["-h"]):
        settings.INSTALLED_APPS  # noqa: B018 - configure settings before listing commands
        django.setup()
        sys.stdout.write(main_help_text() + "\n")
        return
    # Django's utility swallows a settings error and then knows only its core commands ("不明なコマンド"):
    # read the settings first so a refused configuration reaches main() as the clear Japanese error.
    settings.INSTALLED_APPS  # noqa: B018
    TenkenUtility(args).execute()


if __name__ == "__main__":
    main()
