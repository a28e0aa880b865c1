"""Forms an administrator uses to add people, change their role and set their password."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import Q

from accounts.models import User
from core.forms import AccordModelForm
from core.roles import Role

POLICY_HINT = (
    "At least 12 characters. It must not be a common password, only numbers, or like the person's name, "
    "username or e-mail address. A few unrelated words together work well."
)


class PasswordFieldsMixin:
    """A password typed twice, checked against the trust's password policy (AUTH_PASSWORD_VALIDATORS).

    The policy's similarity check compares the password with the person's names, username and
    e-mail address, so it runs once the form has put those on the user (in ``_post_clean``).
    """

    def add_password_fields(self, label):
        self.fields["password1"] = forms.CharField(
            label=label,
            strip=False,
            help_text=POLICY_HINT,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            error_messages={"required": "Enter a password."},
        )
        self.fields["password2"] = forms.CharField(
            label="Confirm the password",
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            error_messages={"required": "Enter the password again to confirm it."},
        )

    def clean_password2(self):
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise ValidationError("The two passwords are different. Enter the same password in both boxes.")
        return second

    def _post_clean(self):
        super()._post_clean()
        password = self.cleaned_data.get("password1")
        if password and "password2" not in self._errors:
            try:
                password_validation.validate_password(password, self.instance)
            except ValidationError as error:
                self.add_error("password1", error)

    def set_password(self, user):
        user.set_password(self.cleaned_data["password1"])


LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "email": "E-mail address",
    "organisation": "Organisation (partner contributors only)",
}
HELP_TEXTS = {
    "email": "Their NHS.net or trust e-mail address. No two users may share one.",
    "role": "What they may see and change in Accord.",
    "organisation": "The partner organisation a partner contributor belongs to. Leave empty for the trust's people.",
}
WIDGETS = {"role": forms.RadioSelect}


class UserDetailsMixin:
    """Names, e-mail address and role, worded for the people who fill them in.

    Labels and hints are set in each form's ``Meta`` (``LABELS``, ``HELP_TEXTS``): the NHS.UK
    styling reads every bound field while the form is built, so later changes would not show.
    """

    def setup_details(self):
        for name, message in (
            ("first_name", "Enter their first name."),
            ("last_name", "Enter their last name."),
        ):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message
        self.fields["email"].error_messages["invalid"] = (
            "Enter an e-mail address in the right format, like name@nhs.net."
        )
        self.fields["role"].error_messages["required"] = "Choose their role."

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data.get("email", "").strip())
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise ValidationError("Another user already has that e-mail address.")
        return email


class UserCreateForm(PasswordFieldsMixin, UserDetailsMixin, AccordModelForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "job_title", "role", "organisation"]
        labels = LABELS
        help_texts = {
            **HELP_TEXTS,
            "username": "What they log in with, for example anne.clarke. Letters, digits and @ . + - _ only.",
        }
        widgets = {
            **WIDGETS,
            "username": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_details()
        self.fields["username"].error_messages["required"] = "Enter a username."
        self.add_password_fields("Password")

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(
                f"The username “{username}” is already taken. Usernames are the same whatever their capitals."
            )
        return username

    def save(self, commit=True):
        user = super().save(commit=False)
        self.set_password(user)
        if commit:
            user.save()
        return user


class UserChangeForm(UserDetailsMixin, AccordModelForm):
    """Change a person's details, role or whether they may log in; never their password."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "job_title", "role", "organisation", "is_active"]
        labels = {**LABELS, "is_active": "Active: can log in"}
        help_texts = {
            **HELP_TEXTS,
            "is_active": "Untick to deactivate the account. Nothing is deleted: their name stays on the "
            "partnerships they lead and in the audit trail.",
        }
        widgets = WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_details()

    def clean(self):
        data = super().clean()
        if self.user is not None and self.instance.pk == self.user.pk:
            if "is_active" in data and not data["is_active"]:
                self.add_error(
                    "is_active", "You cannot deactivate your own account. Ask another administrator to do it."
                )
            if data.get("role") and data["role"] != Role.ADMINISTRATOR:
                self.add_error(
                    "role", "You cannot remove your own administrator role. Ask another administrator to do it."
                )
        return data


class SetPasswordForm(PasswordFieldsMixin, AccordModelForm):
    """An administrator sets a new password for a user (who should change nothing else here)."""

    class Meta:
        model = User
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_password_fields("New password")

    def save(self, commit=True):
        self.set_password(self.instance)
        if commit:
            self.instance.save()
        return self.instance


def was_cancelled(user):
    """An invitation sent and cancelled: a partner contributor's account never used and switched off."""
    return user.role == Role.PARTNER_CONTRIBUTOR and not user.is_active and not user.has_usable_password()


class InvitationForm(AccordModelForm):
    """Invite a partner contributor: who they are and which organisation they belong to.

    Their e-mail address is their username; the invitation sets their role.
    """

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "organisation"]
        labels = {**LABELS, "organisation": "Organisation"}
        help_texts = {
            "email": "Where the invitation is sent, and what they will sign in with.",
            "organisation": "They will see the partnerships this organisation is a party to, and nothing else.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].error_messages["required"] = "Enter their e-mail address."
        self.fields["email"].error_messages["invalid"] = (
            "Enter an e-mail address in the right format, like name@mind.org.uk."
        )
        self.fields["organisation"].required = True
        self.fields["organisation"].error_messages["required"] = "Choose the organisation they belong to."
        for name, message in (("first_name", "Enter their first name."), ("last_name", "Enter their last name.")):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data.get("email", "").strip())
        holders = list(User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))[:2])
        if len(holders) == 1 and was_cancelled(holders[0]):
            # Invited once and cancelled: the same account is invited again (its history kept).
            self.instance = holders[0]
        elif holders:
            raise ValidationError("Someone already has an account with that e-mail address.")
        return email

    def _post_clean(self):
        self.instance.role = Role.PARTNER_CONTRIBUTOR
        self.instance.username = self.cleaned_data.get("email", "")
        super()._post_clean()


class AcceptInvitationForm(PasswordFieldsMixin, AccordModelForm):
    """The invited contributor chooses their password."""

    class Meta:
        model = User
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_password_fields("Choose a password")
