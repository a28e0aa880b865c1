"""The board report put together from the parts every app registers (``core.registry.report_part``),
never from their internals: the snapshot of what the board is told, what changed since the
previous issued report, and the paper (``core.papers.Paper``) written from the snapshot alone.

The paper follows the seed's "Trust partnerships update report": the cover sheet (REFERENCE.md §7),
the executive summary with the key figures, what changed since the last report, then 1. governance
of partnerships, 2. central coordination, 3. approach to risk, 4. operational headlines,
5. next steps, and the appendices.
"""

import dataclasses
import datetime
import string

from core import registry
from core.dates import day
from core.papers import Lead, Paper, Section, filename

SECTIONS = (
    ("governance", "Governance of partnerships"),
    ("coordination", "Central coordination of partnerships"),
    ("risk", "Approach to risk"),
    ("headlines", "Operational headlines"),
)
NOTHING = "Nothing to report."


def cover(report):
    """What the coordinator wrote, as JSON: the cover sheet, the summary and the next steps."""
    return {
        "title": report.title,
        "meeting": report.meeting,
        "meeting_date": report.meeting_date.isoformat(),
        "agenda_reference": report.agenda_reference,
        "purpose": report.get_purpose_display(),
        "lead_executive": report.lead_executive,
        "author": report.author,
        "strategic_objectives": [str(o) for o in report.strategic_objectives.all()],
        "baf_themes": [str(t) for t in report.baf_themes.all()],
        "governance_route": report.governance_route,
        "statutory_responsibilities": report.statutory_responsibilities,
        "legal_risk_assessed": report.legal_risk_assessed,
        "recommendation": report.recommendation,
        "executive_summary": report.executive_summary,
        "next_steps": report.next_steps,
    }


def collect(as_of, since):
    """Every part's data as of ``as_of``: {part name: JSON data}."""
    return {part.name: part.collect(as_of, since) for part in registry.report_parts()}


def changes(before, now):
    """{part name: lines} of what changed, from the previous report's parts (``None`` for the first)."""
    if before is None:
        return {}
    found = {}
    for part in registry.report_parts():
        if part.changes is not None and part.name in now:
            lines = part.changes(before.get(part.name), now[part.name])
            if lines:
                found[part.name] = lines
    return found


def snapshot(report, as_of, previous=None):
    """What the board is told: the cover, every part's data, and the changes since ``previous``
    (the previous issued ``ReportVersion``, or ``None``)."""
    since = datetime.date.fromisoformat(previous.snapshot["cover"]["meeting_date"]) if previous else None
    parts = collect(as_of, since)
    return {
        "cover": cover(report),
        "as_of": as_of.isoformat(),
        "since": since.isoformat() if since else None,
        "previous": _previous(previous),
        "parts": parts,
        "changes": changes(previous.snapshot["parts"] if previous else None, parts),
    }


def _previous(version):
    if version is None:
        return None
    cover_ = version.snapshot["cover"]
    return {
        "version": version.pk,
        "number": version.number,
        "meeting": cover_["meeting"],
        "meeting_date": cover_["meeting_date"],
    }


def suggested_summary(as_of, since):
    """The executive summary's first paragraph, with today's figures filled in."""
    data = collect(as_of, since)
    return " ".join(
        sentence for part in registry.report_parts() if part.summary for sentence in part.summary(data[part.name])
    )


def key_figures(parts):
    return [
        pair
        for part in registry.report_parts()
        if part.figures and part.name in parts
        for pair in part.figures(parts[part.name])
    ]


# --- the paper --------------------------------------------------------------------------------------


def _date(text):
    return day(datetime.date.fromisoformat(text)) if text else ""


def _paragraphs(text):
    return [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]


def _cover_pairs(c):
    return [
        ("For", c["purpose"]),
        ("Meeting", f"{c['meeting']}, {_date(c['meeting_date'])}"),
        ("Agenda reference", c["agenda_reference"] or "Not given"),
        ("Lead executive director", c["lead_executive"]),
        ("Author", c["author"]),
        ("Strategic objectives", "; ".join(c["strategic_objectives"]) or "None named"),
        ("BAF risk themes", "; ".join(c["baf_themes"]) or "None named"),
        ("Governance route / escalation process", c["governance_route"] or "Not given"),
        ("Statutory or regulatory responsibilities", c["statutory_responsibilities"] or "Not given"),
        (
            "Legal risk assessment",
            "A legal risk assessment has been made." if c["legal_risk_assessed"] else "Not recorded.",
        ),
        ("Recommendation", c["recommendation"]),
    ]


def _part_sections(data, section):
    return [
        s
        for part in registry.report_parts()
        if part.section == section and part.name in data["parts"]
        for s in part.write(data["parts"][part.name])
    ]


def _changes_section(data):
    if data["previous"] is None:
        text = "This is the first report; there is no earlier issued report to compare with."
        return Section("What changed since the last report", paragraphs=[text])
    lines = [line for part in registry.report_parts() for line in data["changes"].get(part.name, [])]
    since = f"Since the report to the {data['previous']['meeting']} on {_date(data['previous']['meeting_date'])}:"
    return Section(
        "What changed since the last report",
        paragraphs=[
            since if lines else f"{since} no change in the register's partnerships, tiers, risks, IG or agreements."
        ],
        bullets=lines,
    )


def sections(data):
    """The paper's sections, in the seed's order."""
    c = data["cover"]
    found = [
        Section(
            "Executive summary", paragraphs=_paragraphs(c["executive_summary"]), summary=key_figures(data["parts"])
        ),
        _changes_section(data),
    ]
    for number, (key, heading) in enumerate(SECTIONS, 1):
        found.append(Section(f"{number}. {heading}", paragraphs=[] if _part_sections(data, key) else [NOTHING]))
        found.extend(_part_sections(data, key))
    found.append(
        Section(f"{len(SECTIONS) + 1}. Next steps", paragraphs=_paragraphs(c["next_steps"]) or ["None recorded."])
    )
    appendices = _part_sections(data, "appendix")
    for letter, section in zip(string.ascii_uppercase, appendices, strict=False):
        found.append(dataclasses.replace(section, heading=f"Appendix {letter}: {section.heading}", level=2))
    return found


def paper(data, issued):
    """The report as a ``Paper`` (for Word, PDF and the page), from its snapshot alone."""
    c = data["cover"]
    reference = f" ({c['agenda_reference']})" if c["agenda_reference"] else ""
    return Paper(
        title=c["title"],
        caption=f"Report to the {c['meeting']}, {_date(c['meeting_date'])}{reference}",
        summary=_cover_pairs(c),
        sections=sections(data),
        footer=f"{c['title']}, {c['meeting']} {_date(c['meeting_date'])}{' (draft)' if not issued else ''}",
        filename=filename(c["meeting"], c["meeting_date"], c["title"], "draft" if not issued else ""),
        lead=None
        if issued
        else Lead("Draft", f"Not issued to the board. The figures are as of {_date(data['as_of'])}.", "bad"),
    )
