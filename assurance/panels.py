"""What the IG app shows on other apps' pages (registered in ``assurance/apps.py``)."""

from django.db.models import Prefetch, prefetch_related_objects

from assurance.models import IGDocument, IGItem
from assurance.selectors import partnership_ig
from core.permissions import permitted
from core.views import permitted_child


def partnership_information_governance(request, partnership):
    """The partnership page's "Information governance" section: each required item's state."""
    prefetch_related_objects(
        [partnership],
        "ig_items",
        Prefetch("ig_items__documents", queryset=IGDocument.objects.order_by("-version")),
        "agreements",
    )
    user = request.user
    return {
        "ig": partnership_ig(partnership),
        "partnership": partnership,
        "can_change": permitted(user, "change", partnership),
        "can_record_ig": permitted_child(user, "change", IGItem, partnership),
        "can_view_ig_documents": permitted_child(user, "view", IGDocument, partnership),
    }
