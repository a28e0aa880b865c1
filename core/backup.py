"""Backup and restore: one archive holding the database, the documents and a manifest.

``manage.py backup PATH`` (:func:`backup`) writes a gzipped tar archive whose members are, in
this order:

- ``manifest.json``: what the archive holds and how to check it (:func:`make_manifest`): the
  Accord version and commit, the database vendor, every table's row count and content checksum,
  and every other member's SHA-256 and size;
- ``database/accord.pgdump`` (PostgreSQL: ``pg_dump`` custom format) or
  ``database/accord.sqlite3`` (SQLite: a copy made with the online backup API,
  ``sqlite3.Connection.backup``);
- ``documents/…``: every file under ``settings.DOCUMENT_STORAGE_DIR`` (uploaded documents,
  evidence, issued board reports' Word and PDF files), by its path there.

The database is one consistent snapshot. On PostgreSQL the backup opens a repeatable-read
transaction, exports its snapshot, has ``pg_dump --snapshot`` dump exactly that snapshot and
counts and checksums the tables in the same transaction; on SQLite the online backup copies the
database as of one moment, and the manifest is computed from that copy. The documents are copied
after the snapshot: a document's file is written before the row that records it is committed
(``core.documents``), and files are never changed or removed, so every file the snapshot refers
to is in the archive (a file uploaded during the backup may be there too, unreferenced: harmless).
Register files staged for import (``IMPORT_STAGING_DIR``) are transient and not included.

A table's checksum is the SHA-256 of each row's text (PostgreSQL: the row cast to ``text``;
SQLite: each column's ``quote()``), added together modulo 2**256, so it does not depend on the
order rows come back in. It is computed by the database's own text form of the values, so it
compares a table on the same vendor only, which is all a restore needs.

``manage.py restore PATH`` (:func:`restore`) refuses, before writing anything:

- an archive that is not one (no manifest first), or was made on another database vendor than
  the target's;
- a target database that is not empty. *Empty* means no tables, views, sequences or functions
  (PostgreSQL: in any schema but the system ones; SQLite: a missing or zero-length file, or one
  without a table). A freshly migrated database is **not** empty: ``migrate`` writes rows
  (content types, permissions, the shipped self-assessment template, the default IG matrix…)
  that the archive holds too, and a restore reproduces the archive exactly, nothing merged. So
  restore into a new database (``createdb``, or a new SQLite file) and do not migrate it first;
- a documents folder that holds a file;
- a damaged archive: truncated or unreadable, a member missing, a member not in the manifest,
  or a member whose size or SHA-256 differs from the manifest. Every member is read and checked
  into a staging folder before the target is touched.

It then restores the database (``pg_restore --single-transaction --exit-on-error``, owners and
privileges left to the restoring role; SQLite: the copy replaces the target file), which keeps
the append-only triggers (``core.append_only``) as they were, checks every table's row count and
checksum against the manifest (on SQLite before the file is put in place; on PostgreSQL after,
emptying the database again if they differ), and finally moves the documents into place.

Errors are :class:`BackupError` with a message for the administrator; the commands show them
without a traceback.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
import zlib
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction

FORMAT = "accord-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DOCUMENTS = "documents/"
DATABASE_MEMBERS = {"postgresql": "database/accord.pgdump", "sqlite": "database/accord.sqlite3"}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


# ---------------------------------------------------------------------------------------------
# What is in a database: every table's row count and content checksum


def _add_digest(total, text):
    return (total + int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")) % 2**256


def _quote(name):
    return '"' + name.replace('"', '""') + '"'


def sqlite_tables(db):
    """Every table of a SQLite database (a DB-API connection), SQLite's own left out."""
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name")
    return [name for (name,) in rows]


def _sqlite_summary(db):
    tables = {}
    for table in sqlite_tables(db):
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({_quote(table)})")]
        select = " || ',' || ".join(f"quote({_quote(c)})" for c in columns) or "''"
        count, total = 0, 0
        for (text,) in db.execute(f"SELECT {select} FROM {_quote(table)}"):  # noqa: S608 (names from the schema)
            count += 1
            total = _add_digest(total, text)
        tables[table] = {"rows": count, "checksum": f"{total:064x}"}
    return tables


