"""Information-governance items in the API (``core.api``), recorded and updated through the IG item
page's own view, so its rules (a document as evidence once in place) and messages are the API's.

The IG gaps page is computed rows, not records, and the requirements matrix is a grid page of its
own: neither is served here (the gaps page has its ``.xlsx`` / ``.csv`` exports).
"""

from core import registry

from . import views
from .models import IGItem


def register():
    registry.api(
        "ig-items",
        IGItem,
        edit_view=views.IGItemEditView,
        fields=("partnership", "item", "status", "approved_on", "review_on", "notes"),
        parent="partnership",
    )
