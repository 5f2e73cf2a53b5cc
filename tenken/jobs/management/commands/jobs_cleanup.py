"""``tenken jobs-cleanup`` — remove the working files of finished background jobs after their retention."""

from tenken.common.commands import TenkenCommand
from tenken.jobs.files import cleanup, retention_hours, root


class Command(TenkenCommand):
    requires_system_checks: list[str] = []
    help = ("終了したバックグラウンド処理の作業ファイル（作成した ZIP など）を、保存期間"
            "（TENKEN_JOB_FILE_RETENTION_HOURS）を過ぎたら削除します。待機中・実行中の処理のファイルは残します。")

    def handle(self, *args: object, **opts: object) -> None:
        removed = cleanup()
        self.stdout.write(f"{root()} の作業ファイルを {len(removed)} 件削除しました（保存期間 {retention_hours()} 時間）")
