"""A person's own API tokens: make one (its key shown once), see when each was last used, revoke one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from core.forms import AccordModelForm
from core.permissions import require

from . import tokens
from .models import ApiToken

TOKEN = "accounts.apitoken"  # noqa: S105 (a model label, not a secret)
NEW_KEY = "accounts.new_api_token"


class ApiTokenForm(AccordModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "expires_on"]
        labels = {"name": "Name", "expires_on": "Last day it works"}
        error_messages = {"name": {"required": "Enter a name for the token, saying what will use it."}}

    def clean_expires_on(self):
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on and expires_on < timezone.localdate():
            raise ValidationError("The expiry date must be today or later.")
        return expires_on


class ApiTokensView(View):
    template_name = "accounts/api_tokens.html"

    def get(self, request):
        require(request.user, "view", TOKEN)
        made = None
        new = request.session.pop(NEW_KEY, None)
        if new:
            token = ApiToken.objects.owned_by(request.user).filter(pk=new[0]).first()
            made = (token, new[1]) if token else None
        return self.page(request, ApiTokenForm(user=request.user), made=made)

    def post(self, request):
        require(request.user, "add", TOKEN)
        form = ApiTokenForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.page(request, form, status=400)
        with transaction.atomic():
            token, key = tokens.create_token(request.user, form.cleaned_data["name"], form.cleaned_data["expires_on"])
        # Shown once, on the page the redirect leads to (a reload does not make another token).
        request.session[NEW_KEY] = (token.pk, key)
        return redirect("accounts_own:api_tokens")

    def page(self, request, form, status=200, made=None):
        context = {
            "form": form,
            "tokens": ApiToken.objects.owned_by(request.user),
            "made": made,
            "today": timezone.localdate(),
        }
        return render(request, self.template_name, context, status=status)


class RevokeApiTokenView(View):
    def post(self, request, pk):
        require(request.user, "delete", TOKEN)
        token = ApiToken.objects.owned_by(request.user).filter(pk=pk).first()
        if token is None:
            raise Http404
        tokens.revoke(token)
        messages.success(request, f"Token revoked: {token.name}. Programs using it can no longer sign in.")
        return redirect("accounts_own:api_tokens")
