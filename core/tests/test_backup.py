"""``manage.py backup`` and ``manage.py restore`` (``core.backup``) on the test database's vendor.

The backup runs in this process on committed data (transactional tests: pg_dump and the SQLite
online backup read what is committed); each restore runs as ``manage.py restore`` in a process of
its own, pointed by ``DATABASE_URL`` and ``DOCUMENT_STORAGE_DIR`` at a new target: a temporary
SQLite file, or a database created for the test on the same PostgreSQL server and dropped after.
"""

import gzip
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction

from core import backup
from core.documents import document_storage
from core.roles import Role

VENDOR = connection.vendor


def postgres_connect(name):
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(
        dbname=name, host=s["HOST"] or None, port=s["PORT"] or None, user=s["USER"] or None, password=s["PASSWORD"]
    )


def postgres_url(name):
    s = connection.settings_dict
    password = f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else ""
    return f"postgres://{quote(s['USER'] or '')}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


class Target:
    """A new, empty database of the test database's vendor and a documents folder that does not
    exist yet, for ``manage.py restore``."""

    def __init__(self, tmp_path):
        self.documents = tmp_path / "restored-documents"
        if VENDOR == "sqlite":
            self.path = tmp_path / "restored.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            self.name = f"accord_restore_{uuid.uuid4().hex[:12]}"
            with postgres_connect("postgres") as admin:
                admin.autocommit = True
                admin.execute(f'CREATE DATABASE "{self.name}"')
            self.url = postgres_url(self.name)

    def drop(self):
        if VENDOR == "postgresql":
            with postgres_connect("postgres") as admin:
                admin.autocommit = True
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def connect(self):
        return sqlite3.connect(self.path) if VENDOR == "sqlite" else postgres_connect(self.name)

    def summary(self):
        """Every table's row count and checksum; ``{}`` for a database with no table."""
        if VENDOR == "sqlite" and not self.path.exists():
            return {}
        db = self.connect()
        try:
            return backup.database_summary(db, VENDOR)
        finally:
            db.close()

    def restore(self, archive, *options):
        return run_restore(archive, self.url, self.documents, *options)