POSTGRES_TABLES = """
    SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
    ORDER BY n.nspname, c.relname
"""


def _postgres_summary(db):
    """``db`` is a psycopg connection inside a transaction (rows are read through a server-side
    cursor, never all at once)."""
    with db.cursor() as cursor:
        cursor.execute(POSTGRES_TABLES)
        names = cursor.fetchall()
    tables = {}
    for schema, table in names:
        label = table if schema == "public" else f"{schema}.{table}"
        count, total = 0, 0
        with db.cursor(name="accord_backup_rows") as rows:
            rows.itersize = 5000
            rows.execute(f"SELECT accord_row::text FROM {_quote(schema)}.{_quote(table)} AS accord_row")  # noqa: S608
            for (text,) in rows:
                count += 1
                total = _add_digest(total, text)
        tables[label] = {"rows": count, "checksum": f"{total:064x}"}
    return tables


def database_summary(db, vendor):
    """``{table: {"rows": n, "checksum": hex}}`` of a database, from a DB-API connection
    (``sqlite3`` or ``psycopg``; a PostgreSQL one inside a transaction)."""
    if vendor == "sqlite":
        return _sqlite_summary(db)
    if vendor == "postgresql":
        return _postgres_summary(db)
    raise BackupError(f"Backup and restore support PostgreSQL and SQLite, not {vendor}.")


# ---------------------------------------------------------------------------------------------
# Files


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def storage_files(root=None):
    """``{relative path: {"sha256", "size"}}`` of every file under the documents folder."""
    root = Path(root or settings.DOCUMENT_STORAGE_DIR)
    files = {}
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
            files[path.relative_to(root).as_posix()] = {"sha256": sha256_file(path), "size": path.stat().st_size}
    return files


# ---------------------------------------------------------------------------------------------
# PostgreSQL client tools


def _pg_tool(name, server_version_num):
    """``pg_dump`` / ``pg_restore`` of the server's major version (they must match it)."""
    major = server_version_num // 10000
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin/{name}"), shutil.which(name)]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            out = subprocess.run([candidate, "--version"], capture_output=True, text=True, check=False).stdout  # noqa: S603
            version = out.split()[-1] if out.split() else ""
            if version.split(".")[0] == str(major):
                return str(candidate)
    raise BackupError(
        f"{name} for PostgreSQL {major} was not found: install the PostgreSQL {major} client tools "
        f"(Debian: postgresql-client-{major}); {name} must match the server's major version."
    )


def _pg_arguments(settings_dict):
    """Connection arguments and environment for the client tools, from Django's settings."""
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return [*args, "--no-password"], env


def _run(command, env, what):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what} failed: {' '.join(detail[-3:]) or f'exit status {result.returncode}'}")


# ---------------------------------------------------------------------------------------------
# Backup


