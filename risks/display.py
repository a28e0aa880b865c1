"""How a risk band and a partnership's risk profile look: markup written in Python
(``core.markup``), shared by the register's risk columns (no template include per cell) and the
risk pages (through the ``band_tag`` template tag)."""

from django.urls import reverse

from core import markup
from risks.scoring import COLOURS, UNBANDED
from risks.selectors import PROFILE_LABELS, PROFILE_TAGS


def band_tag(band, colour_key):
    """A band's name as a tag in its colour, or "No band"."""
    if not band:
        return markup.tag("No band", "nhsuk-tag--white")
    return markup.tag(band, COLOURS.get(colour_key, UNBANDED).tag)


def profile_tag(status):
    """A risk profile's status (``PROFILE_STATUSES``) as a tag; nothing when there is none."""
    if not status:
        return ""
    return markup.tag(PROFILE_LABELS.get(status, ""), PROFILE_TAGS.get(status, "nhsuk-tag--grey"))


def highest_score(partnership):
    """The register's "Highest current score" cell: the score, linked to the profile, and its band."""
    if not partnership.risk_highest_score:
        return markup.secondary("No open risks")
    score = markup.link(
        reverse("risks:profile", args=[partnership.pk]),
        markup.numeric(partnership.risk_highest_score),
        f"(risk profile of {partnership.reference})",
    )
    return markup.joined([score, band_tag(partnership.risk_highest_band, partnership.risk_highest_colour)])
