"""Small template helpers of the risk pages: a band's tag colour, a profile's tag."""

from django import template

from risks.scoring import COLOURS, UNBANDED
from risks.selectors import PROFILE_LABELS, PROFILE_TAGS

register = template.Library()


@register.filter
def band_tag_class(colour_key):
    """The NHS.UK tag modifier of a band colour ("amber" → "nhsuk-tag--orange")."""
    return COLOURS.get(colour_key, UNBANDED).tag


@register.filter
def profile_label(status):
    return PROFILE_LABELS.get(status, "")


@register.filter
def profile_tag_class(status):
    return PROFILE_TAGS.get(status, "nhsuk-tag--grey")


@register.filter
def level_name(descriptors, level):
    """``scoring.likelihood|level_name:3`` → "3 Possible"."""
    try:
        return str(descriptors[int(level) - 1])
    except (IndexError, TypeError, ValueError):
        return level