def accord_version():
    """The version in pyproject.toml and the git commit (when Accord runs from a checkout)."""
    version = None
    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    if pyproject.exists():
        version = tomllib.loads(pyproject.read_text()).get("project", {}).get("version")
    commit = os.environ.get("ACCORD_COMMIT") or None
    if commit is None and shutil.which("git"):
        result = subprocess.run(  # noqa: S603 (git, on Accord's own folder)
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        commit = result.stdout.strip() or None if result.returncode == 0 else None
    return {"version": version, "commit": commit}


@dataclass
class Snapshot:
    """The database dumped to ``path`` and what it holds."""

    path: Path
    vendor: str
    server_version: str
    tables: dict = field(default_factory=dict)
    migrations: list = field(default_factory=list)


def applied_migrations(db):
    """``["app.name", …]`` applied in a database (a DB-API connection), sorted."""
    cursor = db.cursor()
    try:
        cursor.execute("SELECT app, name FROM django_migrations")
        return sorted(f"{app}.{name}" for app, name in cursor.fetchall())
    finally:
        cursor.close()


def snapshot_database(folder, using="default"):
    """Dump the database into ``folder`` as one consistent snapshot, with its tables' summary."""
    db = connections[using]
    if db.in_atomic_block:
        raise BackupError("A backup cannot run inside a transaction: run it on its own.")
    db.ensure_connection()
    if db.vendor == "sqlite":
        path = Path(folder) / "accord.sqlite3"
        target = sqlite3.connect(path)
        try:
            db.connection.backup(target)
        finally:
            target.close()
        copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables, migrations = database_summary(copy, "sqlite"), applied_migrations(copy)
        finally:
            copy.close()
        return Snapshot(path, "sqlite", sqlite3.sqlite_version, tables, migrations)
    if db.vendor == "postgresql":
        path = Path(folder) / "accord.pgdump"
        dump = _pg_tool("pg_dump", db.pg_version)
        args, env = _pg_arguments(db.settings_dict)
        with transaction.atomic(using=using), db.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            command = [dump, *args, "--format=custom", f"--snapshot={snapshot}", f"--file={path}"]
            _run([*command, "--dbname", db.settings_dict["NAME"]], env, "pg_dump")
            tables = database_summary(db.connection, "postgresql")
            migrations = applied_migrations(db.connection)
        return Snapshot(path, "postgresql", server_version, tables, migrations)
    raise BackupError(f"Backup supports PostgreSQL and SQLite, not {db.vendor}.")


def make_manifest(snapshot, files, version=None):
    """The manifest: what the archive holds (``files``: member name → sha256 and size)."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "accord": version or accord_version(),
        "database": {
            "vendor": snapshot.vendor,
            "server_version": snapshot.server_version,
            "member": DATABASE_MEMBERS[snapshot.vendor],
            "tables": snapshot.tables,
            "migrations": snapshot.migrations,
        },
        "files": files,
    }


class _HashingReader:
    """Reads a file for tarfile, hashing what is read."""

    def __init__(self, f):
        self.f, self.digest, self.size = f, hashlib.sha256(), 0

    def read(self, n=-1):
        block = self.f.read(n)
        self.digest.update(block)
        self.size += len(block)
        return block


def _add_file(tar, name, path, expected):
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = expected["size"], 0o600, int(path.stat().st_mtime)
    with open(path, "rb") as f:
        reader = _HashingReader(f)
        tar.addfile(info, reader)
    if reader.digest.hexdigest() != expected["sha256"] or reader.size != expected["size"]:
        raise BackupError(f"{path} changed while it was being backed up: run the backup again.")


def archive_path(path, now=None):
    """Where the archive goes: ``path``, or a dated name inside it when it is a folder."""
    path = Path(path)
    if path.is_dir():
        now = now or datetime.datetime.now(datetime.UTC)
        path = path / f"accord-{now:%Y%m%d-%H%M%S}.tar.gz"
    if path.exists():
        raise BackupError(f"{path} already exists: give a new file name (or a folder, for a dated name in it).")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    return path


@dataclass
class BackupResult:
    path: Path
    manifest: dict


def backup(path, using="default"):
    """Write the archive to ``path`` (a new file, or a folder to put a dated one in)."""
    path = archive_path(path)
    storage = Path(settings.DOCUMENT_STORAGE_DIR)
    partial = path.with_name(f".{path.name}.partial")
    with tempfile.TemporaryDirectory(prefix="accord-backup-") as folder:
        snapshot = snapshot_database(folder, using)
        database_member = DATABASE_MEMBERS[snapshot.vendor]
        files = {database_member: {"sha256": sha256_file(snapshot.path), "size": snapshot.path.stat().st_size}}
        documents = storage_files(storage)
        files.update({DOCUMENTS + name: entry for name, entry in documents.items()})
        manifest = make_manifest(snapshot, files)
        body = json.dumps(manifest, indent=2, sort_keys=True).encode()
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(body), 0o600, int(datetime.datetime.now().timestamp())
                tar.addfile(info, io.BytesIO(body))
                _add_file(tar, database_member, snapshot.path, files[database_member])
                for name in documents:
                    _add_file(tar, DOCUMENTS + name, storage / name, files[DOCUMENTS + name])
            os.replace(partial, path)
        finally:
            if partial.exists():
                partial.unlink()
    return BackupResult(path, manifest)


# ---------------------------------------------------------------------------------------------
# Reading an archive


DAMAGED = (tarfile.TarError, EOFError, zlib.error, OSError)


def _damaged(path, error):
    return BackupError(f"The archive {path} is damaged or incomplete (truncated?): {error}. Nothing was restored.")


def read_manifest(path):
    """The manifest, the archive's first member (refusing a file that is not an Accord archive)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no archive at {path}.")
    try:
        with tarfile.open(path, mode="r|gz") as tar:
            member = tar.next()
            if member is None or member.name != MANIFEST or not member.isfile():
                raise BackupError(f"{path} is not an Accord backup: its first member is not {MANIFEST}.")
            manifest = json.loads(tar.extractfile(member).read())
    except BackupError:
        raise
    except json.JSONDecodeError as error:
        raise BackupError(f"The manifest of {path} is not readable JSON ({error}). Nothing was restored.") from None
    except DAMAGED as error:
        raise _damaged(path, error) from None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or not isinstance(manifest.get("files"), dict)
        or not isinstance(manifest.get("database"), dict)
        or not isinstance(manifest["database"].get("tables"), dict)
    ):
        raise BackupError(f"{path} is not an Accord backup (its manifest is not one).")
    database = manifest["database"]
    if (
        database.get("member") != DATABASE_MEMBERS.get(database.get("vendor"))
        or database["member"] not in manifest["files"]
    ):
        raise BackupError(
            f"The manifest of {path} does not name a database this Accord can restore. Nothing was restored."
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is an Accord backup of format {manifest.get('format_version')}; "
            f"this Accord reads format {FORMAT_VERSION}."
        )
    return manifest


