"""Reads for jobs."""

from __future__ import annotations

from .models import Job


def jobs_for(*, subject: str) -> list[Job]:
    return list(Job.objects.filter(subject=subject).order_by("-created_at", "-pk"))


def latest_job(*, subject: str) -> Job | None:
    return Job.objects.filter(subject=subject).order_by("-created_at", "-pk").first()
