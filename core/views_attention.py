"""What needs the user's attention (``core.attention``), as a page of its own and as the panel the
register loads after it has been shown.

The panel is fetched by htmx once the register is on screen, so the register answers as fast as
its rows allow however many sources the apps register; without JavaScript the register links to
the whole page instead.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views import View

from core.attention import more_links, needs_attention
from core.pagination import paginate
from core.roles import sees_as_partner

PANEL_SHOWN = 10  # items on the panel; the page (and each kind's own list) has the rest
PAGE_SIZE = 50


class AttentionView(View):
    def get(self, request):
        if sees_as_partner(request.user):
            raise PermissionDenied("What needs attention is the trust's own work list.")
        attention = needs_attention(request.user)
        if request.htmx:
            return render(
                request,
                "core/includes/needs_attention.html",
                {
                    "attention": attention[:PANEL_SHOWN],
                    "attention_more": max(0, len(attention) - PANEL_SHOWN),
                    "attention_links": more_links(),
                },
            )
        page = paginate(attention, request.GET.get("page"), PAGE_SIZE)
        return render(request, "core/attention.html", {"page": page, "attention": page.object_list})
