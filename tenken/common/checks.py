"""System checks of tenken's own settings (``tenken check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register("tenken", deploy=True)
def base_url_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Notices e-mailed outside a request (jobs, commands) link to ``TENKEN_BASE_URL``: warn when it is unset."""
    if getattr(settings, "TENKEN_BASE_URL", ""):
        return []
    return [checks.Warning(
        "TENKEN_BASE_URL が設定されていません。画面の操作以外（ジョブ・コマンド）から送るお知らせメールの"
        "リンクが相対パスになります。",
        hint="環境変数 TENKEN_BASE_URL に利用者が開くアドレスを設定してください（例: https://tenken.pref.example.lg.jp）。",
        id="tenken.W001",
    )]
