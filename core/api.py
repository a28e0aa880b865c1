"""The REST API: one generic endpoint per kind of record, built from the record's own pages.

An app exposes a kind of record by naming the page views that already hold its rules
(``core.registry.api``): the list view (who sees which rows, the register's filters, sorting),
the edit view (the form that validates, the refusals, the service function that saves), the
delete view and any action views (close a partnership, say). The API runs those very classes, so
the API and the pages cannot disagree about a right, a rule or a message.

- ``GET /api/<name>/`` the rows the user may see, filtered with the list page's own query
  parameters, sorted with ``?sort=``, in pages (``?page=``, ``?page_size=`` up to 500).
- ``GET /api/<name>/<id>/`` one record, with its version as the ``ETag``.
- ``POST /api/<name>/`` adds one through the edit page's form; ``PUT`` / ``PATCH`` change one
  and ``DELETE`` removes one, each only with ``If-Match: <the ETag read>`` (``428`` without it,
  ``412`` when somebody else changed the record meanwhile: ``core.versions``).
- ``POST /api/<name>/<id>/<action>/`` runs an action view's form, with ``If-Match`` too: an edit
  view's form and save, or a step's (a view with ``get_form(data)`` and ``perform(form)``, such
  as casting a vote: its service function's refusal is a ``400`` against the step's field).
- ``GET /api/<name>/<id>/<format>/`` (or ``…/<id>/download/``) sends a file through the page's
  download view, which checks the user's right and the file's SHA-256 as the page does.

Writes are audited like the pages' with ``source="api"`` and the token used.
"""

import datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.http import Http404, QueryDict
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ParseError
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core import versions
from core.audit import audit_context
from core.permissions import grant, scope
from core.roles import sees_as_partner
from core.views import ObjectListView, refused_filters

MAX_PAGE_SIZE = 500
PAGE_SIZE = 50


def list_class(resource):
    """The list page's view of ``resource``, or (a child record with no list page) a plain one."""
    if resource.list_view is not None:
        return resource.list_view
    if resource.name not in _plain_lists:
        attrs = {"model": resource.model}
        _plain_lists[resource.name] = type(f"{resource.model.__name__}ApiList", (ObjectListView,), attrs)
    return _plain_lists[resource.name]


_plain_lists = {}


def read_fields(resource):
    """The record's fields in answers: ``id``, then those named, else the edit form's."""
    names = list(resource.fields) or list(_form_field_names(resource.form_class))
    if resource.parent and resource.parent not in names:
        names.insert(0, resource.parent)
    return ("id", *(n for n in names if n != "id"))


def many_to_many(resource):
    shown = read_fields(resource)
    return tuple(f.name for f in resource.model._meta.many_to_many if f.name in shown)


# ---------------------------------------------------------------------------------------------
# Errors, in one shape: {"detail": "...", "errors": {field: [messages]}}


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = (
        "Send If-Match with the ETag of the record as you last read it: a write must say which version it changes."
    )
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = 412
    default_detail = "Somebody changed this record after you read it. Read it again (GET) and re-apply your change."
    default_code = "precondition_failed"


class Refused(APIException):
    status_code = 409
    default_code = "refused"


