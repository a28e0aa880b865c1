"""One set of list / detail / edit / delete / history views for every model.

A model's pages are small subclasses that name the model, its filters, columns and form. Every
view checks the user's right on the server before touching data (``core.permissions``), and every
write goes through the model layer so the audit trail records it.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.views import View

from core.exports import export_response
from core.models import AuditEntry
from core.nhs_number import contains_nhs_number
from core.pagination import paginate
from core.permissions import get_visible_or_404, grant, permitted, require, scope


class Column:
    """A list column: what it is called, how to sort by it and what it exports."""

    def __init__(self, name, label, sort=None, value=None, template=None, export=True):
        self.name = name
        self.label = label
        self.sort = sort
        self._value = value
        self.template = template
        self.export = export

    def value(self, obj):
        if self._value is not None:
            return self._value(obj)
        value = obj
        for part in self.name.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        if hasattr(obj, f"get_{self.name}_display"):
            return getattr(obj, f"get_{self.name}_display")()
        return value


class ObjectListView(View):
    """A filtered, searched, sorted, paginated and exportable list of what the user may see."""

    model = None
    filterset_class = None
    columns = ()
    default_sort = None
    page_size = 50
    template_name = "generic/object_list.html"
    results_template_name = "generic/includes/object_table.html"
    add_url_name = None
    export_formats = ("csv", "xlsx")

    def get_queryset(self):
        return self.model._default_manager.all()

    def get(self, request):
        require(request.user, "view", self.model)
        queryset = scope(request.user, "view", self.get_queryset())
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(request.GET or None, queryset, request=request)
            if filterset.is_bound:
                queryset = filterset.qs if filterset.is_valid() else queryset.none()
        sort, queryset = self.sort(queryset, request.GET.get("sort"))
        fmt = request.GET.get("export")
        if fmt and not refused_filters(filterset):
            return self.export(fmt, queryset)
        page = paginate(queryset, request.GET.get("page"), self.page_size)
        context = {
            "view": self,
            "model": self.model,
            "verbose_name": self.model._meta.verbose_name,
            "verbose_name_plural": self.model._meta.verbose_name_plural,
            "filterset": filterset,
            "page": page,
            "rows": self.rows(page.object_list),
            "columns": self.columns,
            "sort": sort,
            "query_without_page": self.query_string(request, exclude=("page",)),
            "query_without_sort": self.query_string(request, exclude=("page", "sort")),
            "query_for_export": self.query_string(request, exclude=("page", "export")),
            "can_add": permitted(request.user, "add", self.model),
            "add_url_name": self.add_url_name,
            "export_formats": self.export_formats,
        }
        return self.render_list(request, context, filterset)

    def render_list(self, request, context, filterset):
        """The whole page, or only its results for htmx; 400 when a filter value is refused.

        A refused filter value (an unknown partner, a value range in words) is never silently
        dropped: the list is empty and the filters' error summary says which value and why.
        """
        status = 400 if refused_filters(filterset) else 200
        if getattr(request, "htmx", False):
            return render(request, self.results_template_name, context, status=status)
        context.update(self.get_extra_context())
        return render(request, self.template_name, context, status=status)

    def get_extra_context(self):
        """More for the full page around the results (a panel above the list); not for exports
        or the results alone. Keep it to a fixed number of queries, whatever the list's length."""
        return {}

    def rows(self, objects):
        return [(obj, [(col, col.value(obj)) for col in self.columns]) for obj in objects]

    def sortable(self):
        return {c.name: c.sort for c in self.columns if c.sort}

    def sort(self, queryset, requested):
        """Apply ``?sort=name`` / ``?sort=-name`` for a sortable column; ignore anything else."""
        requested, ordering = self.ordering(requested)
        if not ordering:
            return None, queryset.order_by("pk")
        descending = requested.startswith("-")
        return requested, queryset.order_by(*ordering, "-pk" if descending else "pk")

    def ordering(self, requested):
        """The sort key in force (the one asked for if a column offers it, else the default) and
        its ``order_by`` expressions, each reversed when the key is descending.

        A column's own expressions may be descending already (the tier sorts its ties by value,
        highest first); descending the column turns them round rather than writing ``--``.
        """
        fields = self.sortable()
        if sort_key(requested) not in fields:
            requested = self.default_sort
        key = sort_key(requested)
        if key not in fields:
            return None, []
        expressions = fields[key] if isinstance(fields[key], (list, tuple)) else [fields[key]]
        if requested.startswith("-"):
            expressions = [e[1:] if e.startswith("-") else f"-{e}" for e in expressions]
        return requested, list(expressions)

    def export_headers_and_rows(self, queryset):
        columns = [c for c in self.columns if c.export]
        headers = [c.label for c in columns]
        return headers, ([c.value(obj) for c in columns] for obj in queryset.iterator(chunk_size=2000))

    def export(self, fmt, queryset):
        if fmt not in self.export_formats:
            raise Http404("Unknown export format.")
        headers, rows = self.export_headers_and_rows(queryset)
        return export_response(fmt, self.model._meta.verbose_name_plural.replace(" ", "-"), headers, rows)

    @staticmethod
    def query_string(request, exclude=()):
        """The list's query for its links, without ``exclude`` and without a value the filters
        refuse as an NHS number (links never carry it on)."""
        pairs = [
            (k, v)
            for k, values in request.GET.lists()
            if k not in exclude
            for v in values
            if v != "" and not contains_nhs_number(v)
        ]
        return urlencode(pairs)


