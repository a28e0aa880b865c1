"""Partner contributors: invited by e-mail, a one-time link valid for 7 days, audited both ways."""

import re
import time

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from accounts import invitations
from accounts.invitations import SALT, make_token, password_digest
from accounts.models import User
from core.models import AuditEntry
from core.roles import Role
from tests.fixtures import sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "violet-harbour-lantern-42"


def invite(client, world, **overrides):
    data = {"first_name": "Nia", "last_name": "Jones", "email": "nia.jones@oxfordshiremind.org.uk"}
    data["organisation"] = world.spare_org.pk
    return client.post(reverse("accounts:invite"), {**data, **overrides})


def link_in(message):
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def invitation_entries(user):
    return [e.after["invitation"] for e in AuditEntry.objects.for_object(user) if "invitation" in (e.after or {})]


def test_the_coordinator_invites_from_the_organisations_page_and_the_email_carries_the_link(client, world):
    sign_in(client, world, "coordinator")
    page = client.get(world.spare_org.get_absolute_url()).content.decode()
    assert f"{reverse('accounts:invite')}?organisation={world.spare_org.pk}" in page
    form = client.get(reverse("accounts:invite"), {"organisation": world.spare_org.pk}).content.decode()
    assert f'<option value="{world.spare_org.pk}" selected>' in form

    response = invite(client, world)

    assert response.status_code == 302 and response.url == world.spare_org.get_absolute_url()
    user = User.objects.get(email="nia.jones@oxfordshiremind.org.uk")
    assert (user.username, user.role, user.organisation) == (user.email, Role.PARTNER_CONTRIBUTOR, world.spare_org)
    assert not user.has_usable_password()
    [message] = mail.outbox
    assert message.to == [user.email] and world.spare_org.name in message.body
    assert link_in(message).startswith("/administration/users/invitation/")
    [sent] = invitation_entries(user)
    assert sent.startswith(f"Sent to {user.email}, valid until ")
    assert AuditEntry.objects.for_object(user).filter(action="create", user_name="Ben Cahill").exists()


def test_the_link_sets_the_password_once_and_the_acceptance_is_audited(client, world):
    sign_in(client, world, "coordinator")
    invite(client, world)
    client.logout()
    link = link_in(mail.outbox[0])
    assert "Choose your password" in client.get(link).content.decode()

    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 302 and response.url == reverse("login")
    user = User.objects.get(email="nia.jones@oxfordshiremind.org.uk")
    assert user.check_password(PASSWORD)
    assert sorted(invitation_entries(user))[0] == "Accepted: password set" and len(invitation_entries(user)) == 2
    used = client.get(link)
    assert used.status_code == 404
    assert "already been used" in used.content.decode()
    assert client.post(link, {"password1": "x" + PASSWORD, "password2": "x" + PASSWORD}).status_code == 404
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_an_expired_or_changed_link_gets_a_page_that_says_so_not_an_error(client, world):
    class EightDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 8 * 24 * 3600)

    invited = world.invited
    old = EightDaysAgo(salt=SALT).sign_object({"user": invited.pk, "password": password_digest(invited)}, compress=True)
    expired = client.get(reverse("accounts:accept_invitation", args=[old]))
    assert expired.status_code == 404 and "has expired" in expired.content.decode()

    token = make_token(invited)
    changed = client.get(reverse("accounts:accept_invitation", args=[token[:-2] + "xx"]))
    assert changed.status_code == 404 and "has been changed" in changed.content.decode()
    assert client.get(reverse("accounts:accept_invitation", args=[token])).status_code == 200


def test_a_link_works_only_for_a_partner_contributor(client, world):
    token = make_token(world.user("executive"))
    assert client.get(reverse("accounts:accept_invitation", args=[token])).status_code == 404


def test_an_organisation_is_required_for_a_partner_contributor_and_for_nobody_else(world):
    contributor = User(username="x", role=Role.PARTNER_CONTRIBUTOR)
    with pytest.raises(ValidationError, match="Choose the organisation"):
        contributor.full_clean()
    lead = User(username="y", role=Role.LEAD, organisation=world.partner_org)
    with pytest.raises(ValidationError, match="Only a partner contributor"):
        lead.full_clean()