def _safe_member(name):
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def extract_verified(path, manifest, folder):
    """Read every member into ``folder`` (by its name), checking each against the manifest;
    refuse a truncated archive, a member missing, unexpected or different from the manifest."""
    expected = manifest["files"]
    seen = set()
    folder = Path(folder)
    try:
        with tarfile.open(path, mode="r|gz") as tar:
            for index, member in enumerate(tar):
                name = member.name
                if index == 0 and name == MANIFEST:
                    continue  # read already (read_manifest)
                if name not in expected or not member.isfile() or not _safe_member(name):
                    raise BackupError(f"The archive {path} holds {name}, which its manifest does not list. Refused.")
                if name in seen:
                    raise BackupError(f"The archive {path} holds {name} twice. Refused.")
                seen.add(name)
                target = folder / name
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                digest, size = hashlib.sha256(), 0
                source = tar.extractfile(member)
                with open(target, "wb") as out:
                    while block := source.read(CHUNK):
                        digest.update(block)
                        size += len(block)
                        out.write(block)
                os.chmod(target, 0o600)
                want = expected[name]
                if size != want["size"] or digest.hexdigest() != want["sha256"]:
                    raise BackupError(
                        f"{name} in the archive does not match its manifest (SHA-256 {digest.hexdigest()}, "
                        f"{size} bytes; the manifest says {want['sha256']}, {want['size']} bytes): "
                        "the archive is damaged or was changed. Nothing was restored."
                    )
    except BackupError:
        raise
    except DAMAGED as error:
        raise _damaged(path, error) from None
    missing = sorted(set(expected) - seen)
    if missing:
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        raise BackupError(
            f"The archive {path} is missing {', '.join(missing[:3])}{more}, listed in its manifest. "
            "Nothing was restored."
        )


# ---------------------------------------------------------------------------------------------
# The target