class ObjectMixin:
    """Finds the object in the user's view scope (404 otherwise) and checks the action (403)."""

    model = None
    action = "view"

    def get_queryset(self):
        return self.model._default_manager.all()

    @cached_property
    def object(self):
        if grant(self.request.user, "view", self.model) is None:
            # The role may see no record of this kind at all (users, reference lists for
            # anyone but an administrator): refuse outright, there is no existence to hide.
            raise PermissionDenied
        return get_visible_or_404(self.request.user, self.get_queryset(), pk=self.kwargs["pk"])

    def check(self):
        require(self.request.user, self.action, self.object)


class ObjectDetailView(ObjectMixin, View):
    template_name = None

    def get(self, request, pk):
        self.check()
        return render(request, self.get_template_names(), self.get_context_data())

    def get_template_names(self):
        meta = self.model._meta
        return [self.template_name or f"{meta.app_label}/{meta.model_name}_detail.html", "generic/object_detail.html"]

    def get_context_data(self):
        return {
            "view": self,
            "object": self.object,
            "verbose_name": self.model._meta.verbose_name,
            "can_change": permitted(self.request.user, "change", self.object),
            "can_delete": permitted(self.request.user, "delete", self.object),
        }


class ObjectEditView(ObjectMixin, View):
    """Create (no ``pk`` in the URL) or update an object through its form, in one transaction."""

    form_class = None
    template_name = "generic/object_form.html"
    parent_model = None
    parent_field = None

    @property
    def is_create(self):
        return "pk" not in self.kwargs

    @cached_property
    def parent(self):
        """The record this one belongs to (a partnership for a partner role), if any."""
        if self.parent_model is None:
            return None
        if not self.is_create:
            return getattr(self.object, self.parent_field)
        return get_visible_or_404(
            self.request.user, self.parent_model._default_manager.all(), pk=self.kwargs["parent_pk"]
        )

    def check(self):
        user = self.request.user
        if not self.is_create:
            require(user, "change", self.object)
        elif self.parent is not None:
            require_child(user, "add", self.model, self.parent)
        else:
            require(user, "add", self.model)

    def get_form(self, data=None, files=None):
        instance = None if self.is_create else self.object
        if instance is None and self.parent is not None:
            instance = self.model(**{self.parent_field: self.parent})
        return self.form_class(data=data, files=files, instance=instance, user=self.request.user)

    def refusal(self):
        """Why this form must not be used now (shown instead of the form), or ``None``.

        For rules about the record's state rather than the user's rights, such as an agreement
        whose terms are fixed once approved. A refused POST answers 400 and writes nothing.
        """
        return None

    def get(self, request, **kwargs):
        self.check()
        refusal = self.refusal()
        if refusal:
            return self.render(None, refusal=refusal)
        return self.render(self.get_form())

    def post(self, request, **kwargs):
        self.check()
        refusal = self.refusal()
        if refusal:
            return self.render(None, status=400, refusal=refusal)
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    obj = self.save(form)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, self.success_message(obj))
                return redirect(self.success_url(obj))
        return self.render(form, status=400)

    def save(self, form):
        return form.save()

    def success_message(self, obj):
        verb = "added" if self.is_create else "saved"
        return f"{self.model._meta.verbose_name.capitalize()} {verb}: {obj}"

    def success_url(self, obj):
        return (self.parent or obj).get_absolute_url()

    def render(self, form, status=200, refusal=None):
        context = {
            "view": self,
            "form": form,
            "refusal": refusal,
            "object": None if self.is_create else self.object,
            "parent": self.parent,
            "is_create": self.is_create,
            "verbose_name": self.model._meta.verbose_name,
            "cancel_url": self.cancel_url(),
        }
        return render(self.request, self.template_name, context, status=status)

    def cancel_url(self):
        if self.parent is not None:
            return self.parent.get_absolute_url()
        if not self.is_create:
            return self.object.get_absolute_url()
        return None


