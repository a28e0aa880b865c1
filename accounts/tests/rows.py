"""The user accounts' rows of Accord's cross-cutting tests (``tests/rows.py`` says what each table is)."""

from accounts.invitations import InvalidLink, invited_user, make_token
from accounts.models import ApiToken, User
from accounts.tokens import create_token
from core.roles import Role
from partnerships.models import Partnership
from tests.rows import (
    ADMIN,
    FORBIDDEN,
    KEEPERS,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    SAVED,
    Change,
    Export,
    Form,
    Growth,
    Page,
    Stale,
    edits,
    everyone,
    only,
)
from tests.world import make_user

NEW_PASSWORD = "violet-harbour-lantern-42"
INVITED = "nia.person@oxfordshiremind.org.uk"


def build(w):
    """A partner contributor invited and not yet arrived, and the link in their e-mail."""
    w.invited = make_user(
        "ian.vited@oxfordshiremind.org.uk",
        role=Role.PARTNER_CONTRIBUTOR,
        first_name="Ian",
        last_name="Vited",
        email="ian.vited@oxfordshiremind.org.uk",
        organisation=w.partner_org,
    )
    w.invitation = make_token(w.invited)
    w.owner_token, w.owner_key = create_token(w.user("owner"), "Power BI register")


def _link_refused(w):
    try:
        invited_user(w.invitation)
    except InvalidLink:
        return True
    return False


def _accepted(w):
    return User.objects.get(pk=w.invited.pk).check_password(NEW_PASSWORD)


def _token_revoked(w):
    return ApiToken.objects.get(pk=w.owner_token.pk).revoked_at is not None