def test_a_lead_cannot_invite_and_an_invitation_with_bad_input_writes_nothing(client, world):
    sign_in(client, world, "owner")
    assert invite(client, world).status_code == 403
    sign_in(client, world, "coordinator")
    response = invite(client, world, email="not an address", organisation="")
    assert response.status_code == 400
    assert not User.objects.filter(first_name="Nia").exists() and not mail.outbox


def test_an_administrator_gives_a_partner_contributor_their_organisation_on_the_users_pages(client, world):
    sign_in(client, world, "administrator")
    data = {"username": "pat", "first_name": "Pat", "last_name": "Kerr", "role": Role.PARTNER_CONTRIBUTOR}
    data |= {"password1": PASSWORD, "password2": PASSWORD}
    refused = client.post(reverse("accounts:add"), data)
    assert refused.status_code == 400 and "Choose the organisation" in refused.content.decode()
    assert client.post(reverse("accounts:add"), {**data, "organisation": world.partner_org.pk}).status_code == 302
    assert User.objects.get(username="pat").organisation == world.partner_org


def test_passwords_that_differ_or_a_signed_in_visitor_set_nothing(client, world):
    link = reverse("accounts:accept_invitation", args=[world.invitation])
    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD + "!"})
    assert response.status_code == 400 and "The two passwords are different." in response.content.decode()
    sign_in(client, world, "coordinator")
    refused = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert refused.status_code == 403 and "Log out, then open the link" in refused.content.decode()
    assert not User.objects.get(pk=world.invited.pk).has_usable_password()


# --- pending invitations: sent again or cancelled -----------------------------------------------


def invited(client, world, email="nia.jones@oxfordshiremind.org.uk"):
    """Invite someone as the coordinator; (the user, the link in their e-mail)."""
    sign_in(client, world, "coordinator")
    invite(client, world, email=email)
    return User.objects.get(email=email), link_in(mail.outbox[-1])


def test_the_pending_invitations_list_who_has_not_chosen_a_password(client, world):
    nia, _ = invited(client, world)
    page = client.get(reverse("accounts:invitations")).content.decode()
    assert nia.email in page
    assert escape(world.spare_org.name) in page
    assert reverse("accounts:invitation_resend", args=[nia.pk]) in page
    assert reverse("accounts:invitation_cancel", args=[nia.pk]) in page
    accepted = world.user("contributor")
    accepted.set_password(PASSWORD)
    accepted.save()
    page = client.get(reverse("accounts:invitations")).content.decode()
    assert reverse("accounts:invitation_resend", args=[accepted.pk]) not in page
    organisation = client.get(world.spare_org.get_absolute_url()).content.decode()
    assert reverse("accounts:invitations") in organisation


