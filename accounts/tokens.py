"""API tokens: made, named and revoked by their owner; checked on every API call.

A key is ``acc_`` and 40 random characters. Only its SHA-256 digest is stored, so a copy of the
database lets no one sign in as anybody. The key is shown once, when it is made.
"""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiToken

KEY_PREFIX = "acc_"
LAST_USE_EVERY = 60  # seconds: "last used" is kept to the minute, not written on every call


def digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(user, name, expires_on=None):
    """(the saved token, its key): the key is returned once and never stored."""
    key = KEY_PREFIX + secrets.token_urlsafe(30)
    token = ApiToken(user_id=user.pk, name=name, expires_on=expires_on, prefix=key[:10], digest=digest(key))
    token.full_clean()
    token.save()
    return token, key


def revoke(token):
    """Stop ``token`` signing in from now on (audited); revoking twice changes nothing."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save()
    return token


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer acc_…`` (or ``Token acc_…``): the token's owner, while the token
    is usable and the owner's account active."""

    keywords = ("bearer", "token")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Give the token after the word Bearer, with no spaces in it.")
        key = parts[1].decode(errors="replace")
        token = ApiToken.objects.usable().select_related("user").filter(digest=digest(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("This token is unknown, revoked or expired.")
        self.note_use(token)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'

    @staticmethod
    def note_use(token):
        """Keep the token's last use (a bookkeeping write, not a change to the register, so not audited)."""
        now = timezone.now()
        stale = now - datetime.timedelta(seconds=LAST_USE_EVERY)
        if token.last_used_at is None or token.last_used_at < stale:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now


class TokenScheme(OpenApiAuthenticationExtension):
    """The schema's word for :class:`TokenAuthentication`: HTTP bearer."""

    target_class = "accounts.tokens.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An Accord API token (API tokens page)."}