POSTGRES_OBJECTS = """
    SELECT 'relation', n.nspname, c.relname, c.relkind::text FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
       AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
    UNION ALL
    SELECT 'function', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid) FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
"""


def _postgres_objects(db):
    with db.cursor() as cursor:
        cursor.execute(POSTGRES_OBJECTS)
        return cursor.fetchall()


def _sqlite_target(db):
    return Path(db.settings_dict["NAME"])


def target_contents(using="default"):
    """What the target database holds, as ``(kind, name)``, tables first (empty when it is empty)."""
    db = connections[using]
    if db.vendor == "sqlite":
        path = _sqlite_target(db)
        if str(path).startswith("file:") or str(path) == ":memory:":
            raise BackupError("Restore needs a SQLite database file, not an in-memory database.")
        if not path.exists() or path.stat().st_size == 0:
            return []
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db_file:
            held = db_file.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite%'").fetchall()
    else:
        db.ensure_connection()
        kinds = {"r": "table", "p": "table", "v": "view", "m": "view", "S": "sequence", "f": "table"}
        held = [
            (kinds[detail] if kind == "relation" else kind, name if schema == "public" else f"{schema}.{name}")
            for kind, schema, name, detail in _postgres_objects(db)
        ]
    return sorted(held, key=lambda row: (row[0] != "table", row))


def _describe_target(db):
    if db.vendor == "sqlite":
        return f"SQLite database {db.settings_dict['NAME']}"
    return f"PostgreSQL database {db.settings_dict['NAME']}"


def _empty_postgres(db):
    """Drop what a failed restore created in a database that was empty before it."""
    with transaction.atomic(using=db.alias), db.cursor() as cursor:
        for kind, schema, name, detail in _postgres_objects(db):
            if kind == "relation" and detail in ("r", "p"):
                cursor.execute(f"DROP TABLE IF EXISTS {_quote(schema)}.{_quote(name)} CASCADE")
        for kind, schema, name, detail in _postgres_objects(db):
            if kind == "relation":
                drop = {"v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE", "f": "FOREIGN TABLE"}.get(detail)
                if drop:
                    cursor.execute(f"DROP {drop} IF EXISTS {_quote(schema)}.{_quote(name)} CASCADE")
            else:
                cursor.execute(f"DROP FUNCTION IF EXISTS {_quote(schema)}.{_quote(name)}({detail}) CASCADE")


def _compare(manifest_tables, restored):
    """The tables whose rows or checksum differ from the manifest, described."""
    problems = []
    for table in sorted(set(manifest_tables) | set(restored)):
        want, got = manifest_tables.get(table), restored.get(table)
        if want is None or got is None:
            problems.append(f"{table} {'is not in the manifest' if want is None else 'was not restored'}")
        elif want != got:
            problems.append(f"{table}: {got['rows']} rows (manifest: {want['rows']}), checksum differs")
    return problems


@dataclass
class RestoreResult:
    manifest: dict
    tables: int
    rows: int
    files: int
    unapplied: list  # migrations of this Accord that the archive's database has not had: run migrate


def known_migrations():
    """Every migration this Accord has on disk, as ``"app.name"``."""
    from django.db.migrations.loader import MigrationLoader

    return {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}


def check_archive(path):
    """Read and check every member of an archive without restoring it; return its manifest."""
    manifest = read_manifest(path)
    with tempfile.TemporaryDirectory(prefix="accord-check-") as folder:
        extract_verified(path, manifest, folder)
    return manifest