def run_restore(archive, url, documents, *options):
    """``manage.py restore`` in a process of its own, into the database at ``url``."""
    env = {**os.environ, "DATABASE_URL": url, "DOCUMENT_STORAGE_DIR": str(documents)}
    return subprocess.run(  # noqa: S603 (this Python, this manage.py)
        [sys.executable, "manage.py", "restore", str(archive), *options],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def target(tmp_path):
    made = Target(tmp_path)
    yield made
    made.drop()


def live_summary():
    """Every table of the test database, as the backup's manifest describes them."""
    with transaction.atomic():
        return backup.database_summary(connection.connection, VENDOR)


def file_hashes(root):
    root = Path(root)
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def small_register(make_user, tag):
    """A user and two documents, committed: enough for an archive to hold a database and files."""
    make_user(Role.COORDINATOR, username=f"backup.{tag}.{uuid.uuid4().hex[:6]}")
    storage = document_storage()
    storage.save("agreements/aa/" + "a" * 64, ContentFile(b"%PDF-1.4 an agreement\n" * 40))
    storage.save("board_reports/bb/" + "b" * 64 + ".pdf", ContentFile(b"%PDF-1.4 a board report\n" * 40))


def rewrite(archive, out, change):
    """Copy an archive member by member, ``change(name, data)`` returning new bytes or None (left out)."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(out, "w:gz") as copy:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            if data is None:
                continue
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return out


def refused_and_untouched(result, target, before=None):
    """The restore failed with a message and no traceback, and the target is as it was."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert target.summary() == (before or {})
    assert not target.documents.exists() or not any(p.is_file() for p in target.documents.rglob("*"))
    assert not [p for p in target.documents.parent.iterdir() if p.name.startswith(".accord-restore-")]
    return result.stderr


def refused_and_untouched_full(result, target, summary, files):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert target.summary() == summary
    assert file_hashes(target.documents) == files
    return result.stderr


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_holds_every_row_and_file_of_the_original(tmp_path, storage_dir, target):
    call_command("seed_demo", stdout=io.StringIO())
    before, files_before = live_summary(), file_hashes(storage_dir)
    assert sum(t["rows"] for t in before.values()) > 1000
    assert any(name.startswith("board_reports/") for name in files_before)
    assert any(name.startswith("assurance/") for name in files_before)

    out = io.StringIO()
    call_command("backup", str(tmp_path / "accord.tar.gz"), stdout=out)
    assert "Backup written to" in out.getvalue()
    with tarfile.open(tmp_path / "accord.tar.gz", "r:gz") as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile(backup.MANIFEST).read())
    assert names[0] == backup.MANIFEST
    assert manifest["database"]["vendor"] == VENDOR
    assert manifest["accord"]["version"]
    assert manifest["database"]["tables"] == before
    documents = {
        n[len("documents/") :]: e["sha256"] for n, e in manifest["files"].items() if n.startswith("documents/")
    }
    assert documents == files_before
    assert set(names) == {backup.MANIFEST, *manifest["files"]}

    result = target.restore(tmp_path / "accord.tar.gz")
    assert result.returncode == 0, result.stderr
    assert "match the manifest's counts and checksums" in result.stdout

    # Every table: the same rows, the same content; every document: the same bytes.
    assert target.summary() == before
    assert file_hashes(target.documents) == files_before
    assert oct(target.documents.stat().st_mode & 0o777) == oct(0o700)

    # What an administrator would look at: the same accounts and password hashes, the same audit trail.
    db = target.connect()
    try:
        with db:
            restored_users = db.execute("SELECT username, password FROM accounts_user ORDER BY username").fetchall()
            audit = db.execute("SELECT count(*) FROM core_auditentry").fetchone()[0]
    finally:
        db.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT username, password FROM accounts_user ORDER BY username")
        assert [tuple(row) for row in restored_users] == [tuple(row) for row in cursor.fetchall()]
        cursor.execute("SELECT count(*) FROM core_auditentry")
        assert audit == cursor.fetchone()[0] > 0

    # The audit trail is still append-only in the restored database: its trigger came with it.
    db = target.connect()
    try:
        with pytest.raises(Exception, match="append-only"), db:
            db.execute("UPDATE core_auditentry SET object_label = 'changed'")
    finally:
        db.close()

    # The checksum sees a changed row: one edit in the restored copy changes that table's only.
    db = target.connect()
    try:
        with db:
            db.execute(
                "UPDATE partnerships_partnership SET title = title || ' (edited)' "
                "WHERE id = (SELECT min(id) FROM partnerships_partnership)"
            )
    finally:
        db.close()
    after_edit = target.summary()
    changed = [name for name in before if after_edit[name] != before[name]]
    assert changed == ["partnerships_partnership"]

    # A second restore into the now full target is refused and changes nothing.
    stderr = refused_and_untouched_full(target.restore(tmp_path / "accord.tar.gz"), target, after_edit, files_before)
    assert "is not empty" in stderr
    assert "Restore only into a new, empty database" in stderr


@pytest.fixture
def archive(tmp_path, make_user):
    small_register(make_user, "archive")
    result = backup.backup(tmp_path / "accord.tar.gz")
    assert len(result.manifest["files"]) == 3
    return result.path


@pytest.mark.django_db(transaction=True)
def test_a_changed_document_in_the_archive_is_refused_and_nothing_is_written(tmp_path, archive, target):
    def tamper(name, data):
        if name.startswith("documents/agreements/"):
            return data[:-2] + b"X\n"  # same size, different bytes
        return data

    result = target.restore(rewrite(archive, tmp_path / "tampered.tar.gz", tamper))
    stderr = refused_and_untouched(result, target)
    assert "documents/agreements/aa/" in stderr
    assert "does not match its manifest" in stderr
    assert "Nothing was restored" in stderr


@pytest.mark.django_db(transaction=True)
def test_a_changed_database_dump_is_refused(tmp_path, archive, target):
    def tamper(name, data):
        return data[:100] + bytes([data[100] ^ 1]) + data[101:] if name.startswith("database/") else data

    stderr = refused_and_untouched(target.restore(rewrite(archive, tmp_path / "tampered.tar.gz", tamper)), target)
    assert "database/accord." in stderr
    assert "does not match its manifest" in stderr


