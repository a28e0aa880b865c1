"""What every app's part of the board report (``core.registry.report_part``) shares.

A part's ``collect`` returns JSON-ready data that the issued report keeps for good, and its
``write``, ``changes``, ``figures`` and ``summary`` work from that data alone, often from the data
of a report issued years before. So dates travel as ISO text (:func:`iso`, read back by
:func:`written`), "what changed" is a comparison of two stored lists of records keyed by id
(:func:`added_and_removed`), and a stored snapshot from an older shape of the data reads as
empty rather than failing (:func:`stored`).
"""

import datetime

from core import registry
from core.dates import day


def register(module, name, section, order=100):
    """Register ``module``'s part of the report (from its app's ``AppConfig.ready``): its
    ``collect`` and ``write``, and whichever of ``changes``, ``figures`` and ``summary`` it has."""
    optional = {f: getattr(module, f, None) for f in ("changes", "figures", "summary")}
    registry.report_part(name, section, module.collect, module.write, order=order, **optional)


def iso(date):
    """A date as stored in a report's data: "2019-10-02" (``None`` stays ``None``)."""
    return date.isoformat() if date else None


def written(text):
    """A stored date ("2019-10-02") as the trust writes it: "2 October 2019" ("" when none)."""
    return day(datetime.date.fromisoformat(text)) if text else ""


def count(n, singular, plural=None):
    """ "1 agreement", "3 agreements", "no agreements"."""
    noun = singular if n == 1 else plural or f"{singular}s"
    return f"{n if n else 'no'} {noun}"


def stored(data, key, default=None):
    """``data[key]`` of a report's stored data, or ``default`` when the data is missing or from an
    older shape without it (a report issued before a part changed)."""
    if not isinstance(data, dict):
        return default
    value = data.get(key, default)
    return default if value is None else value


def added_and_removed(before, now, key, on="id"):
    """(records of ``now[key]`` not in ``before[key]``, records of ``before[key]`` not in
    ``now[key]``), each list of dicts matched by ``on`` (a field or a tuple of fields). ``before``
    may be ``None`` (the first report: nothing is "new"), or lack ``key``."""
    if before is None:
        return [], []

    def identity(record):
        return tuple(record.get(f) for f in on) if isinstance(on, tuple) else record.get(on)

    earlier, later = stored(before, key, []), stored(now, key, [])
    earlier_ids, later_ids = {identity(r) for r in earlier}, {identity(r) for r in later}
    return [r for r in later if identity(r) not in earlier_ids], [r for r in earlier if identity(r) not in later_ids]


def since_text(since):
    """ "since 2 October 2019" (the previous report), or "to date" for the first report."""
    return f"since {written(since)}" if since else "to date"
