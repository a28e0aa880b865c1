"""Small template helpers of the risk pages: a band's tag colour, a profile's tag."""

from django import template

from risks import display

register = template.Library()


@register.simple_tag
def band_tag(band, colour_key):
    """``{% band_tag risk.current_band risk.current_colour %}``: the band as a tag in its colour."""
    return display.band_tag(band, colour_key)


@register.filter
def profile_tag(status):
    """``{{ profile.status|profile_tag }}``: a risk profile's status as a tag."""
    return display.profile_tag(status)


@register.filter
def level_name(descriptors, level):
    """``scoring.likelihood|level_name:3`` → "3 Possible"."""
    try:
        return str(descriptors[int(level) - 1])
    except (IndexError, TypeError, ValueError):
        return level