class Invalid(APIException):
    """Bad input: nothing was written. ``errors`` says which field and why, in the pages' words."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, errors, detail="Nothing was saved: correct the errors and send it again."):
        super().__init__(detail)
        self.errors = errors


def exception_handler(exc, context):
    """DRF's answer, in the API's one error shape; never a traceback, never the input echoed."""
    from rest_framework.views import exception_handler as drf_handler

    if isinstance(exc, Http404):
        exc = NotFound("Not found, or not yours to see.")
    elif isinstance(exc, PermissionDenied):
        exc = ApiPermissionDenied("Your role may not do this.")
    response = drf_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, Invalid):
        response.data = {"detail": str(exc.detail), "errors": exc.errors}
    elif isinstance(data, dict) and "detail" in data:
        response.data = {"detail": str(data["detail"])}
    else:
        response.data = {"detail": "Nothing was saved: correct the errors and send it again.", "errors": data}
    return response


# ---------------------------------------------------------------------------------------------
# Records as JSON


def _form_field_names(form_class):
    if form_class is None:
        return ()
    meta = getattr(form_class, "Meta", None)
    names = list(getattr(meta, "fields", None) or ())
    return [*names, *(n for n in form_class.base_fields if n not in names)]


def component_name(model):
    """The model's name in the schema: its class name, after its app's where two apps' models
    share one (peer reviews' and the register's review rounds)."""
    from core import registry

    name = model.__name__
    if any(r.model.__name__ == name and r.model is not model for r in registry.api_resources()):
        return "".join(part.title() for part in model._meta.app_label.split("_")) + name
    return name


def read_serializer(resource):
    """A serializer of the record as the API shows it: links as ids, choices as their codes."""
    model_fields = {f.name for f in resource.model._meta.get_fields()}
    names = [n for n in read_fields(resource) if n in model_fields]
    # Not declared read-only: DRF would then drop ``allow_blank`` / ``allow_null``, and the schema
    # would promise values (a choice never blank) that records do not keep. It only writes answers.
    meta = type("Meta", (), {"model": resource.model, "fields": names})
    name = f"{component_name(resource.model)}Read"
    attrs = {"Meta": meta}
    if resource.withhold:
        flag, withheld = resource.withhold

        def to_representation(self, instance):
            data = serializers.ModelSerializer.to_representation(self, instance)
            if getattr(instance, flag):
                data.update({n: None for n in withheld if n in data})
            return data

        attrs["to_representation"] = to_representation
    withheld = resource.withhold[1] if resource.withhold else ()
    for n in names:
        model_field = resource.model._meta.get_field(n)
        if n in withheld:  # a withheld entry answers null: the schema says so
            attrs[n] = _answer_field(model_field, null=True)
        elif not model_field.editable and not model_field.primary_key and model_field.concrete:
            # Written by the services, never typed: DRF would make it read-only and drop its
            # ``allow_blank`` / ``allow_null`` (an outcome blank until the vote closes).
            attrs[n] = _answer_field(model_field, null=model_field.null)
    return type(name, (serializers.ModelSerializer,), attrs)


def _answer_field(model_field, null):
    """``model_field`` as an answer holds it: blank where the model allows it, null if ``null``."""
    common = {"read_only": True, "allow_null": null}
    if model_field.many_to_many:
        return serializers.PrimaryKeyRelatedField(many=True, **common)
    if model_field.is_relation:
        return serializers.PrimaryKeyRelatedField(**common)
    blank = {"allow_blank": True} if model_field.blank or null else {}
    if model_field.choices:
        return serializers.ChoiceField(choices=model_field.choices, **blank, **common)
    mapping = serializers.ModelSerializer.serializer_field_mapping
    field_class = next((mapping[k] for k in type(model_field).__mro__ if k in mapping), serializers.CharField)
    if issubclass(field_class, serializers.CharField):
        return field_class(**blank, **common)
    if issubclass(field_class, serializers.DecimalField):
        return field_class(max_digits=model_field.max_digits, decimal_places=model_field.decimal_places, **common)
    return field_class(**common)


_written = {}


def write_serializer(resource, form_class, create=False):
    """A serializer describing what a form takes, for the schema only (the form validates)."""
    create = create and bool(resource.parent)  # only a child's add differs: it names its parent
    key = (resource.name, form_class, create)
    if key not in _written:
        _written[key] = _write_serializer(resource, form_class, create)
    return _written[key]


def _write_serializer(resource, form_class, create):
    attrs = {}
    if create and resource.parent:
        attrs[resource.parent] = serializers.IntegerField(help_text=f"The id of the {resource.parent} it belongs to.")
    try:
        form = form_class(user=None)
    except Exception:  # a form that needs a record or a user to build: described by its fields only
        form = None
    fields = form.fields if form is not None else form_class.base_fields
    for name, form_field in fields.items():
        attrs[name] = _schema_field(form_field)
    action = form_class.__name__.removesuffix("Form").replace(resource.model.__name__, "")
    name = f"{component_name(resource.model)}{action}{'Create' if create else ''}Write"
    return type(name, (serializers.Serializer,), attrs)


def _schema_field(form_field):
    common = {"required": form_field.required, "help_text": str(form_field.help_text or "") or None}
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), **common)
    if isinstance(form_field, forms.ModelChoiceField):
        return serializers.IntegerField(allow_null=not form_field.required, **common)
    if isinstance(form_field, forms.MultipleChoiceField):
        choices = _choices(form_field)
        child = serializers.ChoiceField(choices=choices) if choices else serializers.CharField()
        return serializers.ListField(child=child, **common)
    if isinstance(form_field, forms.ChoiceField) and _choices(form_field):
        return serializers.ChoiceField(choices=_choices(form_field), allow_blank=not form_field.required, **common)
    if isinstance(form_field, forms.BooleanField):
        return serializers.BooleanField(**common)
    if isinstance(form_field, forms.DateTimeField):
        return serializers.DateTimeField(allow_null=not form_field.required, **common)
    if isinstance(form_field, forms.DateField):
        return serializers.DateField(allow_null=not form_field.required, **common)
    if isinstance(form_field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=form_field.max_digits, decimal_places=form_field.decimal_places, allow_null=True, **common
        )
    if isinstance(form_field, forms.IntegerField):
        return serializers.IntegerField(allow_null=not form_field.required, **common)
    if isinstance(form_field, forms.FileField):
        return serializers.FileField(**common)
    return serializers.CharField(
        allow_blank=not form_field.required, max_length=getattr(form_field, "max_length", None), **common
    )


def _choices(form_field):
    """(value, label) of each choice but the blank one, groups flattened: the labels as the
    model's own, so that a choice set read and written is one enum of the schema."""
    flat = []
    for value, label in form_field.choices:
        if isinstance(label, (list, tuple)):
            flat += [(str(v), str(lbl)) for v, lbl in label]
        elif value not in ("", None):
            flat.append((str(value), str(label)))
    return flat


