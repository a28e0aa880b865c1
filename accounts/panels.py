"""What the accounts app shows on other apps' pages (registered in ``accounts/apps.py``)."""

from core.permissions import permitted


def organisation_contributors(request, organisation):
    """An organisation's page: its partner contributors, for those who may invite more."""
    if not permitted(request.user, "invite", "accounts.user"):
        return None
    people = organisation.contributors.order_by("first_name", "last_name", "username")
    return {"contributors": list(people)}
