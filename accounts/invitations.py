"""Inviting a partner contributor: a one-time link, valid for 7 days, to set their password.

The link carries the user's id and a digest of their password as it was when the link was made,
signed with the site's secret and the time: a changed link fails the signature, an old one its
age, and a used one the digest (setting the password changes it). Nothing is stored but the user.

An invitation is pending while its contributor is active and has chosen no password
(:func:`pending`). Sending it again (:func:`resend`) gives the account a new unusable password, so
the earlier link's digest no longer matches; cancelling it (:func:`cancel`) deactivates the
account, and its link is then refused as cancelled. Both are audited on the user.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from core import audit
from core.dates import day, local_today
from core.models import AuditEntry
from core.roles import Role

VALID_FOR = timedelta(days=7)
SALT = "accounts.invitation"


class InvalidLink(Exception):
    """The link was changed, has expired or was used; ``str()`` says which, for the page."""


def password_digest(user):
    return hashlib.sha256(user.password.encode()).hexdigest()[:16]


def make_token(user):
    return signing.dumps({"user": user.pk, "password": password_digest(user)}, salt=SALT, compress=True)


def invited_user(token):
    """The partner contributor the link was made for, while it is valid; ``InvalidLink`` if not."""
    try:
        data = signing.loads(token, salt=SALT, max_age=VALID_FOR)
    except signing.SignatureExpired:
        raise InvalidLink("This invitation has expired: links are valid for 7 days.") from None
    except signing.BadSignature:
        raise InvalidLink("This invitation link is not complete or has been changed.") from None
    user = User.objects.filter(pk=data["user"], role=Role.PARTNER_CONTRIBUTOR).first()
    if user is not None and not user.is_active and not user.has_usable_password():
        raise InvalidLink("This invitation has been cancelled: the link no longer works.")
    if user is None or not user.is_active or password_digest(user) != data["password"]:
        raise InvalidLink("This invitation has already been used, or a newer one has been sent.")
    return user


@transaction.atomic
def invite(form, request):
    """Create the partner contributor from the invitation form and send them the link by e-mail.

    The account has no password until they set one from the link; the invitation is audited on it.
    """
    user = form.save(commit=False)
    before = "Cancelled" if user.pk else ""  # a cancelled invitation sent again, to the same account
    user.username = user.email
    user.role = Role.PARTNER_CONTRIBUTOR
    user.is_active = True
    user.set_unusable_password()
    user.save()
    until = day(local_today() + VALID_FOR)
    audit.record_change(user, {"invitation": before}, {"invitation": f"Sent to {user.email}, valid until {until}"})
    link = request.build_absolute_uri(reverse("accounts:accept_invitation", args=[make_token(user)]))
    _send(user, link, until)  # inside the transaction: no account is left behind when sending fails
    return user


def pending():
    """The invitations not yet accepted nor cancelled: active partner contributors with no password."""
    no_password = {"password__startswith": UNUSABLE_PASSWORD_PREFIX}
    return User.objects.filter(role=Role.PARTNER_CONTRIBUTOR, is_active=True, **no_password)


def is_pending(user):
    return user.role == Role.PARTNER_CONTRIBUTOR and user.is_active and not user.has_usable_password()


def refusal(user):
    """Why ``user``'s invitation cannot be sent again or cancelled, or ``None``."""
    if is_pending(user):
        return None
    if user.role != Role.PARTNER_CONTRIBUTOR:
        return f"{user} is not a partner contributor: there is no invitation to change."
    if not user.is_active:
        return f"The invitation to {user.email} was cancelled (or the account deactivated)."
    return f"{user} has accepted the invitation and chosen a password: there is nothing to send again."


@transaction.atomic
def resend(user, request):
    """Send ``user`` a new link, valid for 7 days from today; the earlier link stops working (the
    account gets a new unusable password, which its digest no longer matches). Audited."""
    user = User.objects.select_for_update().get(pk=user.pk)
    problem = refusal(user)
    if problem:
        raise InvalidLink(problem)
    user.set_unusable_password()
    user.save()
    until = day(local_today() + VALID_FOR)
    audit.record_change(
        user,
        {"invitation": "Sent"},
        {"invitation": f"Sent again to {user.email}, valid until {until}; the earlier link no longer works"},
    )
    link = request.build_absolute_uri(reverse("accounts:accept_invitation", args=[make_token(user)]))
    _send(user, link, until)
    return user


@transaction.atomic
def cancel(user):
    """Cancel ``user``'s pending invitation: the account is deactivated and its link refused as
    cancelled. Audited."""
    user = User.objects.select_for_update().get(pk=user.pk)
    problem = refusal(user)
    if problem:
        raise InvalidLink(problem)
    user.is_active = False
    user.save()
    audit.record_change(user, {"invitation": "Sent"}, {"invitation": "Cancelled: the link no longer works"})
    return user


def last_sent(users):
    """{user id: when their latest invitation was sent}, from the audit trail: one query."""
    entries = AuditEntry.objects.filter(
        object_type=ContentType.objects.get_for_model(User),
        object_id__in=[u.pk for u in users],
        after__has_key="invitation",
    ).values_list("object_id", "timestamp", "after")
    sent = {}
    for user_id, timestamp, after in entries:
        if str(after.get("invitation", "")).startswith("Sent") and (user_id not in sent or timestamp > sent[user_id]):
            sent[user_id] = timestamp
    return sent


def _send(user, link, until):
    body = (
        f"Dear {user.get_full_name()},\n\n"
        f"You have been invited to Accord, the trust's partnership register, as a partner contributor "
        f"for {user.organisation}. You will see the partnerships {user.organisation} is a party to.\n\n"
        f"Choose your password here (the link works once, until {until}):\n{link}\n\n"
        f"Your username is {user.username}.\n"
    )
    send_mail("Your invitation to Accord", body, settings.DEFAULT_FROM_EMAIL, [user.email])


@transaction.atomic
def accept(user, password):
    """Set the invited contributor's password: the link is used up, and the acceptance audited."""
    user.set_password(password)
    user.save()
    audit.record_change(user, {"invitation": "Sent"}, {"invitation": "Accepted: password set"})