def test_sending_again_gives_a_new_link_and_the_old_one_no_longer_works(client, world):
    nia, old = invited(client, world)
    response = client.post(reverse("accounts:invitation_resend", args=[nia.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:invitations")
    new = link_in(mail.outbox[-1])
    assert new != old and mail.outbox[-1].to == [nia.email]
    assert "Sent again" in invitation_entries(nia)[0]
    assert AuditEntry.objects.for_object(nia).first().user == world.user("coordinator")

    client.logout()
    refused = client.get(old)
    assert refused.status_code == 404 and "a newer one has been sent" in refused.content.decode()
    assert client.get(new).status_code == 200
    assert client.post(new, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 302
    assert User.objects.get(pk=nia.pk).check_password(PASSWORD)


def test_a_cancelled_invitations_link_is_refused_as_cancelled(client, world):
    nia, link = invited(client, world)
    response = client.post(reverse("accounts:invitation_cancel", args=[nia.pk]), follow=True)
    assert "is cancelled" in response.content.decode()
    nia.refresh_from_db()
    assert not nia.is_active and "Cancelled" in invitation_entries(nia)[0]
    assert nia.email not in client.get(reverse("accounts:invitations")).content.decode()
    # Neither sent again nor cancelled twice: nothing changes, and the page says why.
    before = AuditEntry.objects.count()
    again = client.post(reverse("accounts:invitation_resend", args=[nia.pk]), follow=True).content.decode()
    assert "was cancelled" in again and AuditEntry.objects.count() == before

    client.logout()
    refused = client.get(link)
    assert refused.status_code == 404 and "This invitation has been cancelled" in refused.content.decode()
    refused = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert refused.status_code == 404 and not User.objects.get(pk=nia.pk).has_usable_password()


def test_an_accepted_invitation_is_not_sent_again_and_others_may_not_touch_them(client, world):
    sign_in(client, world, "coordinator")
    before = AuditEntry.objects.count()
    contributor = world.user("contributor")
    contributor.set_password(PASSWORD)
    contributor.save()
    before = AuditEntry.objects.count()
    response = client.post(reverse("accounts:invitation_cancel", args=[contributor.pk]), follow=True)
    assert "has accepted the invitation" in response.content.decode() and User.objects.get(pk=contributor.pk).is_active
    # A trust account is no invitation: not found.
    assert client.post(reverse("accounts:invitation_cancel", args=[world.user("owner").pk])).status_code == 404
    for role in ("owner", "executive", "contributor"):
        client.force_login(world.user(role))  # a session of its own: the contributor's new password ends the old
        assert client.get(reverse("accounts:invitations")).status_code == 403
        assert client.post(reverse("accounts:invitation_resend", args=[world.invited.pk])).status_code == 403
        assert client.post(reverse("accounts:invitation_cancel", args=[world.invited.pk])).status_code == 403
    assert AuditEntry.objects.count() == before


def test_the_pending_invitations_cost_the_same_however_many(client, world):
    from tests.counting import measure

    def more(n):
        for i in range(n):
            invite(client, world, email=f"person{User.objects.count()}.{i}@oxfordshiremind.org.uk")

    sign_in(client, world, "coordinator")
    more(2)
    small, _ = measure(client, reverse("accounts:invitations"))
    more(20)
    large, response = measure(client, reverse("accounts:invitations"))
    assert response.content.decode().count("Send again<") == len(invitations.pending()) == 24
    assert large == small


def test_a_cancelled_invitation_can_be_sent_again_to_the_same_address_and_the_old_link_stays_dead(client, world):
    nia, old_link = invited(client, world)
    client.post(reverse("accounts:invitation_cancel", args=[nia.pk]))
    mail.outbox.clear()

    response = invite(client, world, first_name="Nia", organisation=world.partner_org.pk)

    assert response.status_code == 302
    again = User.objects.get(email=nia.email)
    assert again.pk == nia.pk, "the same account, its history kept"
    assert again.is_active and not again.has_usable_password() and again.organisation == world.partner_org
    assert [e.split(",")[0] for e in invitation_entries(again)[:2]] == [
        f"Sent to {nia.email}",
        "Cancelled: the link no longer works",
    ]
    [message] = mail.outbox
    client.logout()
    assert client.get(old_link).status_code == 404, "the cancelled link does not come back to life"
    new_link = link_in(message)
    assert client.post(new_link, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 302
    assert User.objects.get(pk=nia.pk).check_password(PASSWORD)


def test_an_address_in_use_by_anyone_else_is_still_refused(client, world):
    sign_in(client, world, "coordinator")
    emails = ("anne.clarke@oxfordhealth.nhs.uk", "rachel.green@oxfordshiremind.org.uk")
    for role, email in zip(("owner", "contributor"), emails, strict=True):
        User.objects.filter(pk=world.user(role).pk).update(email=email)
    before = User.objects.count()
    for email in emails:
        response = invite(client, world, email=email.upper())
        assert response.status_code == 400
        assert "Someone already has an account with that e-mail address." in response.content.decode()
    assert User.objects.count() == before
