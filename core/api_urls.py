"""``/api/``: an endpoint per registered kind of record (``core.registry.api``), the OpenAPI
schema, and its Swagger UI and Redoc pages (their files served from here, no other host)."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers

from core import registry
from core.api import (
    ActionEndpoint,
    DetailEndpoint,
    DownloadEndpoint,
    ListEndpoint,
    filtered_by_page,
    list_class,
    read_serializer,
    write_serializer,
)

app_name = "api"


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in words.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Each field that was refused and why; nothing was written.",
    )


def _errors(*codes):
    words = {
        400: "Bad input: nothing was written.",
        401: "No valid token or session.",
        403: "Your role may not do this.",
        404: "Not found, or not yours to see.",
        409: "Refused by a rule of the record's state; nothing was written.",
        412: "Changed by somebody else since you read it (If-Match no longer matches).",
        428: "If-Match missing: send the ETag you read.",
    }
    return {code: OpenApiResponse(ErrorSerializer, description=words[code]) for code in codes}


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the record as you read it (GET); a write to a record changed since is refused (412).",
)


def _page_serializer(read):
    return type(
        f"{read.__name__.removesuffix('Read')}Page",
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "page": serializers.IntegerField(),
            "page_size": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": read(many=True),
        },
    )


def _list_parameters(resource):
    parameters = [
        OpenApiParameter("page", OpenApiTypes.INT, description="Page number, from 1."),
        OpenApiParameter("page_size", OpenApiTypes.INT, description="Rows per page, 1 to 500 (50)."),
    ]
    view = list_class(resource)
    sortable = [c.sort and c.name for c in view.columns if c.sort]
    if sortable:
        parameters.append(
            OpenApiParameter(
                "sort",
                OpenApiTypes.STR,
                enum=[*sortable, *(f"-{name}" for name in sortable)],
                description="Sort by a column; a leading - reverses it.",
            )
        )
    if resource.parent and not filtered_by_page(view, resource.parent):
        parameters.append(
            OpenApiParameter(
                resource.parent, OpenApiTypes.INT, description=f"Only those of this {resource.parent} (its id)."
            )
        )
    if view.filterset_class is not None:
        for name, flt in view.filterset_class.base_filters.items():
            parameters.append(OpenApiParameter(name, OpenApiTypes.STR, description=str(flt.label or name)))
    return parameters


def _tagged(resource):
    return resource.name.replace("-", " ").capitalize()


def list_endpoint(resource, read):
    tag = _tagged(resource)
    schemas = {
        "get": extend_schema(
            operation_id=f"{resource.name}_list",
            tags=[tag],
            parameters=_list_parameters(resource),
            responses={200: _page_serializer(read), **_errors(400, 401, 403)},
        )
    }
    if resource.create_view is not None:
        schemas["post"] = extend_schema(
            operation_id=f"{resource.name}_create",
            tags=[tag],
            request=write_serializer(resource, resource.create_view.form_class, create=True),
            responses={201: read, **_errors(400, 401, 403, 404, 409)},
        )
    methods = [m for m in ("get", "post") if m in schemas] + ["options"]
    attrs = {"resource": resource, "serializer_class": read, "http_method_names": methods}
    view = type(f"{read.__name__}List", (ListEndpoint,), attrs)
    return extend_schema_view(**schemas)(view)


def detail_endpoint(resource, read):
    tag = _tagged(resource)
    schemas = {
        "get": extend_schema(
            operation_id=f"{resource.name}_read", tags=[tag], responses={200: read, **_errors(401, 403, 404)}
        )
    }
    methods = ["get", "options"]
    if resource.edit_view is not None:
        written = write_serializer(resource, resource.edit_view.form_class)
        answers = {200: read, **_errors(400, 401, 403, 404, 409, 412, 428)}
        for method in ("put", "patch"):
            schemas[method] = extend_schema(
                operation_id=f"{resource.name}_{'update' if method == 'put' else 'partial_update'}",
                tags=[tag],
                request=written,
                parameters=[IF_MATCH],
                responses=answers,
            )
        methods += ["put", "patch"]
    if resource.delete_view is not None:
        schemas["delete"] = extend_schema(
            operation_id=f"{resource.name}_delete",
            tags=[tag],
            parameters=[IF_MATCH],
            responses={204: None, **_errors(401, 403, 404, 409, 412, 428)},
        )
        methods.append("delete")
    attrs = {"resource": resource, "serializer_class": read, "http_method_names": methods}
    view = type(f"{read.__name__}Detail", (DetailEndpoint,), attrs)
    return extend_schema_view(**schemas)(view)


def action_endpoint(resource, read, action, view_class):
    schema = extend_schema(
        operation_id=f"{resource.name}_{action}",
        tags=[_tagged(resource)],
        request=write_serializer(resource, view_class.form_class),
        parameters=[IF_MATCH],
        responses={200: read, **_errors(400, 401, 403, 404, 409, 412, 428)},
    )
    name = f"{read.__name__}{action.title().replace('_', '').replace('-', '')}"
    view = type(name, (ActionEndpoint,), {"resource": resource, "serializer_class": read, "action": action})
    return extend_schema_view(post=schema)(view)


def download_endpoint(resource, read, segment, kwargs):
    schema = extend_schema(
        operation_id=f"{resource.name}_{segment}",
        tags=[_tagged(resource)],
        description="The stored file, sent only once its SHA-256 matches the one recorded when it was made.",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file."),
            **_errors(401, 403, 404, 409),
        },
    )
    name = f"{read.__name__}{segment.title()}"
    attrs = {"resource": resource, "serializer_class": read, "download": kwargs}
    view = type(name, (DownloadEndpoint,), attrs)
    return extend_schema_view(get=schema)(view)


def _patterns():
    patterns = []
    for resource in registry.api_resources():
        read = read_serializer(resource)
        base = resource.name
        endpoints = [
            (f"{base}/", list_endpoint(resource, read), f"{base}-list"),
            (f"{base}/<int:pk>/", detail_endpoint(resource, read), f"{base}-detail"),
            *(
                (f"{base}/<int:pk>/{action}/", action_endpoint(resource, read, action, view), f"{base}-{action}")
                for action, view in resource.actions.items()
            ),
            *(
                (f"{base}/<int:pk>/{segment}/", download_endpoint(resource, read, segment, kwargs), f"{base}-{segment}")
                for segment, kwargs in resource.downloads.items()
            ),
        ]
        # A token, not a session, signs API clients in: the pages' redirect to the sign-in page
        # would answer them with HTML; DRF answers 401 instead.
        patterns += [path(route, login_not_required(view.as_view()), name=name) for route, view, name in endpoints]
    return patterns


# Swagger UI and Redoc draw with inline styles (and Redoc with a worker from a blob).
@csp_update({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"], "img-src": [SELF, "data:"]})
def docs(request, redoc=False):
    """The API's reference, signed in with the session: try any call as yourself."""
    return render(request, "api/docs.html", {"redoc": redoc})


@csrf_exempt  # it writes nothing; a PUT to an unknown address gets the JSON 404, not a CSRF page
@login_not_required
def not_found(request, rest=""):
    """Any other address under ``/api/`` (an id that is not a number, say): a JSON 404 like the
    endpoints', not the pages' HTML one."""
    return JsonResponse({"detail": "Not found, or not yours to see."}, status=404)


urlpatterns = [
    *_patterns(),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", docs, name="docs"),
    path("redoc/", docs, {"redoc": True}, name="redoc"),
    re_path(r"^(?P<rest>.*)$", not_found, name="not_found"),
]
