"""Accounts security: lock-out, login errors, Argon2, password policy, CSRF, headers, deploy check."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import TEST_PASSWORD
from core.roles import Role

BASE_DIR = Path(settings.BASE_DIR)


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_wrong_password_shows_a_plain_error_summary(client, users):
    response = log_in(client, "lead", "not the password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a correct username and password" in page
    assert "case-sensitive" not in page  # Django's own wording is replaced by the plain one
    assert "_auth_user_id" not in client.session


def test_unknown_username_gets_the_same_message(client, users):
    page = log_in(client, "nobody-here", "whatever password").content.decode()
    assert "Enter a correct username and password" in page


def test_empty_login_form_says_what_to_enter(client):
    page = log_in(client, "", "").content.decode()
    assert "Enter your username" in page
    assert "Enter your password" in page


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, users):
    for attempt in range(1, 5):
        response = log_in(client, "lead", f"wrong password {attempt}")
        assert response.status_code == 200, attempt
    fifth = log_in(client, "lead", "wrong password 5")
    assert fifth.status_code == 429
    response = log_in(client, "lead", TEST_PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Your account is locked for 30 minutes" in page
    assert "_auth_user_id" not in client.session


def test_lock_out_is_per_username_not_per_address(client, users):
    for attempt in range(5):
        log_in(client, "lead", f"wrong password {attempt}")
    response = log_in(client, "executive", TEST_PASSWORD)  # same browser, same address, another person
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == users[Role.EXECUTIVE].pk


def test_a_successful_login_resets_the_count(client, users):
    for attempt in range(4):
        assert log_in(client, "lead", f"wrong password {attempt}").status_code == 200
    assert log_in(client, "lead", TEST_PASSWORD).status_code == 302
    client.logout()
    for attempt in range(4):
        assert log_in(client, "lead", f"wrong again {attempt}").status_code == 200
    assert log_in(client, "lead", TEST_PASSWORD).status_code == 302


def test_passwords_are_stored_with_argon2(settings, make_user):
    """With the hashers Accord ships (tests otherwise use a cheaper Argon2, see conftest.py)."""
    from accord import settings as accord_settings

    settings.PASSWORD_HASHERS = accord_settings.PASSWORD_HASHERS
    assert accord_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    stored = make_user(Role.LEAD, username="hashed").password
    assert stored.startswith("argon2$argon2id$")
    assert "m=102400" in stored
    assert TEST_PASSWORD not in stored


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password1234", "This password is too common."),
        ("Xk7#pQ2!vR", "This password is too short. It must contain at least 12 characters."),
        ("483920175639", "This password is entirely numeric."),
    ],
)
def test_password_policy_rejects_weak_passwords(password, message):
    with pytest.raises(ValidationError) as refused:
        password_validation.validate_password(password)
    assert message in refused.value.messages


def test_password_policy_rejects_a_password_like_the_username(users):
    with pytest.raises(ValidationError) as refused:
        password_validation.validate_password("board_member!", users[Role.BOARD_MEMBER])
    assert "The password is too similar to the username." in refused.value.messages


def test_password_policy_accepts_a_long_passphrase():
    assert password_validation.validate_password(TEST_PASSWORD) is None


def test_session_ends_when_idle_and_at_browser_close(client_for):
    client = client_for(Role.LEAD)
    response = client.get(reverse("partnerships:list"))
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == ""  # a browser-session cookie: gone when the browser closes
    assert cookie["httponly"]
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE <= 3600


def test_csrf_is_enforced_on_the_login_form(users):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "lead", "password": TEST_PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_csrf_is_enforced_on_an_administration_form(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[Role.ADMINISTRATOR])
    lead = users[Role.LEAD]
    response = client.post(
        reverse("accounts:edit", args=[lead.pk]),
        {"first_name": "Anne", "last_name": "Clarke", "role": Role.ADMINISTRATOR, "is_active": "on"},
    )
    assert response.status_code == 403
    lead.refresh_from_db()
    assert lead.role == Role.LEAD


def test_security_headers_are_sent(client_for):
    for response in (Client().get(reverse("login")), client_for(Role.LEAD).get(reverse("partnerships:list"))):
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def deploy_check(**env):
    """``manage.py check --deploy`` with production settings, in a process of its own.

    The test run's own switches (DEBUG, the async-unsafe allowance pytest needs) are left out:
    a deployment would not set them.
    """
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={**base, "DJANGO_SETTINGS_MODULE": "accord.settings_production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = deploy_check(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="accord.example.nhs.uk")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_production_settings_refuse_to_start_without_a_real_secret_key():
    result = deploy_check(SECRET_KEY="too-short", ALLOWED_HOSTS="accord.example.nhs.uk")
    assert result.returncode != 0
    assert "Set SECRET_KEY to a random string of at least 50 characters." in result.stderr


def test_production_settings_need_the_site_host_names():
    result = deploy_check(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must not be empty in deployment" in result.stderr