class ObjectDeleteView(ObjectMixin, View):
    action = "delete"
    template_name = "generic/object_confirm_delete.html"

    def refusal(self):
        """Why this object must not be deleted (shown instead of the button), or ``None``.

        For rules the database cannot enforce, such as a reference item still linked to
        records through a many-to-many relation, which a delete would silently unlink.
        """
        return None

    def get(self, request, **kwargs):
        self.check()
        context = {
            "view": self,
            "object": self.object,
            "verbose_name": self.model._meta.verbose_name,
            "refusal": self.refusal(),
        }
        return render(request, self.template_name, context)

    def post(self, request, **kwargs):
        self.check()
        refusal = self.refusal()
        if refusal:
            messages.error(request, refusal)
            return redirect(self.object.get_absolute_url())
        label = str(self.object)
        parent_url = self.after_delete_url()
        try:
            with transaction.atomic():
                self.object.delete()
        except ProtectedError:
            messages.error(request, f"{label} cannot be deleted because other records still use it.")
            return redirect(self.object.get_absolute_url())
        messages.success(request, f"{self.model._meta.verbose_name.capitalize()} deleted: {label}")
        return redirect(parent_url)

    def after_delete_url(self):
        raise NotImplementedError


class ObjectHistoryView(ObjectMixin, View):
    """Every audited change to the object and to its children, newest first."""

    template_name = "generic/object_history.html"
    page_size = 50

    def get(self, request, **kwargs):
        self.check()
        entries = AuditEntry.objects.for_object(self.object).select_related("object_type")
        page = paginate(entries, request.GET.get("page"), self.page_size)
        return render(request, self.template_name, {"view": self, "object": self.object, "page": page})


def sort_key(requested):
    """The column a ``?sort=`` value names: ``title`` for ``title`` and ``-title``."""
    requested = requested or ""
    return requested[1:] if requested.startswith("-") else requested


def refused_filters(filterset):
    """True when the list's filters were given a value they refuse."""
    return filterset is not None and filterset.is_bound and not filterset.is_valid()


def permitted_child(user, action, child_model, parent):
    """May ``user`` ``action`` a child (a partner role, a headline) of ``parent``: the parent is in reach?"""
    extent = grant(user, action, child_model)
    if extent is None:
        return False
    return extent == "all" or type(parent)._default_manager.owned_by(user).filter(pk=parent.pk).exists()


def require_child(user, action, child_model, parent):
    """A child (a partner role, a headline) may be added when the parent is in the user's reach."""
    if not permitted_child(user, action, child_model, parent):
        raise PermissionDenied


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)
