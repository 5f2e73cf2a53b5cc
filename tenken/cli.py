"""The ``tenken`` console command.

``tenken import-plan ...`` runs the Django management command ``import_plan``: hyphens in the first
argument become underscores, so every management command is reachable in its documented
hyphenated spelling. ``tenken`` alone lists the commands.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenken.settings")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "tenken"
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(args)
    except ImproperlyConfigured as exc:  # unsafe or missing settings: one clear line, no traceback
        sys.stderr.write(f"tenken: 設定の誤り: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
