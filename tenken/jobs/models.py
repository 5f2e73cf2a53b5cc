"""A long piece of work started from the web (report rendering at publication, large imports …).

The queue itself is django-tasks (``settings.TASKS``; the database backend ``django_tasks_db`` by
default, worked by ``tenken db_worker``). A :class:`Job` is tenken's own record of the work, for the
pages: what it is, who started it, its progress and, when it failed, why — in Japanese.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "待機中"
        RUNNING = "running", "実行中"
        DONE = "done", "完了"
        FAILED = "failed", "失敗"

    kind = models.CharField("処理の種類", max_length=50)
    title = models.CharField("処理", max_length=200)
    subject = models.CharField("対象", max_length=100, blank=True, db_index=True, help_text="例: publication:3")
    payload = models.JSONField("引数", default=dict, blank=True)
    state = models.CharField("状態", max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField("進捗（%）", default=0)
    step = models.CharField("いまの段階", max_length=200, blank=True)
    message = models.TextField("結果・失敗の理由", blank=True)
    result = models.JSONField("結果", default=dict, blank=True)
    task_id = models.CharField("タスクID", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="開始した者", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="団体", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="処理の対象の団体: 開始した者のほか、この団体の管理者が処理の画面を見られます",
    )
    created_at = models.DateTimeField("開始日時", auto_now_add=True)
    started_at = models.DateTimeField("実行開始", null=True, blank=True)
    finished_at = models.DateTimeField("終了日時", null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        "最後の応答", null=True, blank=True,
        help_text="実行中の処理が定期的に書く時刻。TENKEN_JOB_HEARTBEAT_TIMEOUT_SECONDS より古いままなら、"
                  "処理していたプロセスが止まったとみなして失敗にします（tenken.jobs.services.jobs_fail_lost）",
    )
    retry_of = models.ForeignKey(
        "self", verbose_name="再実行の元の処理", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries",
    )

    class Meta:
        verbose_name = "バックグラウンド処理"
        verbose_name_plural = "バックグラウンド処理"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_state_display()}）"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("jobs:detail", args=[self.pk])

    LOST_MESSAGE = ("処理を実行していたプロセスが途中で止まったため、処理を中断しました（最後の応答: {last}）。"
                    "何も書き込んでいません。「再実行」でもう一度実行できます。")

    @property
    def lost(self) -> bool:
        """Failed because its worker died (the inputs are still there: it can be run again)."""
        return self.state == self.State.FAILED and bool((self.result or {}).get("lost"))

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
