from django.urls import reverse

from core import registry
from core.permissions import permitted
from core.roles import sees_as_partner


def navigation(request):
    """The header's menu: the places each app registered (``core.registry.menu_item``) that the
    signed-in user may go."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {"nav_items": []}
    allowed = [(item.label, reverse(item.url_name)) for item in registry.menu_items() if _may(user, item)]
    matches = [url for _, url in allowed if request.path.startswith(url)]
    current = max(matches, key=len, default=None)
    return {"nav_items": [{"label": label, "url": url, "current": url == current} for label, url in allowed]}


def _may(user, item):
    if sees_as_partner(user) and not item.partners:
        return False  # a partner contributor's right on single records is no right to the list
    return permitted(user, item.action, item.model)