PAGES = {
    # Everyone in the trust keeps their own tokens; a partner contributor has no API.
    "accounts_own:api_tokens": Page(
        get=everyone(OK),
        post=everyone(SAVED),
        data=lambda w: {"name": "Excel refresh"},
        effect=lambda w: ApiToken.objects.filter(name="Excel refresh").exists(),
    ),
    # Only its owner may revoke a token: anyone else's is not found.
    "accounts_own:api_token_revoke": Page(
        args=lambda w: [w.owner_token.pk],
        get=everyone(NOT_ALLOWED),
        post=only(SAVED, ("owner",), otherwise=NOT_FOUND),
        effect=_token_revoked,
    ),
    "accounts:list": Page(get=only(OK, ADMIN), post=everyone(NOT_ALLOWED)),
    "accounts:add": Page(
        get=only(OK, ADMIN),
        post=only(SAVED, ADMIN),
        data=lambda w: {
            "username": "new.person",
            "first_name": "Nia",
            "last_name": "Person",
            "email": "nia.person@nhs.net",
            "role": "lead",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        effect=lambda w: User.objects.get(username="new.person").check_password(NEW_PASSWORD),
    ),
    # An administrator or the coordinator invites a partner contributor (an account and an e-mail).
    "accounts:invite": Page(
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: {"first_name": "Nia", "last_name": "Person", "email": INVITED, "organisation": w.spare_org.pk},
        effect=lambda w: User.objects.filter(
            username=INVITED, role=Role.PARTNER_CONTRIBUTOR, organisation=w.spare_org
        ).exists(),
    ),
    # The invitations not yet accepted, each sent again (a new link, the earlier one refused) or
    # cancelled (its link refused as cancelled) by those who may invite; POST only.
    "accounts:invitations": Page(get=only(OK, KEEPERS), post=everyone(NOT_ALLOWED)),
    "accounts:invitation_resend": Page(
        args=lambda w: [w.invited.pk],
        get=everyone(NOT_ALLOWED),
        post=only(SAVED, KEEPERS),
        effect=lambda w: _link_refused(w) and not User.objects.get(pk=w.invited.pk).has_usable_password(),
    ),
    "accounts:invitation_cancel": Page(
        args=lambda w: [w.invited.pk],
        get=everyone(NOT_ALLOWED),
        post=only(SAVED, KEEPERS),
        effect=lambda w: _link_refused(w) and not User.objects.get(pk=w.invited.pk).is_active,
    ),
    # The link in the invitation: whoever holds it sets the invited password, once logged out.
    "accounts:accept_invitation": Page(
        args=lambda w: [w.invitation],
        get=everyone(FORBIDDEN, anonymous=OK, contributor=FORBIDDEN),
        post=everyone(FORBIDDEN, anonymous=SAVED, contributor=FORBIDDEN),
        data=lambda w: {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        effect=_accepted,
    ),
    "accounts:detail": Page(args=lambda w: [w.user("executive").pk], get=only(OK, ADMIN), post=everyone(NOT_ALLOWED)),
    "accounts:edit": Page(
        args=lambda w: [w.user("executive").pk],
        get=only(OK, ADMIN),
        post=only(SAVED, ADMIN),
        data=lambda w: {
            "first_name": "Martyn",
            "last_name": "Ward",
            "job_title": "Chief Executive",
            "role": "executive",
            "is_active": "on",
        },
        effect=lambda w: User.objects.get(pk=w.user("executive").pk).job_title == "Chief Executive",
    ),
    "accounts:password": Page(
        args=lambda w: [w.user("executive").pk],
        get=only(OK, ADMIN),
        post=only(SAVED, ADMIN),
        data=lambda w: {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        effect=lambda w: User.objects.get(pk=w.user("executive").pk).check_password(NEW_PASSWORD),
    ),
    # Unlocking clears the login-failure counter (kept outside Accord's tables): nothing to save.
    "accounts:unlock": Page(args=lambda w: [w.user("executive").pk], get=only(OK, ADMIN), post=only(REDIRECT, ADMIN)),
    "accounts:history": Page(args=lambda w: [w.user("executive").pk], get=only(OK, ADMIN), post=everyone(NOT_ALLOWED)),
}

EXPORTS = {
    "accounts:list": Export(
        key="Username",
        rows=lambda w, role: sorted([*w.users, w.invited.username]),
        filter={"role": "lead"},
        filtered_rows=lambda w, role: ["delegate", "other_lead", "owner"],
    ),
}

AUDIT = {
    "accounts.ApiToken": Change(
        lambda w: create_token(w.user("executive"), "Dashboard")[0],
        "name",
        "Dashboard",
        "ICS dashboard",
        "ICS dashboard",
        parent=lambda w: w.user("executive"),
    ),
    "accounts.User": Change(
        lambda w: make_user("xsmith", role=Role.EXECUTIVE, first_name="Xavier", last_name="Smith", job_title="CFO"),
        "role",
        "Executive",
        Role.BOARD_MEMBER,
        "Board member",
    ),
}

FORMS = {
    "user: nothing filled in": Form(
        "accounts:add",
        lambda w: [],
        lambda w: {},
        {
            "username": "Enter a username.",
            "first_name": "Enter their first name.",
            "last_name": "Enter their last name.",
            "role": "Choose their role.",
            "password1": "Enter a password.",
            "password2": "Enter the password again to confirm it.",
        },
        role="administrator",
    ),
    "user: a username already taken, passwords that differ": Form(
        "accounts:add",
        lambda w: [],
        lambda w: {
            "username": "OWNER",
            "first_name": "Olive",
            "last_name": "Owen",
            "role": "lead",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD + "!",
        },
        {"username": "is already taken", "password2": "The two passwords are different."},
        role="administrator",
    ),
    "user edit: an e-mail address in the wrong format": Form(
        "accounts:edit",
        lambda w: [w.user("executive").pk],
        lambda w: {"first_name": "Martyn", "last_name": "Ward", "email": "martyn at nhs", "role": "executive"},
        {"email": "Enter an e-mail address in the right format, like name@nhs.net."},
        role="administrator",
    ),
    "invitation: nothing filled in": Form(
        "accounts:invite",
        lambda w: [],
        lambda w: {},
        {
            "first_name": "Enter their first name.",
            "last_name": "Enter their last name.",
            "email": "Enter their e-mail address.",
            "organisation": "Choose the organisation they belong to.",
        },
    ),
    "invitation: someone already has that e-mail address": Form(
        "accounts:invite",
        lambda w: [],
        lambda w: {
            "first_name": "Ian",
            "last_name": "Again",
            "email": "IAN.VITED@oxfordshiremind.org.uk",
            "organisation": w.partner_org.pk,
        },
        {"email": "Someone already has an account with that e-mail address."},
    ),
    "new password: too short": Form(
        "accounts:password",
        lambda w: [w.user("executive").pk],
        lambda w: {"password1": "anne12", "password2": "anne12"},
        {"password1": "This password is too short"},
        role="administrator",
    ),
}


def more_users(w, n):
    start = User.objects.count()
    for i in range(start, start + n):
        make_user(f"person{i}", role=Role.LEAD, first_name="Person", last_name=str(i))


def more_partnerships_led(w, n):
    start = Partnership.objects.count() + 100
    for i in range(start, start + n):
        Partnership.objects.create(
            reference=f"P-{i:04d}", title=f"Partnership {i}", arrangement_type="alliance", lead=w.user("owner")
        )


QUERIES = {
    "accounts:list": Growth(more_users, role="administrator"),
    "accounts:detail": Growth(more_partnerships_led, args=lambda w: [w.user("owner").pk], role="administrator"),
    "accounts:history": Growth(
        edits(lambda w: w.user("executive"), "job_title", lambda i: f"Director {i}"),
        args=lambda w: [w.user("executive").pk],
        role="administrator",
    ),
}

# Two people on each edit page, one saving first (tests/test_stale_saves.py).
STALE = {
    "user": Stale(
        "accounts:edit",
        lambda w: [w.user("executive").pk],
        theirs={"job_title": "Chief Executive"},
        yours={"last_name": "Ward-Jones"},
        row=("Job title", "Not recorded", "Chief Executive", None),
        their_fields={"job_title"},
        your_fields={"last_name"},
        you="administrator",
        them="second_administrator",
    ),
    "a user's password, after their details changed": Stale(
        "accounts:password",
        lambda w: [w.user("executive").pk],
        their_page="accounts:edit",
        theirs={"job_title": "Chief Executive"},
        yours={"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        row=("Job title", "Not recorded", "Chief Executive", "Not on this page"),
        their_fields={"job_title"},
        your_fields={"password"},
        you="administrator",
        them="second_administrator",
        typed_again={"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    ),
}

# A saved record of each model with free text, for the model-level NHS-number guard
# (core/tests/test_rules.py).
RECORDS = {
    "accounts.ApiToken": lambda w: w.owner_token,
    "accounts.User": lambda w: w.user("executive"),
}
