"""How a partnership's status, tier, value, partners and review date look on the register and its
page: markup written in Python (``core.markup``), so that a page of 50 rows costs no template
include per cell."""

from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

from core import markup
from partnerships.models import Status

STATUS_TAGS = {
    Status.ACTIVE: "nhsuk-tag--green",
    Status.PROPOSED: "nhsuk-tag--blue",
    Status.DEVELOPING: "nhsuk-tag--blue",
    Status.UNDER_REVIEW: "nhsuk-tag--yellow",
    Status.CLOSING: "nhsuk-tag--orange",
    Status.CLOSED: "nhsuk-tag--grey",
}
TIER_TAGS = {1: "nhsuk-tag--purple", 2: "nhsuk-tag--aqua-green"}
PARTNERS_SHOWN = 3


def money(partnership):
    """£1,250,000, c. £3,000,000, up to £2,000,000, or "Not known"."""
    if partnership.annual_value is None:
        return "Not known"
    prefix = {"approximate": "c. ", "up_to": "up to "}.get(partnership.value_qualifier, "")
    return f"{prefix}£{partnership.annual_value:,.0f}"


def url(partnership):
    """The partnership's page, worked out once per row (its reference and title both link to it)."""
    if "_url" not in partnership.__dict__:
        partnership._url = reverse("partnerships:detail", args=[partnership.pk])
    return partnership._url


def reference(partnership):
    return markup.link(url(partnership), partnership.reference)


def title(partnership):
    return markup.link(url(partnership), partnership.title)


def status_tag(partnership):
    return markup.tag(partnership.get_status_display(), STATUS_TAGS.get(partnership.status, ""))


def tier_tag(partnership):
    return markup.tag(
        format_html("Tier&nbsp;{}", partnership.tier), TIER_TAGS.get(partnership.tier, "nhsuk-tag--white")
    )


def value(partnership):
    return markup.numeric(money(partnership))


def partners(partnership):
    """The first three partners' names, and how many more there are."""
    roles = list(partnership.partner_roles.all())
    names = "; ".join(role.organisation.name for role in roles[:PARTNERS_SHOWN])
    more = len(roles) - PARTNERS_SHOWN
    return markup.joined([names, markup.small(f"and {more} more") if more > 0 else ""])


def partner_names(partnership):
    return "; ".join(role.organisation.name for role in partnership.partner_roles.all())


def next_review(partnership):
    if not partnership.next_review_date:
        return "Not set"
    overdue = markup.tag("Overdue", "nhsuk-tag--red") if partnership.is_review_overdue else ""
    return markup.joined([date_format(partnership.next_review_date, "j M Y"), overdue])


def lead(partnership):
    return str(partnership.lead) if partnership.lead_id else ""
