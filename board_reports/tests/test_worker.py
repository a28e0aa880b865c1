"""The real queue: a version's task waits in the database until ``manage.py db_worker`` runs it
(committed data, as the worker, a process of its own in production, needs)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from board_reports import services
from board_reports.models import BoardReport, ReportVersion, State
from core.roles import Role


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_generates_what_the_page_queued(settings, make_user):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    coordinator = make_user(Role.COORDINATOR, username="report.worker.coordinator")
    report = BoardReport.objects.create(
        meeting_date=datetime.date(2027, 1, 13),
        lead_executive="Martyn Ward",
        author="Ben Cahill",
        recommendation="Note.",
        executive_summary="Summary.",
        created_by=coordinator,
    )
    version = services.request_version(report, coordinator, issue=True)
    assert ReportVersion.objects.get(pk=version.pk).state == State.QUEUED
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())

    version.refresh_from_db()
    assert version.state == State.DONE and version.issued
    assert services.download(version, "pdf").streaming_content
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
