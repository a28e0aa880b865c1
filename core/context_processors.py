from django.urls import reverse

from core.permissions import permitted


def navigation(request):
    """The header's menu: only the places the signed-in user may go."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {"nav_items": []}
    from accounts.models import User
    from agreements.models import Agreement
    from assurance.models import IGItem
    from core.models import AuditEntry
    from organisations.models import Organisation
    from partnerships.models import Partnership
    from risks.models import Risk

    items = [
        ("Register", reverse("partnerships:list"), permitted(user, "view", Partnership)),
        ("Agreements", reverse("agreements:list"), permitted(user, "view", Agreement)),
        ("Risks", reverse("risks:heatmap"), permitted(user, "view", Risk)),
        ("IG gaps", reverse("assurance:gaps"), permitted(user, "view", IGItem)),
        ("Organisations", reverse("organisations:list"), permitted(user, "view", Organisation)),
        ("Import", reverse("partnerships:import"), permitted(user, "import", Partnership)),
        ("Audit log", reverse("core:audit_log"), permitted(user, "view", AuditEntry)),
        ("Administration", reverse("core:administration"), permitted(user, "view", User)),
    ]
    allowed_items = [(label, url) for label, url, allowed in items if allowed]
    matches = [url for _, url in allowed_items if request.path.startswith(url)]
    current = max(matches, key=len, default=None)
    return {"nav_items": [{"label": label, "url": url, "current": url == current} for label, url in allowed_items]}