def _form_value(value):
    """A stored value as a form takes it from a POST: ids for links, ISO dates, text for numbers."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, models.QuerySet)):
        return [_form_value(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _payload_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, list):
        return [str(v) if not isinstance(v, str) else v for v in value]
    return value


# ---------------------------------------------------------------------------------------------
# The endpoints


class ApiView(APIView):
    """What every endpoint shares: the resource, the audit context, the user's right."""

    resource = None
    serializer_class = None  # the resource's read serializer (``read_serializer``)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if sees_as_partner(request.user):
            raise ApiPermissionDenied("The API is for the trust's staff; partner contributors use the pages.")

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    def audited(self):
        request = self.request
        token = getattr(request, "auth", None)
        return audit_context(user=request.user, source="api", token=token if hasattr(token, "name") else None)

    def page_view(self, view_class, **kwargs):
        """An instance of the page's view class for this request, as Django would make it."""
        view = view_class()
        view.setup(self.request._request, **kwargs)
        return view

    def serialize(self, obj):
        return self.serializer_class(obj).data

    def save_form(self, view, base):
        form = view.get_form()
        data = self.form_payload(form, base)
        with transaction.atomic():
            form = view.get_form(data=data, files=self.request.FILES)
            if not form.is_valid():
                raise Invalid(_errors(form))
            try:
                return view.save(form)
            except ValidationError as error:
                raise Invalid({"non_field_errors": error.messages}) from error

    def visible(self, pk):
        if grant(self.request.user, "view", self.resource.model) is None:
            raise PermissionDenied
        queryset = self.page_view(list_class(self.resource)).get_queryset()
        obj = scope(self.request.user, "view", queryset).filter(pk=pk).first()
        if obj is None:
            raise Http404
        return obj

    def form_payload(self, form, base=None):
        """The request's JSON as form data over ``base`` (the record's current values): a name the
        form does not take is refused, never silently dropped."""
        payload = self.request.data
        if not isinstance(payload, dict):
            raise ParseError("Send a JSON object of field names and values.")
        if isinstance(payload, QueryDict):
            payload = {k: payload.getlist(k) if len(payload.getlist(k)) > 1 else payload.get(k) for k in payload}
        writable = set(form.fields)
        named = {self.resource.parent} if self.resource.parent and self.is_create else set()
        ignored = named | self.ignored_read_only(payload)
        unknown = sorted(k for k in payload if k not in writable and k not in ignored)
        if unknown:
            raise Invalid({name: ["This field cannot be written here."] for name in unknown})
        data = dict(base or {})
        data.update({k: _payload_value(v) for k, v in payload.items() if k in writable})
        return data

    @property
    def is_create(self):
        return "pk" not in self.kwargs

    def ignored_read_only(self, payload):
        """Read-only names sent back unchanged (a record as read, with one field edited)."""
        obj = getattr(self, "current", None)
        if obj is None:
            return {"id"} if "id" in payload and payload["id"] is None else set()
        shown = self.serialize(obj)
        return {k for k in payload if k in shown and _same(shown[k], payload[k])}


def _same(shown, sent):
    return shown == sent or str(shown) == str(sent)


def etag(obj):
    return f'"{versions.record_version(obj)}"'


def if_match(request):
    """The version the writer read (from ``If-Match``), or refuse the write (428)."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    return header.removeprefix("W/").strip('"')


class ListEndpoint(ApiView):
    def get(self, request):
        resource = self.resource
        view = self.page_view(list_class(resource))
        if grant(request.user, "view", resource.model) is None:
            raise PermissionDenied
        filterset, results = view.results(request._request)
        if refused_filters(filterset):
            raise Invalid({k: list(v) for k, v in filterset.errors.items()}, "A filter's value was refused.")
        if resource.parent and not filtered_by_page(view, resource.parent):
            parent = _bounded_int(request.query_params.get(resource.parent), None, 1, None, resource.parent)
            if parent is not None:
                results = results.filter(**{f"{resource.parent}_id": parent})
        _, results = view.sort(results, request.query_params.get("sort"))
        if many_to_many(resource):
            results = results.prefetch_related(*many_to_many(resource))
        return self.paginated(results)

    def paginated(self, results):
        params = self.request.query_params
        size = _bounded_int(params.get("page_size"), PAGE_SIZE, 1, MAX_PAGE_SIZE, "page_size")
        number = _bounded_int(params.get("page"), 1, 1, None, "page")
        count = results.count()
        start = (number - 1) * size
        rows = list(results[start : start + size]) if start < count else []
        return Response(
            {
                "count": count,
                "page": number,
                "page_size": size,
                "next": self.page_link(number + 1) if start + size < count else None,
                "previous": self.page_link(number - 1) if number > 1 else None,
                "results": self.serializer_class(rows, many=True).data,
            }
        )

    def page_link(self, number):
        query = self.request._request.GET.copy()
        query["page"] = number
        return self.request.build_absolute_uri(f"{self.request.path}?{query.urlencode()}")

    def post(self, request):
        resource = self.resource
        if resource.create_view is None:
            raise PermissionDenied
        kwargs = {}
        if resource.parent:
            parent_pk = request.data.get(resource.parent) if isinstance(request.data, dict) else None
            if parent_pk in (None, ""):
                raise Invalid({resource.parent: ["This field is required."]})
            if not str(parent_pk).isdigit():
                raise Invalid({resource.parent: ["Give the id of a record you may see."]})
            kwargs["parent_pk"] = int(parent_pk)
        view = self.page_view(resource.create_view, **kwargs)
        view.check()
        refusal = view.refusal()
        if refusal:
            raise Refused(refusal)
        with self.audited():
            obj = self.save_form(view, base=None)
        obj = self.visible_after_write(obj)
        return Response(self.serialize(obj), status=status.HTTP_201_CREATED, headers={"ETag": etag(obj)})

    def visible_after_write(self, obj):
        return type(obj)._default_manager.get(pk=obj.pk)


def filtered_by_page(view, name):
    """Whether the list page has a filter of its own called ``name`` (the risks' "partnership", by
    reference or title): then that filter is the one the parameter means."""
    return view.filterset_class is not None and name in view.filterset_class.base_filters


def _errors(form):
    return {("non_field_errors" if k == "__all__" else k): list(v) for k, v in form.errors.items()}


def _bounded_int(value, default, low, high, name):
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise Invalid({name: ["Give a whole number."]}, f"{name} must be a whole number.") from None
    if number < low or (high is not None and number > high):
        limit = f"from {low} to {high}" if high else f"{low} or more"
        raise Invalid({name: [f"Give a number {limit}."]}, f"{name} is out of range.")
    return number


class DetailEndpoint(ApiView):
    def get(self, request, pk):
        obj = self.visible(pk)
        return Response(self.serialize(obj), headers={"ETag": etag(obj)})

    def put(self, request, pk):
        return self.change(request, pk, partial=False)

    def patch(self, request, pk):
        return self.change(request, pk, partial=True)

    def change(self, request, pk, partial):
        resource = self.resource
        if resource.edit_view is None:
            raise PermissionDenied
        return self.write(pk, resource.edit_view, partial=partial)

    def write(self, pk, view_class, partial=True, status_code=200):
        """Run ``view_class``'s form on the record under its row lock, if still at the version read."""

        def save(view):
            refusal = view.refusal()
            if refusal:
                raise Refused(refusal)
            base = _initial_data(view.get_form()) if partial else {}
            return self.save_form(view, base)

        return self.locked_write(pk, view_class, save, status_code)

    def locked_write(self, pk, view_class, run, status_code=200):
        """``run(view)`` on the record read again under its row lock, only if it is still at the
        version the caller read (``If-Match``); the answer is the record as saved, with its ETag."""
        self.visible(pk)
        view = self.page_view(view_class, pk=pk)
        view.check()
        version = if_match(self.request)
        with self.audited(), transaction.atomic():
            view.lock_object()
            self.current = view.object
            if versions.record_version(view.object) != version:
                raise PreconditionFailed()
            obj = run(view)
        obj = type(obj)._default_manager.get(pk=obj.pk)
        return Response(self.serialize(obj), status=status_code, headers={"ETag": etag(obj)})

    def delete(self, request, pk):
        resource = self.resource
        if resource.delete_view is None:
            raise PermissionDenied
        self.visible(pk)
        view = self.page_view(resource.delete_view, pk=pk)
        view.check()
        version = if_match(request)
        refusal = view.refusal()
        if refusal:
            raise Refused(refusal)
        try:
            with self.audited(), transaction.atomic():
                view.lock_object()
                if versions.record_version(view.object) != version:
                    raise PreconditionFailed()
                view.object.delete()
        except ProtectedError:
            raise Refused("This record cannot be deleted because other records still use it.") from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class ActionEndpoint(DetailEndpoint):
    action = None

    http_method_names = ["post", "options"]

    def post(self, request, pk):
        view_class = self.resource.actions[self.action]
        if is_step(view_class):
            return self.step(pk, view_class)
        return self.write(pk, view_class, partial=True)

    def step(self, pk, view_class):
        """A step's form and ``perform``: the step's own refusal (asked under the row lock, as its
        page asks it) is a 409, the service function's the step's field's error, as on its page
        (nothing written either way). The answer is the record the step made, when it made one of
        the same kind (a variation: the new draft), else the record it was taken on."""

        def perform(view):
            refusal = view.refusal() if callable(getattr(view, "refusal", None)) else None
            if refusal:
                raise Refused(refusal)
            form = view.get_form(self.form_payload(view.get_form()))
            if not form.is_valid():
                raise Invalid(_errors(form))
            try:
                made = view.perform(form)
            except ValidationError as error:
                raise Invalid({getattr(view, "error_field", None) or "non_field_errors": error.messages}) from error
            return made if isinstance(made, type(view.object)) and made.pk else view.object

        return self.locked_write(pk, view_class, perform)


def is_step(view_class):
    """A step (``perform(form)``), not an edit view (``save(form)``)."""
    return callable(getattr(view_class, "perform", None)) and not callable(getattr(view_class, "save", None))


class DownloadEndpoint(ApiView):
    """A stored file, sent by the page's own download view (its right, its checksum); a file
    the view refuses to send (missing, or changed since it was stored) is a 409 saying why."""

    http_method_names = ["get", "options"]
    download = None  # the view's keyword arguments ({"fmt": "pdf"})

    def get(self, request, pk):
        self.visible(pk)
        kwargs = {"pk": pk, **self.download}
        view = self.page_view(self.resource.download_view, **kwargs)
        response = view.get(request._request, **kwargs)
        if response.status_code in (301, 302, 303):
            said = [str(m) for m in messages.get_messages(request._request)]
            raise Refused(" ".join(said) or "The file cannot be sent.")
        return response


def _initial_data(form):
    """What the form shows for the record now, as POST data: a PATCH changes only what it names."""
    data = {}
    for name, form_field in form.fields.items():
        value = form.get_initial_for_field(form_field, name)
        if isinstance(form_field, forms.ModelMultipleChoiceField) and value is not None:
            value = [v.pk if isinstance(v, models.Model) else v for v in value]
        if isinstance(form_field, forms.FileField):
            continue
        data[name] = _form_value(value)
    return data
