"""Which partnerships a round reviews: all open ones, a tier, a service area (the register's
directorate grouping), or a filter of the register (its query string, read by the register's own
filters, ``partnerships.filters.RegisterFilter``). Each a queryset, never a list of ids, and a
description in words that the round keeps."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.http import QueryDict

from partnerships.filters import RegisterFilter
from partnerships.tiering import TIER_CHOICES
from review_rounds.services import open_partnerships

ALL, TIER, SERVICE_AREA, FILTER = "all", "tier", "service_area", "filter"
KINDS = [
    (ALL, "All open partnerships"),
    (TIER, "One tier"),
    (SERVICE_AREA, "One service area (directorate)"),
    (FILTER, "A filter of the register"),
]
# Filters of the register that depend on who is looking (or on the page): not a round's.
IGNORED = ("partnerships", "page", "sort", "columns", "export")


def register_query(text):
    """The query of a register address as pasted ("https://…/partnerships/?tier=1", "?tier=1",
    "tier=1"): a QueryDict without the filters that depend on who looks."""
    text = (text or "").strip()
    query = urlsplit(text).query if "?" in text else text
    data = QueryDict(query, mutable=True)
    for name in IGNORED:
        data.pop(name, None)
    return data


def _shown(field, value):
    if hasattr(field, "choices"):
        for key, label in field.choices:
            if str(key) == str(getattr(value, "pk", value)):
                return str(label)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def by_register_filter(text):
    """(queryset, description) of the open partnerships the register's filters leave for ``text``."""
    data = register_query(text)
    filterset = RegisterFilter(data, open_partnerships().with_tier(), request=None)
    if not filterset.is_valid():
        problems = "; ".join(
            f"{filterset.form.fields[n].label or n}: {' '.join(e)}" for n, e in filterset.errors.items()
        )
        raise ValidationError({"register_filter": f"The register's filters refuse this: {problems}"})
    used = [
        f"{filterset.form.fields[name].label or name}: {_shown(filterset.form.fields[name], value)}"
        for name, value in filterset.form.cleaned_data.items()
        if value not in (None, "", [], False)
    ]
    if not used:
        raise ValidationError(
            {"register_filter": "Paste the address of the register as filtered, for example …/partnerships/?tier=1."}
        )
    return filterset.qs, "Open partnerships, register filter: " + "; ".join(used)


def chosen(kind, tier=None, service_area=None, register_filter=""):
    """(queryset, description) of the partnerships a round launched with this choice reviews."""
    if kind == TIER:
        if not tier:
            raise ValidationError({"tier": "Choose the tier to review."})
        label = {str(k): v for k, v in TIER_CHOICES}[str(tier)]
        return open_partnerships().with_tier().filter(tier=int(tier)), f"{label}: open partnerships"
    if kind == SERVICE_AREA:
        if service_area is None:
            raise ValidationError({"service_area": "Choose the service area to review."})
        return (
            open_partnerships().filter(service_area=service_area),
            f"Service area: {service_area.name}: open partnerships",
        )
    if kind == FILTER:
        return by_register_filter(register_filter)
    return open_partnerships(), "All open partnerships"
