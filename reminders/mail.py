"""The e-mails: plain text, naming the item's kind, title, partnership or body, due date, how
late it is and a link to it, and nothing else of the record (its title is already checked for
NHS numbers where it is typed; no message, no description, no free text beyond it)."""

import os

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from core.dates import day

from .occasions import describe, iso_week

DEFAULT_SITE_URL = "http://127.0.0.1:8000"
SUBJECT_TITLE = 80  # characters of the title in a subject line
DIGEST_ITEMS = 100  # items listed in a digest; "and N more" links to the work page


def site_url():
    """The site's address for absolute links: the ``SITE_URL`` setting or environment variable."""
    url = getattr(settings, "SITE_URL", "") or os.environ.get("SITE_URL", "") or DEFAULT_SITE_URL
    return url.rstrip("/")


def link(path):
    return f"{site_url()}{path}"


def lateness(due, today):
    days = (due - today).days
    if days > 0:
        return f"due in {days} day{'s' if days != 1 else ''}"
    if days == 0:
        return "due today"
    return f"{-days} day{'s' if days != -1 else ''} late"


def _one_line(text, limit=None):
    text = " ".join(str(text).split())
    return text if limit is None or len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _greeting(user):
    return f"Dear {user.first_name or user.get_full_name() or user.username},"


def _footer():
    return (
        "You get this e-mail because the item needs your attention in Accord.\n"
        f"Choose which reminders you get: {link(reverse('reminders:preferences'))}\n"
    )


def reminder(due, user, today):
    """The e-mail reminding ``user`` of ``due`` (a ``selectors.Due`` with its occasion)."""
    subject = f"Reminder, {describe(due.occasion)}: {_one_line(due.title, SUBJECT_TITLE)}"
    lines = [
        _greeting(user),
        "",
        f"{due.label}: {_one_line(due.title)} is {lateness(due.due, today)}.",
        "",
        f"Kind: {due.label} ({due.tag})",
        f"What: {_one_line(due.title)}",
    ]
    if due.reference:
        lines.append(f"Partnership or body: {_one_line(due.reference)}")
    lines += [
        f"Due: {day(due.due)} ({lateness(due.due, today)})",
        f"Open it in Accord: {link(due.url)}",
        "",
        _footer(),
    ]
    return _message(subject, "\n".join(lines), user, f"{due.kind}/{due.pk}/{due.occasion}/user-{user.pk}")


def digest(items, user, today):
    """The weekly digest: ``user``'s items (``selectors.Due``), soonest first, each with its link."""
    count = len(items)
    subject = f"Your Accord items this week: {count} need{'s' if count == 1 else ''} attention"
    lines = [_greeting(user), "", f"{count} item{'s' if count != 1 else ''} in Accord need your attention:", ""]
    for due in items[:DIGEST_ITEMS]:
        where = f" ({_one_line(due.reference)})" if due.reference else ""
        lines += [
            f"- {due.label}: {_one_line(due.title)}{where}",
            f"  Due {day(due.due)}, {lateness(due.due, today)}: {link(due.url)}",
        ]
    if count > DIGEST_ITEMS:
        lines += ["", f"And {count - DIGEST_ITEMS} more: {link(reverse('reporting:work'))}"]
    lines += ["", f"Your work in Accord: {link(reverse('reporting:work'))}", "", _footer()]
    return _message(subject, "\n".join(lines), user, f"digest/{user.pk}/{iso_week(today)}")


def _message(subject, body, user, key):
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"X-Accord-Reminder": key},
    )
