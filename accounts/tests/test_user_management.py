"""An administrator manages users and roles; every change is audited, passwords never appear."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.hashers import check_password
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from conftest import TEST_PASSWORD
from core.models import AuditEntry
from core.roles import TRUST_ROLES, Role
from tests.world import opened_at_now

NEW_PASSWORD = "violet-harbour-lantern-42"


def new_user_data(**overrides):
    data = {
        "username": "anne.clarke",
        "first_name": "Anne",
        "last_name": "Clarke",
        "email": "anne.clarke@nhs.net",
        "job_title": "Head of Partnerships",
        "role": Role.LEAD,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def edit_data(user, **overrides):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "role": user.role,
        "is_active": "on" if user.is_active else "",
        **opened_at_now(user),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def user_entries(user):
    return AuditEntry.objects.filter(object_type=ContentType.objects.get_for_model(User), object_id=user.pk)


def assert_no_hash(entry, user):
    """Nothing in the entry (before, after, fields, labels) holds the hash or any part of it."""
    user.refresh_from_db()
    _algorithm, *parts = user.password.split("$")
    text = repr([entry.before, entry.after, entry.changed_fields, entry.object_label])
    assert user.password not in text
    assert "argon2" not in text and "pbkdf2" not in text
    for part in parts[-2:]:  # the salt and the hash itself
        assert part not in text


# -- Adding a user ---------------------------------------------------------------------------------


def test_administrator_adds_a_user_who_can_then_log_in(client_for, client):
    admin = client_for(Role.ADMINISTRATOR)
    response = admin.post(reverse("accounts:add"), new_user_data())
    user = User.objects.get(username="anne.clarke")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:detail", args=[user.pk])
    assert (user.get_full_name(), user.email, user.role, user.is_active) == (
        "Anne Clarke",
        "anne.clarke@nhs.net",
        Role.LEAD,
        True,
    )
    assert user.password.startswith("argon2")
    assert check_password(NEW_PASSWORD, user.password)

    entry = user_entries(user).get(action="create")
    assert entry.after["role"] == "Partnership lead"
    assert entry.after["password"] == "(changed, not shown)"
    assert_no_hash(entry, user)

    admin.logout()
    login = client.post(reverse("login"), {"username": "anne.clarke", "password": NEW_PASSWORD})
    assert login.status_code == 302
    assert login["Location"] == reverse("home")  # and home is the lead's work


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short-pw1", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("739184620573", "This password is entirely numeric."),
        ("anne.clarke.nhs", "The password is too similar to the username."),
    ],
)
def test_weak_password_is_refused_with_a_clear_error_and_nothing_is_created(client_for, password, message):
    before = AuditEntry.objects.count()
    response = client_for(Role.ADMINISTRATOR).post(
        reverse("accounts:add"), new_user_data(password1=password, password2=password)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert 'href="#id_password1"' in page  # the error summary links to the field
    assert "nhsuk-form-group--error" in page
    assert not User.objects.filter(username="anne.clarke").exists()
    assert AuditEntry.objects.count() == before


def test_passwords_that_differ_are_refused(client_for):
    response = client_for(Role.ADMINISTRATOR).post(
        reverse("accounts:add"), new_user_data(password2="violet-harbour-lantern-43")
    )
    assert response.status_code == 400
    assert "The two passwords are different" in response.content.decode()
    assert not User.objects.filter(username="anne.clarke").exists()


def test_username_taken_in_another_case_is_refused(client_for, users):
    response = client_for(Role.ADMINISTRATOR).post(reverse("accounts:add"), new_user_data(username="COORDINATOR"))
    assert response.status_code == 400
    assert "The username “COORDINATOR” is already taken" in response.content.decode()
    assert User.objects.filter(username__iexact="coordinator").count() == 1


def test_email_already_used_is_refused(client_for, make_user):
    make_user(Role.EXECUTIVE, username="martyn", email="Martyn.Ward@nhs.net")
    response = client_for(Role.ADMINISTRATOR).post(reverse("accounts:add"), new_user_data(email="martyn.ward@NHS.NET"))
    assert response.status_code == 400
    assert "Another user already has that e-mail address." in response.content.decode()
    assert not User.objects.filter(username="anne.clarke").exists()


def test_two_users_without_an_email_address_are_allowed(client_for):
    admin = client_for(Role.ADMINISTRATOR)
    admin.post(reverse("accounts:add"), new_user_data(email=""))
    admin.post(
        reverse("accounts:add"),
        new_user_data(username="ben.cahill", first_name="Ben", last_name="Cahill", email=""),
    )
    assert User.objects.filter(username__in=["anne.clarke", "ben.cahill"], email="").count() == 2


# -- Changing a user ----------------------------------------------------------------------------------


def test_role_change_is_audited_with_before_and_after(client_for, users):
    lead = users[Role.LEAD]
    admin = client_for(Role.ADMINISTRATOR)
    response = admin.post(reverse("accounts:edit", args=[lead.pk]), edit_data(lead, role=Role.EXECUTIVE))
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.role == Role.EXECUTIVE

    entry = user_entries(lead).get(action="update")
    assert entry.changed_fields == ["role"]
    assert entry.before["role"] == "Partnership lead"
    assert entry.after["role"] == "Executive"
    assert entry.user_name == "Ada Admin"

    history = admin.get(reverse("accounts:history", args=[lead.pk])).content.decode()
    assert "Partnership lead" in history and "Executive" in history


def test_deactivated_user_cannot_log_in_and_is_kept(client_for, users, client):
    lead = users[Role.LEAD]
    admin = client_for(Role.ADMINISTRATOR)
    admin.post(reverse("accounts:edit", args=[lead.pk]), edit_data(lead, is_active=""))
    lead.refresh_from_db()
    assert lead.is_active is False
    assert user_entries(lead).get(action="update").changed_fields == ["is_active"]

    admin.logout()
    response = client.post(reverse("login"), {"username": lead.username, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()


def test_administrator_cannot_deactivate_themselves(client_for, users):
    me = users[Role.ADMINISTRATOR]
    response = client_for(Role.ADMINISTRATOR).post(reverse("accounts:edit", args=[me.pk]), edit_data(me, is_active=""))
    assert response.status_code == 400
    assert "You cannot deactivate your own account" in response.content.decode()
    me.refresh_from_db()
    assert me.is_active
    assert not user_entries(me).filter(action="update").exists()


def test_administrator_cannot_remove_their_own_administrator_role(client_for, users):
    me = users[Role.ADMINISTRATOR]
    response = client_for(Role.ADMINISTRATOR).post(
        reverse("accounts:edit", args=[me.pk]), edit_data(me, role=Role.AUDITOR)
    )
    assert response.status_code == 400
    assert "You cannot remove your own administrator role" in response.content.decode()
    me.refresh_from_db()
    assert me.role == Role.ADMINISTRATOR


def test_administrator_may_change_their_own_name(client_for, users):
    me = users[Role.ADMINISTRATOR]
    client_for(Role.ADMINISTRATOR).post(reverse("accounts:edit", args=[me.pk]), edit_data(me, last_name="Lovelace"))
    me.refresh_from_db()
    assert me.get_full_name() == "Ada Lovelace"


# -- Setting a password --------------------------------------------------------------------------------


def test_new_password_is_audited_as_changed_with_no_hash_anywhere(client_for, users, client):
    lead = users[Role.LEAD]
    old_hash = lead.password
    admin = client_for(Role.ADMINISTRATOR)
    response = admin.post(
        reverse("accounts:password", args=[lead.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **opened_at_now(lead)},
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert check_password(NEW_PASSWORD, lead.password)

    entry = user_entries(lead).get(action="update")
    assert entry.changed_fields == ["password"]
    assert entry.before == {**entry.before, "password": "(not shown)"}
    assert entry.after["password"] == "(changed, not shown)"
    assert_no_hash(entry, lead)
    assert old_hash not in repr([entry.before, entry.after])

    history = admin.get(reverse("accounts:history", args=[lead.pk])).content.decode()
    assert "(changed, not shown)" in history
    assert lead.password not in history

    admin.logout()
    assert client.post(reverse("login"), {"username": lead.username, "password": TEST_PASSWORD}).status_code == 200
    assert client.post(reverse("login"), {"username": lead.username, "password": NEW_PASSWORD}).status_code == 302


def test_weak_new_password_is_refused_and_the_old_one_still_works(client_for, users):
    lead = users[Role.LEAD]
    response = client_for(Role.ADMINISTRATOR).post(
        reverse("accounts:password", args=[lead.pk]),
        {"password1": "anne12", "password2": "anne12", **opened_at_now(lead)},
    )
    assert response.status_code == 400
    assert "This password is too short" in response.content.decode()
    lead.refresh_from_db()
    assert check_password(TEST_PASSWORD, lead.password)
    assert not user_entries(lead).filter(action="update").exists()


def test_new_password_unlocks_a_locked_account(client_for, users, client):
    lead = users[Role.LEAD]
    for _ in range(5):
        client.post(reverse("login"), {"username": lead.username, "password": "wrong password"})
    assert client.post(reverse("login"), {"username": lead.username, "password": TEST_PASSWORD}).status_code == 429

    admin = client_for(Role.ADMINISTRATOR)
    detail = admin.get(reverse("accounts:detail", args=[lead.pk])).content.decode()
    assert "Account locked" in detail
    admin.post(
        reverse("accounts:password", args=[lead.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **opened_at_now(lead)},
    )
    admin.logout()
    assert client.post(reverse("login"), {"username": lead.username, "password": NEW_PASSWORD}).status_code == 302


def test_administrator_unlocks_a_locked_account(client_for, users, client):
    lead = users[Role.LEAD]
    for _ in range(5):
        client.post(reverse("login"), {"username": lead.username, "password": "wrong password"})
    admin = client_for(Role.ADMINISTRATOR)
    response = admin.post(reverse("accounts:unlock", args=[lead.pk]))
    assert response.status_code == 302
    assert "Account locked" not in admin.get(reverse("accounts:detail", args=[lead.pk])).content.decode()
    # The lock lives outside Accord's tables; lifting it is still in the audit trail, as the admin's.
    entry = user_entries(lead).get(action="update")
    assert entry.user_name == str(users[Role.ADMINISTRATOR])
    assert entry.changed_fields == ["login_lock"]
    assert entry.before["login_lock"].startswith("Locked until ")
    assert entry.after == {"login_lock": "Unlocked"}
    admin.logout()
    assert client.post(reverse("login"), {"username": lead.username, "password": TEST_PASSWORD}).status_code == 302


def test_unlocking_an_account_that_is_not_locked_writes_nothing(client_for, users):
    lead = users[Role.LEAD]
    before = AuditEntry.objects.count()
    response = client_for(Role.ADMINISTRATOR).post(reverse("accounts:unlock", args=[lead.pk]))
    assert response.status_code == 302
    assert AuditEntry.objects.count() == before


# -- The list of users ----------------------------------------------------------------------------------


def test_list_searches_by_name_username_and_email(client_for, users, make_user):
    make_user(Role.LEAD, username="olu", first_name="Olu", last_name="Other", email="olu.other@oxfordhealth.nhs.uk")
    admin = client_for(Role.ADMINISTRATOR)

    def names(**query):
        response = admin.get(reverse("accounts:list"), query)
        assert response.status_code == 200
        return [str(obj) for obj, *_ in response.context["rows"]]

    assert names(q="anne clarke") == ["Anne Clarke"]
    assert names(q="oxfordhealth") == ["Olu Other"]
    assert names(q="board_member") == ["Bea Board"]
    assert names(role=Role.LEAD) == ["Anne Clarke", "Olu Other"]


def test_list_filters_by_status_and_sorts(client_for, users):
    users[Role.AUDITOR].is_active = False
    users[Role.AUDITOR].save()
    admin = client_for(Role.ADMINISTRATOR)
    inactive = admin.get(reverse("accounts:list"), {"status": "inactive"})
    assert [str(u) for u, *_ in inactive.context["rows"]] == ["Aud Itor"]
    active = admin.get(reverse("accounts:list"), {"status": "active", "sort": "-username"})
    assert [u.username for u, *_ in active.context["rows"]] == [
        "lead",
        "executive",
        "coordinator",
        "board_member",
        "administrator",
    ]


def test_the_list_gives_last_logins_in_the_date_format_of_every_other_page(client_for, users):
    users[Role.LEAD].last_login = datetime.datetime(2026, 7, 6, 8, 5, tzinfo=datetime.UTC)  # 09:05 in London
    users[Role.LEAD].save()
    page = client_for(Role.ADMINISTRATOR).get(reverse("accounts:list"), {"role": Role.LEAD})
    text = " ".join(page.content.decode().split())
    assert "6 Jul 2026 09:05" in text
    assert "06/07/2026" not in text
    auditors = client_for(Role.ADMINISTRATOR).get(reverse("accounts:list"), {"role": Role.AUDITOR})
    assert "Never" in auditors.content.decode()


def test_list_is_paginated(client_for, users):
    User.objects.bulk_create([User(username=f"lead{n:02d}", password="!") for n in range(55)])
    admin = client_for(Role.ADMINISTRATOR)
    first = admin.get(reverse("accounts:list"))
    assert len(first.context["rows"]) == 50
    assert "Showing 1 to 50 of 61 users" in first.content.decode()
    assert len(admin.get(reverse("accounts:list"), {"page": 2}).context["rows"]) == 11


def test_exports_list_users_and_never_a_password_hash(client_for, users):
    admin = client_for(Role.ADMINISTRATOR)
    hashes = [u.password for u in User.objects.all()]

    response = admin.get(reverse("accounts:list"), {"role": Role.LEAD, "export": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="users.csv"'
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Name", "Username", "E-mail address", "Job title", "Role", "Status", "Last logged in"]
    assert rows[1][:2] == ["Anne Clarke", "lead"]
    assert len(rows) == 2
    assert "argon2" not in text and not any(h in text for h in hashes)

    response = admin.get(reverse("accounts:list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row]
    assert "Ada Admin" in cells and "Partnerships coordinator" in cells
    assert not any("argon2" in c for c in cells)
    assert sheet.max_row == 7


# -- Only administrators ---------------------------------------------------------------------------------

ADMIN_PAGES = ["list", "add", "detail", "edit", "password", "unlock", "history"]
READ_ONLY_PAGES = {"list", "detail", "history"}


def user_page_urls(target):
    return {
        page: reverse(f"accounts:{page}", args=[] if page in ("list", "add") else [target.pk]) for page in ADMIN_PAGES
    }


@pytest.mark.parametrize("role", [r for r in TRUST_ROLES if r != Role.ADMINISTRATOR])
def test_other_roles_are_refused_every_user_page(client_for, users, role):
    target = users[Role.LEAD]
    client = client_for(role)
    before = (AuditEntry.objects.count(), User.objects.count(), target.password, target.role)
    for page, url in user_page_urls(target).items():
        assert client.get(url).status_code == 403, page
        post = client.post(url, new_user_data(role=Role.ADMINISTRATOR) | edit_data(target, role=Role.ADMINISTRATOR))
        assert post.status_code == (405 if page in READ_ONLY_PAGES else 403), page  # nobody may POST to those
    target.refresh_from_db()
    assert (AuditEntry.objects.count(), User.objects.count(), target.password, target.role) == before
    assert "Administration" not in client.get(reverse("partnerships:list")).content.decode()


def test_administrator_reaches_every_user_page(client_for, users):
    admin = client_for(Role.ADMINISTRATOR)
    for page, url in user_page_urls(users[Role.LEAD]).items():
        assert admin.get(url).status_code == 200, page
    assert reverse("core:administration") in admin.get(reverse("partnerships:list")).content.decode()


def test_there_is_no_page_to_delete_a_user(client_for, users):
    admin = client_for(Role.ADMINISTRATOR)
    detail = admin.get(reverse("accounts:detail", args=[users[Role.LEAD].pk])).content.decode()
    assert "Delete" not in detail
    assert admin.post(f"/administration/users/{users[Role.LEAD].pk}/delete/").status_code == 404
    assert User.objects.filter(pk=users[Role.LEAD].pk).exists()
