"""Each person's work, and the coordinator's queue of everything: the "needs attention" items of
every app (``core.attention``), soonest due first, with filters and a download.

Everyone signed in sees what their rights reach (a lead their partnerships', a partner
contributor their organisation's); the register's keepers see everything and may narrow it by
owner too. A page costs two queries per kind of item whatever the size of the register.
"""

import functools
import re

from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views import View

from core import registry
from core.attention import Filters, Queue, sources_for
from core.dates import day, local_today
from core.exports import export_response
from core.money import pounds
from core.pagination import paginate
from core.permissions import permitted, require
from partnerships.models import Partnership
from reporting import dashboard
from reporting.forms import WorkFilterForm

WORK = "reporting.work"  # the rights' name for the queue (it has no model of its own)
DASHBOARD = "reporting.dashboard"
PAGE_SIZE = 50
EXPORT_HEADERS = ["Due", "Days late", "Kind", "What", "Partnership or body", "Owner", "Details", "Link"]


class WorkView(View):
    template_name = "reporting/work.html"

    def get(self, request):
        user = request.user
        require(user, "view", WORK)
        everything = permitted(user, "view_all", WORK)
        sources = sources_for(user)
        owners = (
            get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name") if everything else None
        )
        form = WorkFilterForm(request.GET or None, user=user, kinds=[(s.name, s.label) for s in sources], owners=owners)
        valid = form.is_valid() if form.is_bound else True
        queue = Queue(user, filters=_filters(form) if valid else Filters())
        fmt = request.GET.get("export")
        if fmt in ("csv", "xlsx") and valid:
            return export_response(fmt, "work-queue", EXPORT_HEADERS, _export_rows(queue, request))
        page = paginate(queue, request.GET.get("page"), PAGE_SIZE)
        context = {
            "form": form,
            "page": page,
            "items": page.object_list,
            "counts": [(source, n) for source, n in queue.counts() if n],
            "everything": everything,
            "filtered": form.is_bound and any(form.cleaned_data.values()) if valid else True,
            "query": _query_without(request.GET, "page", "export"),
        }
        return render(request, self.template_name, context, status=200 if valid else 400)


def _filters(form):
    data = form.cleaned_data if form.is_bound else {}
    partnerships = None
    if data.get("service_area") or data.get("tiers"):
        partnerships = Partnership.objects.with_tier()
        if data.get("service_area"):
            partnerships = partnerships.filter(service_area=data["service_area"])
        if data.get("tiers"):
            partnerships = partnerships.filter(tier=data["tiers"])
        partnerships = partnerships.values("pk")
    owner = data.get("owner")
    return Filters(
        kinds=(data["kinds"],) if data.get("kinds") else (),
        owner=owner.pk if owner else None,
        partnerships=partnerships,
        late_by=data.get("late_by"),
    )


def _export_rows(queue, request):
    absolute = _absolute_links(request)
    written = functools.lru_cache(maxsize=4096)(day)  # tens of thousands of items, a few hundred dates
    for item in queue.iterate():
        yield [
            written(item.due),
            max(item.days_late, 0),
            item.kind,
            f"{item.tag}: {item.title}",
            item.reference,
            item.owner,
            item.message,
            absolute(item.url),
        ]


PLAIN_PATH = re.compile(r"/(?!/)[A-Za-z0-9/_.~#?=&%-]*")  # what build_absolute_uri appends unchanged


def _absolute_links(request):
    """``request.build_absolute_uri`` for tens of thousands of links: a plain path is put after the
    scheme and host worked out once, as Django does (no character to quote, no ``/./`` or ``/../``
    to resolve); anything else is left to Django."""
    scheme_host = request.build_absolute_uri("/").removesuffix("/")

    def absolute(url):
        if PLAIN_PATH.fullmatch(url) and "/./" not in url and "/../" not in url:
            return scheme_host + url
        return request.build_absolute_uri(url)

    return absolute


def _query_without(params, *names):
    kept = params.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


# --- the dashboard ---------------------------------------------------------------------------------

BAR_WIDTH, LABEL_WIDTH = 220, 250


def _chart(breakdown):
    """A horizontal bar chart of ``breakdown``'s counts, drawn as SVG on the server."""
    largest = max((bar.count for bar in breakdown.bars), default=0) or 1
    rows = []
    for i, bar in enumerate(breakdown.bars):
        width = round(BAR_WIDTH * bar.count / largest)
        rows.append(
            {"y": i * 26, "label": bar.label, "count": bar.count, "width": width, "end": LABEL_WIDTH + width + 6}
        )
    return {
        "key": breakdown.key,
        "title": breakdown.title,
        "rows": rows,
        "left": LABEL_WIDTH,
        "width": LABEL_WIDTH + BAR_WIDTH + 60,
        "height": max(len(rows) * 26, 26),
    }


class DashboardView(View):
    """For the executive and the board: the register by type, tier, status and directorate, the
    risk heatmap, assurance at a glance, agreements expiring and the map of the network. Every
    chart has its numbers in a table beside it and a download."""

    template_name = "reporting/dashboard.html"

    def get(self, request):
        require(request.user, "view", DASHBOARD)
        today = local_today()
        breakdowns = dashboard.breakdowns()
        fmt, part = request.GET.get("export"), request.GET.get("chart", "")
        if fmt in ("csv", "xlsx"):
            return _download(fmt, part, breakdowns)
        ending, first_ending = dashboard.agreements_expiring(today)
        network = dashboard.network()
        context = {
            "charts": [(b, _chart(b)) for b in breakdowns],
            "assurance": dashboard.assurance(today),
            "ending": ending,
            "first_ending": first_ending,
            "network": network,
            "legend": dashboard.kinds_shown(network["nodes"]),
            **heatmap(request),
            "panels": panels(request),
        }
        return render(request, self.template_name, context)


def panels(request):
    """What other apps add to the dashboard (``registry.panel("reporting.dashboard", …)``), rendered:
    the movement since the last board report, from ``board_reports``."""
    shown = []
    for panel in registry.panels_for(DASHBOARD):
        context = panel.context(request, None)
        if context is not None:
            shown.append(render_to_string(panel.template, context, request=request))
    return shown


def heatmap(request):
    """The risks app's heatmap of open risks (its own SVG and table)."""
    from risks import charts, selectors
    from risks.models import Risk
    from risks.scoring import Scoring

    grid = charts.matrix(
        Scoring.for_request(request), counts=selectors.heatmap_counts(Risk.objects.all()), link=charts.cell_link({})
    )
    return {"grid": grid, "heatmap_svg": charts.render_matrix_svg(grid)}


def _download(fmt, part, breakdowns):
    if part == "network":
        rows = (
            [o.name, o.get_kind_display(), o.partnership_count, pounds(o.partnership_value)]
            for o in dashboard.partner_organisations()
        )
        return export_response(
            fmt, "partner-organisations", ["Organisation", "Kind", "Partnerships", "Value a year"], rows
        )
    chosen = [b for b in breakdowns if b.key == part] or breakdowns
    rows = (
        [b.title.removeprefix("By ").capitalize(), bar.label, bar.count, pounds(bar.value)]
        for b in chosen
        for bar in b.bars
    )
    return export_response(
        fmt, f"partnerships-{part or 'breakdowns'}", ["Grouping", "Group", "Partnerships", "Value a year"], rows
    )
