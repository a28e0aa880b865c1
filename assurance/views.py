"""The IG pages: record an IG item (with its document), the IG gaps across the register (with
exports), and the administrator's requirements matrix. Its documents are downloaded through the
one document download view (``core.views_documents``).

Rights are in ``core.permissions.RIGHTS``: whoever may see the register reads IG status and the
gaps page; a lead records the IG items of their own partnerships (lead or delegate), the
coordinator and administrators any; documents are seen by everyone but the leads of other
partnerships (a 404 for them, as for agreement documents); the matrix is the administrator's.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View

from assurance.filters import GapFilter
from assurance.forms import IGItemForm, RequirementsForm
from assurance.models import Assurance, IGDocument, IGItem, IGItemType, IGRequirement
from assurance.selectors import gap_rows, item_label, requirement_matrix
from assurance.services import save_requirements
from core import stale, versions
from core import views as generic
from core.dates import local_today
from core.documents import add_version
from core.exports import export_response
from core.models import AuditEntry
from core.pagination import LAST, paginate, requested_page
from core.permissions import permitted, require
from core.views_documents import visible_documents
from partnerships.models import ArrangementType, DataSharing, Partnership

# ---------------------------------------------------------------------------------------------
# IG items and their documents


class IGItemEditView(generic.ObjectEditView):
    """Record an IG item of a partnership (``?item=dpia`` chooses it) or update one, with a document."""

    model = IGItem
    form_class = IGItemForm
    parent_model = Partnership
    parent_field = "partnership"
    template_name = "assurance/igitem_form.html"

    def get_queryset(self):
        return IGItem.objects.select_related("partnership")

    def get_form(self, data=None, files=None):
        form = super().get_form(data, files)
        requested = self.request.GET.get("item")
        if self.is_create and data is None and requested in IGItemType.values:
            form.initial["item"] = requested
        return form

    def save(self, form):
        item = form.save()
        if form.checked is not None:
            add_version(IGDocument(item=item, uploaded_by=self.request.user), form.cleaned_data["file"], form.checked)
        return item

    def success_message(self, obj):
        verb = "recorded" if self.is_create else "saved"
        return f"{IGItemType(obj.item).label} {verb}: {obj.get_status_display().lower()}."

    def success_url(self, obj):
        return obj.get_absolute_url()

    def cancel_url(self):
        return f"{(self.parent or self.object.partnership).get_absolute_url()}#information-governance"

    @cached_property
    def documents(self):
        if self.is_create:
            return []
        return list(visible_documents(self.request.user, IGDocument, self.object))


# ---------------------------------------------------------------------------------------------
# The IG gaps page


@dataclass
class Gap:
    """One row of the gaps page: a partnership and an item it lacks."""

    pk: int
    reference: str
    title: str
    arrangement_type: str
    data_sharing: str
    lead_name: str
    item: str
    item_order: int
    ig_status: str

    def get_absolute_url(self):
        return reverse("partnerships:detail", args=[self.pk]) + "#information-governance"

    @property
    def item_label(self):
        return item_label(self.item)

    @property
    def status_label(self):
        return Assurance(self.ig_status).label

    @property
    def arrangement_label(self):
        return ArrangementType(self.arrangement_type).label if self.arrangement_type in ArrangementType.values else ""

    @property
    def data_sharing_label(self):
        return DataSharing(self.data_sharing).label if self.data_sharing else "Not assessed"

    @property
    def lead(self):
        return (self.lead_name or "").strip()


class GapListView(generic.ObjectListView):
    """Every gap across the register: filterable, sortable, paginated, exported as filtered."""

    model = IGItem
    template_name = "assurance/gap_list.html"
    default_sort = "reference"
    columns = (
        generic.Column("reference", "Reference", sort=["reference", "item_order"]),
        generic.Column("title", "Partnership", sort=["title", "reference", "item_order"]),
        generic.Column("item", "IG item", sort=["item_order", "reference"], value=lambda g: g.item_label),
        generic.Column(
            "ig_status",
            "Status",
            sort=["ig_status", "reference", "item_order"],
            value=lambda g: g.status_label,
            template="assurance/includes/gap_status_cell.html",
        ),
        generic.Column(
            "arrangement_type",
            "Type of arrangement",
            sort=["arrangement_type", "reference", "item_order"],
            value=lambda g: g.arrangement_label,
        ),
        generic.Column(
            "data_sharing",
            "Level of data sharing",
            sort=["data_sharing", "reference", "item_order"],
            value=lambda g: g.data_sharing_label,
        ),
        generic.Column("lead", "Lead", sort=["lead_name", "reference", "item_order"], value=lambda g: g.lead),
    )

    def results(self, request):
        """The gaps the filters leave (``None`` while the filters are wrong: the page says why)."""
        filterset = GapFilter(request.GET)
        if filterset.is_bound and not filterset.is_valid():
            return filterset, None
        data = filterset.form.cleaned_data if filterset.is_bound else {}
        rows = gap_rows(
            local_today(),
            partnerships=filterset.partnerships(),
            items=[data["item"]] if data.get("item") else None,
            statuses=[data["status"]] if data.get("status") else None,
        )
        return filterset, rows

    def get_extra_context(self):
        return {"can_change_matrix": permitted(self.request.user, "change", IGRequirement)}

    def paginate(self, rows, value):
        """The page asked for; its rows and the total read together (``GapRows.read_page``)."""
        number = requested_page(value)
        if rows is not None:
            start = 0 if number == LAST else (number - 1) * self.page_size
            if number == LAST or rows.read_page(start, start + self.page_size) is None:
                rows.read_page(0, self.page_size, last=True)  # asked for, or the page asked for is past the end
        return paginate(rows if rows is not None else [], value, self.page_size)

    def rows(self, objects):
        return super().rows([Gap(**row) for row in objects])

    def sort(self, rows, requested):
        requested, ordering = self.ordering(requested)
        return requested, (rows.order_by(*ordering) if rows is not None else None)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"verbose_name": "IG gap", "verbose_name_plural": "IG gaps"}

    def export(self, fmt, rows):
        if fmt not in self.export_formats:
            raise Http404("Unknown export format.")
        columns = [c for c in self.columns if c.export]
        headers = [c.label for c in columns]
        gaps = (Gap(**row) for row in (rows.iterator(chunk_size=2000) if rows is not None else []))
        return export_response(fmt, "ig-gaps", headers, ([c.value(g) for c in columns] for g in gaps))


# ---------------------------------------------------------------------------------------------
# The requirements matrix (administration)


MATRIX_KEY = "assurance.igrequirement:matrix"


def matrix_values(matrix):
    """The requirements matrix as stored values for ``core.versions``: each cell's required items."""
    return {f"{arrangement_type}__{level}": sorted(items) for (arrangement_type, level), items in matrix.items()}


