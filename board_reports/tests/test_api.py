"""Board reports through the API: a report changed at the version read, the versions a role may
read (leads, board members and auditors: issued ones only), and the issued files sent only while
their SHA-256 is the one recorded. Who may call what is walked by ``tests/test_api_matrix.py``."""

import hashlib
import json

from board_reports.models import BoardReport
from tests.api_calls import state, token_client


def test_a_board_member_reads_only_issued_versions(world):
    client, _ = token_client(world, "board_member")
    listed = client.get("/api/board-report-versions/")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [world.issued_version.pk]
    assert client.get(f"/api/board-report-versions/{world.draft_version.pk}/").status_code == 404
    assert client.get(f"/api/board-reports/{world.draft_report.pk}/").status_code == 404

    keeper, _ = token_client(world)
    versions = keeper.get(f"/api/board-report-versions/?report={world.draft_report.pk}").json()["results"]
    assert [row["id"] for row in versions] == [world.draft_version.pk]


def test_the_issued_files_are_sent_with_their_recorded_sha256(world):
    client, _ = token_client(world, "board_member")
    url = f"/api/board-report-versions/{world.issued_version.pk}/"
    metadata = client.get(url).json()
    assert metadata["issued"] is True and len(metadata["pdf_sha256"]) == 64
    assert "snapshot" not in metadata and "pdf" not in metadata  # the stored path is not the API's

    for fmt in ("pdf", "docx"):
        sent = client.get(f"{url}{fmt}/")
        assert sent.status_code == 200
        body = b"".join(sent.streaming_content)
        assert hashlib.sha256(body).hexdigest() == metadata[f"{fmt}_sha256"]
        assert len(body) == metadata[f"{fmt}_size"]
        assert sent["X-Content-Type-Options"] == "nosniff"


def test_a_file_changed_since_it_was_stored_is_not_sent(world):
    version = world.issued_version
    with version.pdf.storage.open(version.pdf.name, "wb") as handle:
        handle.write(b"%PDF-1.7 not the issued report")
    client, _ = token_client(world, "auditor")

    refused = client.get(f"/api/board-report-versions/{version.pk}/pdf/")

    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("The PDF file of this version cannot be sent: it is changed")
    assert client.get(f"/api/board-report-versions/{world.draft_version.pk}/pdf/").status_code == 404


def test_a_report_is_changed_at_the_version_read_with_the_pages_messages(world):
    client, _ = token_client(world)
    url = f"/api/board-reports/{world.draft_report.pk}/"
    etag = client.get(url)["ETag"]
    before = state()
    refused = client.patch(url, json.dumps({"title": ""}), "application/json", headers={"If-Match": etag})
    assert refused.status_code == 400
    assert refused.json()["errors"]["title"] == ["Enter the report's title."]
    assert state() == before

    saved = client.patch(
        url, json.dumps({"next_steps": "To the January board."}), "application/json", headers={"If-Match": etag}
    )
    assert saved.status_code == 200, saved.content
    assert BoardReport.objects.get(pk=world.draft_report.pk).next_steps == "To the January board."
    again = client.patch(url, json.dumps({"next_steps": "Lost?"}), "application/json", headers={"If-Match": etag})
    assert again.status_code == 412


def test_the_coordinator_generates_and_issues_a_version_that_the_worker_makes(
    world, django_capture_on_commit_callbacks
):
    client, _ = token_client(world)
    url = f"/api/board-reports/{world.draft_report.pk}/"
    lead, _ = token_client(world, "owner")
    before = state()
    # A lead does not see a draft report at all: its address answers as if there were none.
    assert lead.post(f"{url}generate/", "{}", "application/json", headers={"If-Match": "x"}).status_code == 404
    assert state() == before
    etag = client.get(url)["ETag"]
    headers = {"If-Match": etag}
    unknown = client.post(f"{url}generate/", json.dumps({"issue": True}), "application/json", headers=headers)
    assert unknown.status_code == 400 and "issue" in unknown.json()["errors"]  # issuing is its own action
    assert state() == before

    etag = client.get(url)["ETag"]
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued once the write commits
        made = client.post(f"{url}issue/", "{}", "application/json", headers={"If-Match": etag})

    assert made.status_code == 200, made.content
    versions = client.get(f"/api/board-report-versions/?report={world.draft_report.pk}").json()["results"]
    newest = max(versions, key=lambda row: row["number"])
    assert (newest["issued"], newest["state"], newest["requested_by"]) == (True, "done", world.user("coordinator").pk)
    assert len(newest["pdf_sha256"]) == 64  # the task ran inline (the tests' backend): the files are made
    board, _ = token_client(world, "board_member")
    sent = board.get(f"/api/board-report-versions/{newest['id']}/pdf/")
    assert sent.status_code == 200
    assert hashlib.sha256(b"".join(sent.streaming_content)).hexdigest() == newest["pdf_sha256"]
