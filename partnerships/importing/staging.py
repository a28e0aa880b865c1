"""Uploads waiting between the preview and the commit: the rows read once, kept under a random token.

The uploaded file is parsed once, when it is uploaded; its rows (cell values, nothing else) are
written as JSON to ``settings.IMPORT_STAGING_DIR`` under a random token, readable by Accord only,
and every preview and the commit read them from there. The file's own name never becomes part
of a path. Dates and times are kept as tagged values so they read back as they were parsed.
"""

import datetime
import json
import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

from partnerships.importing.errors import ImportFileError

TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
STALE_SECONDS = 24 * 60 * 60
_TAGS = {"datetime": datetime.datetime, "date": datetime.date, "time": datetime.time}
GONE = "That upload is no longer available. Upload the spreadsheet again."


def staging_dir():
    path = Path(settings.IMPORT_STAGING_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def staged_path(token):
    if not TOKEN.match(token):
        raise ImportFileError(GONE)
    return staging_dir() / f"{token}.json"


def _encode(value):
    for tag, kind in _TAGS.items():
        if isinstance(value, kind):
            return {tag: value.isoformat()}
    return str(value)  # anything else a cell can hold is read as its text


def _decode(tagged):
    tag, text = next(iter(tagged.items()))
    return _TAGS[tag].fromisoformat(text)


def stage(rows):
    """Keep ``rows`` for the preview and the commit; returns the token that finds them again."""
    purge_stale()
    token = secrets.token_urlsafe(24)
    # Readable by Accord only, from the first byte written.
    descriptor = os.open(staged_path(token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(rows, handle, default=_encode, ensure_ascii=False, separators=(",", ":"))
    return token


def dumps(rows):
    """``rows`` as the JSON text they are staged as (a queued import keeps them so, in the database)."""
    return json.dumps(rows, default=_encode, ensure_ascii=False, separators=(",", ":"))


def loads(text):
    """The rows :func:`dumps` wrote."""
    rows = json.loads(text, object_hook=_decode)
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ImportFileError(GONE)
    return rows


def staged_rows(token):
    """The rows kept under ``token``; :class:`ImportFileError` when they are gone or damaged."""
    try:
        with open(staged_path(token), encoding="utf-8") as handle:
            rows = json.load(handle, object_hook=_decode)
    except (OSError, ValueError, KeyError, StopIteration):
        raise ImportFileError(GONE) from None
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ImportFileError(GONE)
    return rows


def discard(token):
    try:
        staged_path(token).unlink(missing_ok=True)
    except ImportFileError:
        return


def purge_stale():
    """Remove staged uploads nobody came back for within a day (whoever uploaded them)."""
    cutoff = time.time() - STALE_SECONDS
    for path in staging_dir().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue
