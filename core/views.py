"""One set of list / detail / edit / delete / history views for every model.

A model's pages are small subclasses that name the model, its filters, columns and form. Every
view checks the user's right on the server before touching data (``core.permissions``), and every
write goes through the model layer so the audit trail records it.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.views import View

from core import markup, registry, stale, versions
from core.audit import registration
from core.exports import export_response
from core.models import AuditEntry
from core.nhs_number import contains_nhs_number
from core.pagination import paginate
from core.permissions import ALL, LIMITED, get_visible_or_404, grant, permitted, require, scope
from core.roles import sees_as_partner


class Column:
    """A list column: what it is called, how to sort by it and what it exports.

    ``shown`` says whether a list that lets the user choose its columns shows it until they do.
    A cell shows the value, or ``template`` rendered with ``obj`` and ``value``, or ``html(obj)``:
    markup written in Python (``core.markup``), for the columns of long lists where an included
    template per cell would cost most of the page's time. ``partners`` says a partner
    contributor may see it (nothing internal in it); a column that does not say is hidden from them.
    """

    def __init__(
        self, name, label, sort=None, value=None, template=None, export=True, shown=True, html=None, partners=False
    ):
        self.name = name
        self.label = label
        self.sort = sort
        self._value = value
        self.template = template
        self.html = html
        self.export = export
        self.shown = shown
        self.partners = partners

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
    """A filtered, searched, sorted, paginated and exportable list of what the user may see.

    Other apps may add filters and columns to a model's list from their ``AppConfig.ready``
    (``core.registry.list_filter`` / ``list_column``). A list whose rows are not a model's
    queryset (the IG gaps) overrides :meth:`results` and :meth:`paginate`, not :meth:`get`.
    """

    model = None
    filterset_class = None
    columns = ()
    default_sort = None
    page_size = 50
    template_name = "generic/object_list.html"
    results_template_name = "generic/includes/object_table.html"
    add_url_name = None
    export_formats = ("csv", "xlsx")
    choose_columns = False  # a "Choose columns" control; each user's choice is kept in their session
    # A partner contributor may use the list only when it says so (the register): whatever right
    # they have on single records (an incident shared with them), a list that does not is refused.
    partners = False

    def get_queryset(self):
        return self.model._default_manager.all()

    @cached_property
    def extensions(self):
        """The columns other apps added to this list (``core.registry.list_column``)."""
        return registry.columns_for(self.model)

    def get_columns(self):
        columns = (*self.columns, *(extension.column for extension in self.extensions))
        if sees_as_partner(getattr(getattr(self, "request", None), "user", None)):
            return tuple(c for c in columns if c.partners)
        return columns

    def filter_defaults(self):
        """Filters applied while the request does not name them (a lead's "My partnerships")."""
        return {}

    def filter_data(self, request):
        """The filters to apply: the request's own and the defaults (``None`` when there are none)."""
        data = request.GET.copy()
        data.pop("columns", None)
        for name, value in self.filter_defaults().items():
            data.setdefault(name, value)
        return data or None

    def get(self, request):
        require(request.user, "view", self.model)
        if sees_as_partner(request.user) and not self.partners:
            raise PermissionDenied
        filterset, results = self.results(request)
        sort, results = self.sort(results, request.GET.get("sort"))
        fmt = request.GET.get("export")
        if fmt and not refused_filters(filterset):
            return self.export(fmt, results)
        page = self.paginate(results, request.GET.get("page"))
        context = self.get_context_data(filterset=filterset, page=page, sort=sort)
        return self.render_list(request, context, filterset)

    def results(self, request):
        """(the filterset, the rows it leaves among those the user may see)."""
        queryset = scope(request.user, "view", self.get_queryset())
        for extension in self.extensions:
            if extension.annotate is not None:
                queryset = extension.annotate(queryset)
        if self.filterset_class is None:
            return None, queryset
        filterset = self.filterset_class(self.filter_data(request), queryset, request=request)
        if filterset.is_bound:
            queryset = filterset.qs if filterset.is_valid() else queryset.none()
        return filterset, queryset

    def paginate(self, results, number):
        return paginate(results, number, self.page_size)

    def get_context_data(self, filterset, page, sort):
        request = self.request
        return {
            "view": self,
            "model": self.model,
            "verbose_name": self.model._meta.verbose_name,
            "verbose_name_plural": self.model._meta.verbose_name_plural,
            "filterset": filterset,
            "page": page,
            "rows": self.rows(page.object_list),
            "columns": self.shown_columns,
            "column_choices": [(c, c in self.shown_columns) for c in self.get_columns()] if self.choose_columns else (),
            "sort": sort,
            "query_without_page": self.query_string(request, exclude=("page", "columns")),
            "query_without_sort": self.query_string(request, exclude=("page", "sort", "columns")),
            "query_for_export": self.query_string(request, exclude=("page", "export", "columns")),
            "query_for_columns": self.query_pairs(request, exclude=("page", "columns")),
            "can_add": permitted(request.user, "add", self.model),
            "add_url_name": self.add_url_name,
            "export_formats": self.export_formats,
        }

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

    @cached_property
    def shown_columns(self):
        """The columns on the page: those the user chose (``?columns=…``, then remembered in their
        session) or those shown by default. The first column, the link to the record, always is."""
        if not self.choose_columns:
            return list(self.get_columns())
        request = self.request
        key = f"columns:{request.path}"
        if "columns" in request.GET:
            request.session[key] = request.GET.getlist("columns")
        chosen = request.session.get(key)
        first, *others = self.get_columns()
        return [first, *(c for c in others if (c.name in chosen if chosen is not None else c.shown))]

    def rows(self, objects):
        for extension in self.extensions:
            if extension.attach is not None:
                objects = extension.attach(objects, self.request)
        return [self.row(obj) for obj in objects]

    def row(self, obj):
        """(obj, its cells, the whole row's markup when every column writes its cell in Python)."""
        cells = [self.cell(col, obj) for col in self.shown_columns]
        if all(markup for _, _, markup in cells):
            return obj, cells, markup.row(cell for _, _, cell in cells)
        return obj, cells, None

    @staticmethod
    def cell(column, obj):
        """(column, value, the cell's markup when the column writes it in Python, else ``None``)."""
        if column.html is not None:
            return column, None, markup.cell(column.label, column.html(obj))
        return column, column.value(obj), None

    def sortable(self):
        return {c.name: c.sort for c in self.get_columns() if c.sort}

    def sort(self, queryset, requested):
        """Apply ``?sort=name`` / ``?sort=-name`` for a sortable column; ignore anything else."""
        requested, ordering = self.ordering(requested)
        if not ordering:
            return None, queryset.order_by("pk")
        for extension in self.extensions:
            if extension.sort_by is not None and extension.column.name == sort_key(requested):
                queryset = extension.sort_by(queryset)
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
        columns = [c for c in self.get_columns() if c.export]
        headers = [c.label for c in columns]
        return headers, ([c.value(obj) for c in columns] for obj in queryset.iterator(chunk_size=2000))

    def export_name(self):
        return self.model._meta.verbose_name_plural.replace(" ", "-")

    def export(self, fmt, queryset):
        if fmt not in self.export_formats:
            raise Http404("Unknown export format.")
        headers, rows = self.export_headers_and_rows(queryset)
        return export_response(fmt, self.export_name(), headers, rows)

    @staticmethod
    def query_pairs(request, exclude=()):
        """The list's query for its links, without ``exclude`` and without a value the filters
        refuse as an NHS number (links never carry it on)."""
        return [
            (k, v)
            for k, values in request.GET.lists()
            if k not in exclude
            for v in values
            if v != "" and not contains_nhs_number(v)
        ]

    @classmethod
    def query_string(cls, request, exclude=()):
        return urlencode(cls.query_pairs(request, exclude))


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

    def lock_object(self):
        """Read the object again, its row locked until the transaction ends (``core.versions``),
        and check the user's right on it again: a write starts from what is stored now."""
        versions.lock_record(self.object)
        self.__dict__.pop("object")
        self.check()


class ObjectDetailView(ObjectMixin, View):
    """An object's page, with the panels other apps add to it (``core.registry.panel``)."""

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
            "panels": self.panels(),
        }

    def panels(self):
        """Each registered panel that has something to show this user, rendered."""
        shown = []
        partner = sees_as_partner(self.request.user)
        for panel in registry.panels_for(self.model):
            if partner and not panel.partners:
                continue
            context = panel.context(self.request, self.object)
            if context is not None:
                context = {"object": self.object, **context}
                shown.append(render_to_string(panel.template, context, request=self.request))
        return shown


class ObjectEditView(ObjectMixin, View):
    """Create (no ``pk`` in the URL) or update an object through its form, in one transaction.

    An update is refused, and shown with what changed meanwhile, when the record is no longer as
    the page showed it (``core.versions``, ``core.stale``): no save silently undoes another.
    """

    form_class = None
    template_name = "generic/object_form.html"
    parent_model = None
    parent_field = None
    stored = None  # the record's stored values, read under the save's row lock
    opened = None  # what the page showed when it was opened (``core.versions.Opened``)

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
        try:
            with transaction.atomic():
                if not self.is_create:
                    self.read_for_update()
                form = self.get_form(request.POST, request.FILES)
                obj = self.save(form) if form.is_valid() else None
        except versions.StaleVersion:
            return self.render_stale()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if obj is not None:
                messages.success(request, self.success_message(obj))
                return redirect(self.success_url(obj))
        return self.render(form, status=400)

    def read_for_update(self):
        """Read the record again, its row locked until the save ends, and refuse the save
        (``StaleVersion``) unless the record is still as the page showed it (``core.versions``)."""
        self.lock_object()
        self.stored = versions.record_values(self.object)  # before the form changes the object in memory
        self.opened = versions.read_record_token(self.object, self.request.POST.get(versions.VERSION_FIELD))
        versions.check_values(self.stored, self.opened and self.opened.version)

    def render_stale(self):
        """The form again, nothing saved (409): who changed the record since the page was opened,
        each field that changed meanwhile, and the user's own changes over the current record, so
        that saving again re-applies them. 428 when the page did not say what it was opened at."""
        form, opened = self.get_form(), self.opened
        outside_form = []
        if opened:
            outside_form = stale.record_changes(self.model, opened.values, self.stored, stale.form_fields(form))
        form, report = stale.refused(
            self.model._meta.verbose_name,
            opened,
            form,
            self.get_form(self.request.POST, self.request.FILES),
            self.form_as_opened(opened.values) if opened else None,
            AuditEntry.objects.filter(
                object_type=ContentType.objects.get_for_model(self.model), object_id=self.object.pk
            ),
            outside_form,
        )
        return self.render(form, status=409 if opened else 428, stale=report)

    def form_as_opened(self, values):
        """The page's form, unbound, showing the record as it was when the page was opened."""
        current = self.object
        self.object = versions.record_as(current, values)
        try:
            form = self.get_form()
        finally:
            self.object = current
        form.initial.update({name: values[name] for name in registration(self.model).m2m if name in form.fields})
        return form

    def record_token(self):
        """The token of the record as stored, for the form's hidden field (``core.versions``)."""
        if self.is_create:
            return None
        return versions.record_token(self.object, self.stored)

    def save(self, form):
        return form.save()

    def success_message(self, obj):
        verb = "added" if self.is_create else "saved"
        return f"{capfirst(self.model._meta.verbose_name)} {verb}: {obj}"

    def success_url(self, obj):
        return (self.parent or obj).get_absolute_url()

    def render(self, form, status=200, refusal=None, stale=None):
        context = {
            "view": self,
            "form": form,
            "refusal": refusal,
            "stale": stale,
            "record_version": None if refusal else self.record_token(),
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
        messages.success(request, f"{capfirst(self.model._meta.verbose_name)} deleted: {label}")
        return redirect(parent_url)

    def after_delete_url(self):
        raise NotImplementedError


class ObjectHistoryView(ObjectMixin, View):
    """Every audited change to the object and to its children, newest first."""

    template_name = "generic/object_history.html"
    page_size = 50

    def check(self):
        """A history is the trust's audit trail: never shown to a partner contributor, whatever
        record they may see."""
        if sees_as_partner(self.request.user):
            raise PermissionDenied
        super().check()

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
    """May ``user`` ``action`` a child (a partner role, a headline) of ``parent``: the parent is in
    reach? For ``OWN`` the parent is one the user owns; for ``PARTY`` (a partner contributor) one
    their organisation is a party to, as the parent's queryset's ``party_to`` says (an indicator
    shared with partners, say)."""
    extent = grant(user, action, child_model)
    if extent is None:
        return False
    if extent == ALL:
        return True
    return getattr(type(parent)._default_manager, LIMITED[extent])(user).filter(pk=parent.pk).exists()


def require_child(user, action, child_model, parent):
    """A child (a partner role, a headline) may be added when the parent is in the user's reach."""
    if not permitted_child(user, action, child_model, parent):
        raise PermissionDenied


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)