def restore(path, using="default"):
    """Restore an archive into the empty target database and documents folder."""
    path = Path(path)
    manifest = read_manifest(path)
    db = connections[using]
    vendor = manifest["database"].get("vendor")
    if vendor != db.vendor:
        raise BackupError(
            f"The archive was made from a {VENDOR_NAMES.get(vendor, vendor)} database and the target is "
            f"{VENDOR_NAMES.get(db.vendor, db.vendor)}: restore it into a {VENDOR_NAMES.get(vendor, vendor)} "
            "database (DATABASE_URL). Nothing was restored."
        )
    if db.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction: run it on its own.")
    unknown = sorted(set(manifest["database"].get("migrations", [])) - known_migrations())
    if unknown:
        accord = manifest.get("accord") or {}
        raise BackupError(
            f"The archive was made by a newer Accord ({accord.get('version')}, commit {accord.get('commit')}): "
            f"this one does not know its migrations {', '.join(unknown[:3])}"
            f"{' and more' if len(unknown) > 3 else ''}. Install that version or a later one, then restore. "
            "Nothing was restored."
        )
    held = target_contents(using)
    if held:
        tables = [name for kind, name in held if kind == "table"]
        some = ", ".join(f"{kind} {name}" for kind, name in held[:3]) + ("…" if len(held) > 3 else "")
        raise BackupError(
            f"The target {_describe_target(db)} is not empty: it has {len(tables)} tables and "
            f"{len(held) - len(tables)} other objects ({some}). Restore only into a new, empty database "
            "that has not been migrated (migrate writes rows the archive holds too). Nothing was restored."
        )
    storage = Path(settings.DOCUMENT_STORAGE_DIR)
    if storage.exists() and any(p.is_file() for p in storage.rglob("*")):
        raise BackupError(
            f"The documents folder {storage} (DOCUMENT_STORAGE_DIR) already holds files: restore into an "
            "empty folder. Nothing was restored."
        )
    storage.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".accord-restore-", dir=storage.parent))
    try:
        extract_verified(path, manifest, staging)
        database_file = staging / manifest["database"]["member"]
        tables = manifest["database"]["tables"]
        if db.vendor == "sqlite":
            _restore_sqlite(db, database_file, tables)
        else:
            _restore_postgres(db, database_file, tables)
        documents = staging / DOCUMENTS.rstrip("/")
        if storage.exists():
            _remove_empty_tree(storage)
        if documents.exists():
            for folder in [documents, *(p for p in documents.rglob("*") if p.is_dir())]:
                os.chmod(folder, 0o700)
            os.replace(documents, storage)
        else:
            storage.mkdir(mode=0o700)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    files = sum(1 for name in manifest["files"] if name.startswith(DOCUMENTS))
    unapplied = sorted(known_migrations() - set(manifest["database"].get("migrations", [])))
    return RestoreResult(manifest, len(tables), sum(t["rows"] for t in tables.values()), files, unapplied)


def _remove_empty_tree(storage):
    """A documents folder holding no file (only empty folders, if any): removed, so that the
    restored one takes its place."""
    for folder in sorted((p for p in storage.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        folder.rmdir()
    storage.rmdir()


def _restore_sqlite(db, database_file, tables):
    with closing(sqlite3.connect(f"file:{database_file}?mode=ro", uri=True)) as copy:
        problems = _compare(tables, database_summary(copy, "sqlite"))
    if problems:
        raise BackupError(f"The database in the archive does not match its manifest: {'; '.join(problems[:5])}.")
    target = _sqlite_target(db)
    db.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    placed = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(database_file, placed)
    os.chmod(placed, 0o600)
    for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm"), Path(f"{target}-journal")):
        if leftover.exists():
            leftover.unlink()
    os.replace(placed, target)


def _restore_postgres(db, database_file, tables):
    db.ensure_connection()
    tool = _pg_tool("pg_restore", db.pg_version)
    args, env = _pg_arguments(db.settings_dict)
    command = [tool, *args, "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges"]
    db.close()
    _run([*command, "--dbname", db.settings_dict["NAME"], str(database_file)], env, "pg_restore")
    db.ensure_connection()
    with transaction.atomic(using=db.alias):
        problems = _compare(tables, database_summary(db.connection, "postgresql"))
    if problems:
        _empty_postgres(db)
        raise BackupError(
            f"The restored database does not match the manifest ({'; '.join(problems[:5])}); "
            "it was emptied again. Nothing was restored."
        )
