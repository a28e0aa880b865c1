"""The IG pages: record an IG item (with its document), download a document, the IG gaps across
the register (with exports), and the administrator's requirements matrix.

Rights are in ``core.permissions.RIGHTS``: whoever may see the register reads IG status and the
gaps page; a lead records the IG items of their own partnerships (lead or delegate), the
coordinator and administrators any; documents are seen by everyone but the leads of other
partnerships (a 404 for them, as for agreement documents); the matrix is the administrator's.
"""

import logging
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View

from accounts.models import User
from assurance.forms import IGItemForm, RequirementsForm, save_requirements
from assurance.models import Assurance, IGDocument, IGItem, IGItemType, IGRequirement
from assurance.selectors import GAP_ITEM_CHOICES, GAP_STATUSES, gap_rows, item_label, local_today, requirement_matrix
from core import documents
from core import views as generic
from core.exports import export_response
from core.forms import FilterForm
from core.models import AuditEntry
from core.pagination import LAST, paginate, requested_page
from core.permissions import get_visible_or_404, permitted, require, scope
from partnerships.models import ArrangementType, DataSharing, Partnership

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# IG items and their documents


def add_ig_document(item, upload, checked, user):
    """Store ``upload`` as the next version of ``item``'s documents, all or nothing."""

    def lock_and_number(document):
        locked = IGItem.objects.select_for_update().get(pk=item.pk)
        document.item = locked
        document.version = (locked.documents.aggregate(highest=Max("version"))["highest"] or 0) + 1

    return documents.save_with_file(IGDocument(item=item, uploaded_by=user), upload, checked, lock_and_number)


def visible_documents(user, item):
    return scope(user, "view", IGDocument.objects.filter(item=item).select_related("uploaded_by")).order_by("-version")


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
            add_ig_document(item, form.cleaned_data["file"], form.checked, self.request.user)
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
        return list(visible_documents(self.request.user, self.object))


class IGDocumentDownloadView(View):
    """The stored file, as an attachment, if the user may see it and it is unchanged since upload."""

    def get(self, request, pk):
        queryset = IGDocument.objects.select_related("item__partnership")
        document = get_visible_or_404(request.user, queryset, pk=pk)
        try:
            return documents.download_response(document)
        except documents.DocumentUnavailable as problem:
            logger.error(
                "IG document %s (%s) not served: stored file %s; expected SHA-256 %s, %s bytes",
                document.pk,
                document.file.name,
                problem.reason,
                document.sha256,
                document.size,
            )
            return render(request, "assurance/document_unavailable.html", {"document": document}, status=410)


# ---------------------------------------------------------------------------------------------
# The IG gaps page


STATUS_CHOICES = [(s.value, s.label) for s in GAP_STATUSES]


class GapFilterForm(FilterForm):
    item = forms.ChoiceField(label="IG item", choices=[("", "Any item"), *GAP_ITEM_CHOICES], required=False)
    status = forms.ChoiceField(label="Status", choices=[("", "Any status"), *STATUS_CHOICES], required=False)
    arrangement_type = forms.ChoiceField(
        label="Type of arrangement", choices=[("", "Any type"), *ArrangementType.choices], required=False
    )
    data_sharing = forms.ChoiceField(
        label="Level of data sharing",
        choices=[("", "Any level"), ("not_assessed", "Not assessed"), *DataSharing.choices],
        required=False,
    )
    lead = forms.ModelChoiceField(
        label="Internal lead",
        queryset=User.objects.filter(Exists(Partnership.objects.filter(lead=OuterRef("pk")))),
        empty_label="Any lead",
        required=False,
    )
    q = forms.CharField(label="Partnership", required=False, help_text="Reference or title.")


