"""Six people upload a document to the same agreement at the same moment, on a SQLite file.

Run as ``python -m tests.concurrent_uploads`` with ``DATABASE_URL`` naming an empty SQLite file
and ``DOCUMENT_STORAGE_DIR`` a folder (``tests/test_sqlite_concurrency.py`` does). It migrates the
database, adds a partnership and an agreement, then six threads, each with its own database
connection and its own signed-in session, post an upload together through the whole request
handling (middleware, audit trail, document store). It prints what each got back, as JSON.
"""

import json
import os
import threading

import django

UPLOADERS = 6


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Role, User
    from agreements.models import Agreement
    from core.audit import audit_context
    from partnerships.models import Partnership
    from tests.world import pdf_upload

    call_command("migrate", verbosity=0)
    coordinator = User.objects.create(username="coordinator", role=Role.COORDINATOR, first_name="Ben")
    with audit_context(user=coordinator, source="test"):
        partnership = Partnership.objects.create(title="Doncaster Place Partnership", arrangement_type="alliance")
        agreement = Agreement.objects.create(partnership=partnership, kind="mou", title="Doncaster MoU")
    url = reverse("agreements:document_add", args=[agreement.pk])
    mode = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
    connection.close()

    together = threading.Barrier(UPLOADERS)
    answers = [None] * UPLOADERS

    def upload(n):
        client = Client(raise_request_exception=False)
        client.force_login(coordinator)
        together.wait()
        try:
            file = pdf_upload(f"Board paper {n}.pdf", marker=f"% uploader {n}")
            response = client.post(url, {"title": f"Board paper {n}", "kind": "draft", "file": file})
            answers[n] = response.status_code
        except Exception as error:
            answers[n] = f"{type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(UPLOADERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    versions = sorted(agreement.documents.values_list("version", flat=True))
    print(json.dumps({"journal_mode": mode, "answers": answers, "versions": versions}))


if __name__ == "__main__":
    main()
