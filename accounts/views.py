"""User management for administrators: thin subclasses of the generic views in ``core.views``.

Users are deactivated, never deleted: their names stay on the records they lead and in the
audit trail. Every change (passwords included, as "changed" without any hash) is audited by the
model signals ``accounts.apps`` registers.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View

from accounts import invitations, selectors, services
from accounts.filters import UserFilter
from accounts.forms import AcceptInvitationForm, InvitationForm, SetPasswordForm, UserChangeForm, UserCreateForm
from accounts.models import User
from core import views as generic
from core.audit import audit_context
from core.permissions import permitted, require
from core.roles import Role


class UserListView(generic.ObjectListView):
    model = User
    filterset_class = UserFilter
    template_name = "accounts/user_list.html"
    add_url_name = "accounts:add"
    default_sort = "name"
    columns = (
        generic.Column("name", "Name", sort=["first_name", "last_name", "username"], value=str),
        generic.Column("username", "Username", sort="username"),
        generic.Column("email", "E-mail address", sort="email"),
        generic.Column("job_title", "Job title", sort="job_title"),
        generic.Column("role", "Role", sort="role"),
        generic.Column(
            "is_active",
            "Status",
            sort="is_active",
            value=lambda u: "Active" if u.is_active else "Inactive",
            template="core/reference/includes/active_cell.html",
        ),
        generic.Column(
            "last_login", "Last logged in", sort="last_login", template="accounts/includes/last_login_cell.html"
        ),
    )


class UserDetailView(generic.ObjectDetailView):
    model = User

    def get_context_data(self):
        context = super().get_context_data()
        user = self.request.user
        context.update(
            can_set_password=permitted(user, "set_password", self.object),
            can_unlock=permitted(user, "unlock", self.object),
            locked_until=selectors.locked_until(self.object),
        )
        return context


class UserCreateView(generic.ObjectEditView):
    model = User
    form_class = UserCreateForm

    def cancel_url(self):
        return reverse("accounts:list")


class UserEditView(generic.ObjectEditView):
    model = User
    form_class = UserChangeForm


class UserSetPasswordView(generic.ObjectEditView):
    """A new password for a user; it also lifts a lock-out, so they can log in with it at once."""

    model = User
    form_class = SetPasswordForm
    template_name = "accounts/user_password.html"

    def check(self):
        require(self.request.user, "set_password", self.object)

    def save(self, form):
        user = form.save()
        services.unlock(user)
        if user.pk == self.request.user.pk:
            update_session_auth_hash(self.request, user)  # keep the administrator logged in
        return user

    def success_message(self, obj):
        return f"New password set for {obj}. Give it to them in person or by phone, never by e-mail."


class UserUnlockView(generic.ObjectMixin, View):
    """Lift a lock-out after repeated failed logins (GET asks to confirm, POST unlocks)."""

    model = User
    action = "unlock"

    def get(self, request, pk):
        self.check()
        context = {"object": self.object, "locked_until": selectors.locked_until(self.object)}
        return render(request, "accounts/user_unlock.html", context)

    def post(self, request, pk):
        self.check()
        services.unlock(self.object)
        messages.success(request, f"Account unlocked: {self.object} can log in again.")
        return redirect(self.object.get_absolute_url())


class UserHistoryView(generic.ObjectHistoryView):
    model = User


class InviteContributorView(View):
    """An administrator or the coordinator invites a partner contributor by e-mail address.

    Opened from an organisation's page (``?organisation=<id>`` chooses it) or the users list.
    """

    template_name = "accounts/invite.html"
    form_class = InvitationForm

    def get(self, request):
        require(request.user, "invite", User)
        initial = {"organisation": request.GET.get("organisation", "")[:12]}
        return self.render(self.form_class(initial=initial, user=request.user))

    def post(self, request):
        require(request.user, "invite", User)
        form = self.form_class(request.POST, user=request.user)
        if not form.is_valid():
            return self.render(form, status=400)
        user = invitations.invite(form, request)
        messages.success(request, f"Invitation sent to {user.email}. The link is valid for 7 days.")
        return redirect(user.organisation.get_absolute_url())

    def render(self, form, status=200):
        return render(self.request, self.template_name, {"form": form}, status=status)


class PendingInvitationsView(View):
    """The invitations sent and not yet accepted, with when each was sent and whether its link has
    expired; each may be sent again (a new link, the earlier one refused) or cancelled. For those
    who may invite. Three queries, however many are pending."""

    template_name = "accounts/invitations.html"

    def get(self, request):
        require(request.user, "invite", User)
        people = list(
            invitations.pending().select_related("organisation").order_by("organisation__name", "last_name", "pk")
        )
        sent = invitations.last_sent(people)
        now = timezone.now()
        rows = [
            {
                "person": person,
                "sent": sent.get(person.pk),
                "expired": person.pk in sent and sent[person.pk] + invitations.VALID_FOR < now,
                "valid_until": sent[person.pk] + invitations.VALID_FOR if person.pk in sent else None,
            }
            for person in people
        ]
        return render(request, self.template_name, {"rows": rows})


class InvitationActionView(View):
    """Send a pending invitation again, or cancel it (POST only, from the pending invitations), for
    those who may invite; any account but a partner contributor's is not found."""

    http_method_names = ["post"]

    def post(self, request, pk):
        require(request.user, "invite", User)
        user = get_object_or_404(User, pk=pk, role=Role.PARTNER_CONTRIBUTOR)
        try:
            self.act(user)
        except invitations.InvalidLink as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, self.done(user))
        return redirect("accounts:invitations")


class ResendInvitationView(InvitationActionView):
    def act(self, user):
        invitations.resend(user, self.request)

    def done(self, user):
        return f"A new invitation was sent to {user.email}, valid for 7 days. The earlier link no longer works."


class CancelInvitationView(InvitationActionView):
    def act(self, user):
        invitations.cancel(user)

    def done(self, user):
        return f"The invitation to {user.email} is cancelled: its link no longer works."


@method_decorator(login_not_required, name="dispatch")
class AcceptInvitationView(View):
    """The invited contributor opens their link and chooses a password (no sign-in needed).

    A changed, expired or used link gets a page saying which (404), never a form or an error;
    someone signed in (the coordinator trying the link, say) is asked to log out first (403), so
    nobody sets another person's password from their own session.
    """

    template_name = "accounts/accept_invitation.html"
    form_class = AcceptInvitationForm

    def dispatch(self, request, token):
        if request.user.is_authenticated:
            problem = f"You are logged in as {request.user}. Log out, then open the link in the e-mail again."
            return render(request, "accounts/invitation_invalid.html", {"problem": problem}, status=403)
        try:
            self.invited = invitations.invited_user(token)
        except invitations.InvalidLink as problem:
            return render(request, "accounts/invitation_invalid.html", {"problem": str(problem)}, status=404)
        return super().dispatch(request, token)

    def get(self, request, token):
        return self.render(self.form_class(instance=self.invited))

    def post(self, request, token):
        form = self.form_class(request.POST, instance=self.invited)
        if not form.is_valid():
            return self.render(form, status=400)
        with audit_context(user=self.invited, source="invitation"):
            invitations.accept(self.invited, form.cleaned_data["password1"])
        messages.success(request, f"Your password is set. Log in with your username, {self.invited.username}.")
        return redirect("login")

    def render(self, form, status=200):
        context = {"form": form, "invited": self.invited}
        return render(self.request, self.template_name, context, status=status)
