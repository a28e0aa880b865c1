"""The home page (each user's, from ``core.registry.home``) and the "needs attention" panel the
register loads after it has been shown.

The panel is fetched by htmx once the register is on screen, so the register answers as fast as
its rows allow however many kinds of item the apps register; without JavaScript the register
links to the home page, where the whole list is.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views import View

from core import registry
from core.attention import Queue, more_links

PANEL_SHOWN = 10  # items on the panel; the home page (and each kind's own list) has the rest


@login_required
def home(request):
    return redirect(registry.home_page(request.user))


class AttentionView(View):
    def get(self, request):
        if not request.htmx:
            return redirect("home")
        shown = Queue(request.user)[: PANEL_SHOWN + 1]  # one more than shown says whether there are more
        context = {
            "attention": shown[:PANEL_SHOWN],
            "attention_more": len(shown) > PANEL_SHOWN,
            "attention_links": more_links(request.user),
        }
        return render(request, "core/includes/needs_attention.html", context)