@pytest.mark.django_db(transaction=True)
def test_a_truncated_archive_is_refused_and_nothing_is_written(tmp_path, archive, target):
    data = archive.read_bytes()
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(data[: len(data) * 2 // 3])

    stderr = refused_and_untouched(target.restore(truncated), target)
    assert "damaged or incomplete" in stderr
    assert "Nothing was restored" in stderr
    # --check says the same without a target
    assert "damaged or incomplete" in target.restore(truncated, "--check").stderr


@pytest.mark.django_db(transaction=True)
def test_an_archive_missing_a_member_is_refused(tmp_path, archive, target):
    def drop_report(name, data):
        return None if name.startswith("documents/board_reports/") else data

    stderr = refused_and_untouched(target.restore(rewrite(archive, tmp_path / "short.tar.gz", drop_report)), target)
    assert "is missing documents/board_reports/bb/" in stderr


@pytest.mark.django_db(transaction=True)
def test_a_file_that_is_not_an_archive_is_refused(tmp_path, target):
    not_archive = tmp_path / "register.tar.gz"
    not_archive.write_bytes(gzip.compress(b"not a tar file at all" * 100))
    stderr = refused_and_untouched(target.restore(not_archive), target)
    assert "damaged or incomplete" in stderr or "not an Accord backup" in stderr


@pytest.mark.django_db(transaction=True)
def test_an_archive_of_a_newer_accord_is_refused(tmp_path, archive, target):
    def from_the_future(name, data):
        if name != backup.MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["database"]["migrations"].append("core.9999_from_the_future")
        return json.dumps(manifest).encode()

    stderr = refused_and_untouched(target.restore(rewrite(archive, tmp_path / "newer.tar.gz", from_the_future)), target)
    assert "made by a newer Accord" in stderr
    assert "core.9999_from_the_future" in stderr


@pytest.mark.django_db(transaction=True)
def test_a_target_that_holds_data_is_refused_and_keeps_it(tmp_path, archive, target):
    db = target.connect()
    try:
        with db:
            db.execute("CREATE TABLE notes (body text)")
            db.execute("INSERT INTO notes VALUES ('keep me')")
    finally:
        db.close()
    before = target.summary()
    assert before["notes"]["rows"] == 1

    stderr = refused_and_untouched(target.restore(archive), target, before)
    assert "is not empty" in stderr
    assert "notes" in stderr


@pytest.mark.django_db(transaction=True)
def test_a_documents_folder_that_holds_files_is_refused(tmp_path, archive, target):
    target.documents.mkdir()
    (target.documents / "someone-elses.pdf").write_bytes(b"%PDF")
    result = target.restore(archive)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "already holds files" in result.stderr
    assert target.summary() == {}
    assert [p.name for p in target.documents.iterdir()] == ["someone-elses.pdf"]


@pytest.mark.django_db(transaction=True)
def test_an_archive_of_another_database_vendor_is_refused(tmp_path, archive, target):
    other = tmp_path / "other.sqlite3"
    if VENDOR == "sqlite":
        url, archive_vendor, target_vendor = postgres_url_of_nowhere(), "SQLite", "PostgreSQL"
    else:
        url, archive_vendor, target_vendor = f"sqlite:///{other}", "PostgreSQL", "SQLite"
    result = run_restore(archive, url, target.documents)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"made from a {archive_vendor} database and the target is {target_vendor}" in result.stderr
    assert not other.exists()
    assert not target.documents.exists()


def postgres_url_of_nowhere():
    """A PostgreSQL target that is never connected to: the vendor is refused first."""
    return "postgres://accord@127.0.0.1:5432/accord_never_created"


@pytest.mark.django_db(transaction=True)
def test_backup_refuses_to_overwrite_an_archive_and_names_one_in_a_folder(tmp_path, make_user):
    small_register(make_user, "folder")
    existing = tmp_path / "accord.tar.gz"
    existing.write_bytes(b"yesterday's backup")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(existing), stdout=io.StringIO())
    assert existing.read_bytes() == b"yesterday's backup"

    folder = tmp_path / "backups"
    folder.mkdir()
    call_command("backup", str(folder), stdout=io.StringIO())
    [written] = folder.iterdir()
    assert written.name.startswith("accord-") and written.name.endswith(".tar.gz")
    assert oct(written.stat().st_mode & 0o777) == oct(0o600)
    assert backup.check_archive(written)["database"]["vendor"] == VENDOR
