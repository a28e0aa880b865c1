"""Each person's choice of e-mail reminders: their own page only (someone else's is refused,
whatever the role)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from core.permissions import require
from core.roles import sees_as_partner

from . import selectors, services
from .forms import PreferencesForm
from .models import ReminderPreference

PREFERENCE = "reminders.reminderpreference"


class PreferencesView(View):
    template_name = "reminders/preferences.html"
    form_class = PreferencesForm

    def setup_user(self, request, pk):
        user = request.user
        require(user, "change", PREFERENCE)
        if pk is not None and pk != user.pk:
            # Someone else's: refused (a partner contributor is not told whether they exist); no one's: not found.
            if sees_as_partner(user) or not get_user_model().objects.filter(pk=pk).exists():
                raise Http404
            raise PermissionDenied
        kinds = [(s.name, s.label) for s in selectors.kinds_for(user)]
        pref = ReminderPreference.objects.owned_by(user).first()
        return user, kinds, pref

    def get(self, request, pk=None):
        user, kinds, pref = self.setup_user(request, pk)
        off = set(pref.kinds_off) if pref else set()
        initial = {"kinds": [name for name, _ in kinds if name not in off], "digest": pref.digest if pref else True}
        return self.page(request, PreferencesForm(initial=initial, kinds=kinds, user=user))

    def post(self, request, pk):
        user, kinds, pref = self.setup_user(request, pk)
        form = PreferencesForm(request.POST, kinds=kinds, user=user)
        if not form.is_valid():
            return self.page(request, form, status=400)
        on = set(form.cleaned_data["kinds"])
        # Kinds the person cannot be given now (a role changed) keep whatever they chose before.
        kept = {name for name in (pref.kinds_off if pref else []) if name not in dict(kinds)}
        off = kept | {name for name, _ in kinds if name not in on}
        services.save_preferences(user, off, form.cleaned_data["digest"])  # audited (the request's context)
        messages.success(request, "Your e-mail reminders have been saved.")
        return redirect(reverse("reminders:user_preferences", args=[user.pk]))

    def page(self, request, form, status=200):
        action = reverse("reminders:user_preferences", args=[request.user.pk])
        return render(request, self.template_name, {"form": form, "action": action}, status=status)


class OwnPreferencesView(View):
    """The signed-in person's own page, where the menu, the user page and every e-mail lead; it
    is read here and saved at its address by id (``PreferencesView``)."""

    def get(self, request):
        return PreferencesView().get(request)
