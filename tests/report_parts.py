"""Checks every app's part of the board report is held to (``core.registry.report_part``)."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import registry
from core.papers import Section


def part(name):
    """The registered part ``name`` (registered from its app's ``AppConfig.ready``)."""
    return registry.registry.report_parts[name]


def assert_json_ready(data):
    """The data survives being stored as JSON unchanged (no dates, decimals or model objects)."""
    assert json.loads(json.dumps(data)) == data


def text_of(sections):
    """Everything a list of sections says, as one text: headings, paragraphs, bullets, summaries
    and table cells; each section is a sub-section of the report's numbered ones."""
    parts = []
    for section in sections:
        assert isinstance(section, Section)
        assert section.level == 3
        parts += [section.heading, *section.paragraphs, *section.bullets]
        parts += [f"{label}: {value}" for label, value in section.summary]
        if section.table is not None:
            parts += [" | ".join(section.table.headers), section.table.empty]
            parts += [" | ".join(str(cell) for cell in row) for row in section.table.rows]
            for row in section.table.rows:
                assert len(row) == len(section.table.headers)
        if section.figure is not None:
            assert section.figure.png.startswith(b"\x89PNG") and section.figure.alt
            assert section.table is not None, "a figure's numbers are in a table too"
    return "\n".join(parts)


def assert_pure(name, data, before=None):
    """``write``, ``changes``, ``figures`` and ``summary`` read no database: they work from the
    stored data alone (an issued report is written again exactly as it was)."""
    p = part(name)
    with CaptureQueriesContext(connection) as queries:
        p.write(data)
        if p.changes:
            p.changes(before, data)
            assert p.changes(None, data) == [], "the first report has nothing to compare with"
            p.changes({}, data)  # an older shape of the data
            p.changes({key: [{"id": -1}] for key, value in data.items() if isinstance(value, list)}, data)
        if p.figures:
            p.figures(data)
        if p.summary:
            p.summary(data)
    assert not queries.captured_queries


def collect_bounded(name, args, grow, most, assert_max_num_queries):
    """``collect(*args)`` of part ``name`` in at most ``most`` queries, before and after ``grow()``
    adds to the register (pytest-django's ``django_assert_max_num_queries``); the data collected
    after."""
    with assert_max_num_queries(most):
        part(name).collect(*args)
    grow()
    with assert_max_num_queries(most):
        return part(name).collect(*args)