def matrix_from_values(values):
    return {tuple(key.split("__")): set(items) for key, items in values.items()}


class RequirementsView(View):
    """The matrix as a grid: a table per level of data sharing, a row per arrangement type, a
    checkbox per IG item. Saving writes (and audits) only the cells that changed.

    The grid is one page over many rows, so its version is the whole matrix's: a save is refused
    if any cell changed since the page was opened (``core.versions``), and shows which."""

    template_name = "assurance/requirements.html"

    def check(self):
        require(self.request.user, "change", IGRequirement)

    def get(self, request):
        self.check()
        matrix = requirement_matrix()
        return self.render(RequirementsForm(matrix=matrix), matrix)

    def post(self, request):
        self.check()
        opened = versions.read_token(MATRIX_KEY, request.POST.get(versions.VERSION_FIELD))
        try:
            with transaction.atomic():
                versions.lock(IGRequirement.objects.all())
                matrix = requirement_matrix()
                versions.check_values(matrix_values(matrix), opened and opened.version)
                form = RequirementsForm(request.POST, matrix=matrix)
                if not form.is_valid():
                    return self.render(form, matrix, status=400)
                changed = save_requirements(form.cells())
        except versions.StaleVersion:
            return self.render_stale(matrix, opened)
        if changed:
            messages.success(
                request,
                f"IG requirements saved: {changed} cell{'s' if changed != 1 else ''} changed. "
                "Every partnership's IG status and the IG gaps now follow them.",
            )
        else:
            messages.success(request, "Nothing was changed: the IG requirements are as they were.")
        return redirect("assurance:requirements")

    def render_stale(self, matrix, opened):
        """The grid again, nothing saved (409): the cells changed since the page was opened, and the
        user's own ticks over the current matrix."""
        form, report = stale.refused(
            "IG requirements",
            opened,
            RequirementsForm(matrix=matrix),
            RequirementsForm(self.request.POST, matrix=matrix),
            RequirementsForm(matrix=matrix_from_values(opened.values)) if opened else None,
            AuditEntry.objects.filter(object_type=ContentType.objects.get_for_model(IGRequirement)),
        )
        return self.render(form, matrix, status=409 if opened else 428, stale=report)

    def render(self, form, matrix, status=200, stale=None):
        context = {
            "form": form,
            "grid": form.grid(),
            "stale": stale,
            "record_version": versions.make_token(MATRIX_KEY, matrix_values(matrix)),
        }
        return render(self.request, self.template_name, context, status=status)


class RequirementsHistoryView(View):
    """Every change to the matrix, newest first."""

    def get(self, request):
        require(request.user, "view", IGRequirement)
        entries = AuditEntry.objects.filter(
            object_type=ContentType.objects.get_for_model(IGRequirement)
        ).select_related("object_type")
        page = paginate(entries, request.GET.get("page"), generic.ObjectHistoryView.page_size)
        return render(request, "assurance/requirements_history.html", {"page": page})