class GapFilter:
    """The shape the generic list template expects of a filterset (a form, bound or not)."""

    def __init__(self, data):
        self.form = GapFilterForm(data or None)
        self.is_bound = self.form.is_bound

    def is_valid(self):
        return self.form.is_valid()

    def partnerships(self):
        queryset = Partnership.objects.all()
        data = self.form.cleaned_data
        if data.get("arrangement_type"):
            queryset = queryset.filter(arrangement_type=data["arrangement_type"])
        if data.get("data_sharing"):
            queryset = queryset.filter(
                data_sharing="" if data["data_sharing"] == "not_assessed" else data["data_sharing"]
            )
        if data.get("lead"):
            queryset = queryset.filter(lead=data["lead"])
        if text := (data.get("q") or "").strip():
            queryset = queryset.filter(Q(reference__icontains=text) | Q(title__icontains=text))
        return queryset


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

    def get(self, request):
        require(request.user, "view", IGItem)
        filterset = GapFilter(request.GET)
        rows = None
        if not filterset.is_bound or filterset.form.is_valid():
            data = filterset.form.cleaned_data if filterset.is_bound else {}
            rows = gap_rows(
                local_today(),
                partnerships=filterset.partnerships() if filterset.is_bound else None,
                items=[data["item"]] if data.get("item") else None,
                statuses=[data["status"]] if data.get("status") else None,
            )
        sort, ordering = self.ordering(request.GET.get("sort"))
        if rows is not None:
            rows = rows.order_by(*ordering)
        fmt = request.GET.get("export")
        if fmt and rows is not None:
            return self.export(fmt, rows)
        page = self.paginate(rows, request.GET.get("page"))
        gaps = [Gap(**row) for row in page.object_list]
        context = {
            "view": self,
            "model": self.model,
            "verbose_name": "IG gap",
            "verbose_name_plural": "IG gaps",
            "filterset": filterset,
            "page": page,
            "rows": self.rows(gaps),
            "columns": self.columns,
            "sort": sort,
            "query_without_page": self.query_string(request, exclude=("page",)),
            "query_without_sort": self.query_string(request, exclude=("page", "sort")),
            "query_for_export": self.query_string(request, exclude=("page", "export")),
            "can_add": False,
            "export_formats": self.export_formats,
        }
        return self.render_list(request, context, filterset)

    def get_extra_context(self):
        return {"can_change_matrix": permitted(self.request.user, "change", IGRequirement)}

    def paginate(self, rows, value):
        """The page asked for; its rows and the total read together (``GapRows.read_page``)."""
        number = requested_page(value)
        if rows is not None and number != LAST:
            start = (number - 1) * self.page_size
            rows.read_page(start, start + self.page_size)  # past the end: the paginator finds the last page
        return paginate(rows if rows is not None else [], value, self.page_size)

    def export(self, fmt, rows):
        if fmt not in self.export_formats:
            raise Http404("Unknown export format.")
        columns = [c for c in self.columns if c.export]
        headers = [c.label for c in columns]
        gaps = (Gap(**row) for row in (rows.iterator(chunk_size=2000) if rows is not None else []))
        return export_response(fmt, "ig-gaps", headers, ([c.value(g) for c in columns] for g in gaps))


# ---------------------------------------------------------------------------------------------
# The requirements matrix (administration)


class RequirementsView(View):
    """The matrix as a grid: a table per level of data sharing, a row per arrangement type, a
    checkbox per IG item. Saving writes (and audits) only the cells that changed."""

    template_name = "assurance/requirements.html"

    def check(self):
        require(self.request.user, "change", IGRequirement)

    def get(self, request):
        self.check()
        return self.render(RequirementsForm(matrix=requirement_matrix()))

    def post(self, request):
        self.check()
        form = RequirementsForm(request.POST, matrix=requirement_matrix())
        if not form.is_valid():
            return self.render(form, status=400)
        with transaction.atomic():
            changed = save_requirements(form.cells())
        if changed:
            messages.success(
                request,
                f"IG requirements saved: {changed} cell{'s' if changed != 1 else ''} changed. "
                "Every partnership's IG status and the IG gaps now follow them.",
            )
        else:
            messages.success(request, "Nothing was changed: the IG requirements are as they were.")
        return redirect("assurance:requirements")

    def render(self, form, status=200):
        return render(self.request, self.template_name, {"form": form, "grid": form.grid()}, status=status)


class RequirementsHistoryView(View):
    """Every change to the matrix, newest first."""

    def get(self, request):
        require(request.user, "view", IGRequirement)
        entries = AuditEntry.objects.filter(
            object_type=ContentType.objects.get_for_model(IGRequirement)
        ).select_related("object_type")
        page = paginate(entries, request.GET.get("page"), generic.ObjectHistoryView.page_size)
        return render(request, "assurance/requirements_history.html", {"page": page})
