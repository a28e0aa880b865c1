"""Documents' pages for every app that keeps them: upload the next version, and download it.

A document is only ever added, never replaced or deleted. Who may see documents is narrower than
who may see their parent: a partnership lead sees (and adds) those of their own partnerships only
(``core.permissions.RIGHTS``). A document the user may not see is a 404, so its existence is not
disclosed. A stored file that is missing, or no longer the file uploaded, is never served: the
page says so (410) and the operators are told in the log.
"""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.views import View

from core.documents import DocumentUnavailable, add_version, download_response, size_text
from core.permissions import get_visible_or_404, scope
from core.views import require_child

logger = logging.getLogger(__name__)


def visible_documents(user, model, parent):
    """``parent``'s documents (of ``model``) that ``user`` may see, newest version first."""
    queryset = model._default_manager.filter(**{model.parent_field: parent}).select_related("uploaded_by")
    return scope(user, "view", queryset).order_by("-version")


def parent_model(model):
    return model._meta.get_field(model.parent_field).related_model


def store_upload(form, user):
    """The next version of a document from a valid upload ``form`` (a model form of it with a
    ``file`` field), stored all or nothing; ``None``, with the reason on the form, otherwise."""
    if not form.is_valid():
        return None
    document = form.save(commit=False)
    document.uploaded_by = user
    try:
        add_version(document, form.cleaned_data["file"], form.checked)
    except ValidationError as error:
        form.add_error(None, error.messages)
    except IntegrityError:
        form.add_error(None, "Someone added another version at the same moment. Upload this one again.")
    else:
        return document
    return None


class DocumentAddView(View):
    """Upload a document to a parent record (the ``pk`` in the URL): the next version of its documents."""

    model = None  # a core.models.Document
    form_class = None  # a model form of it with a ``file`` field (core.forms_documents)
    template_name = "documents/add.html"
    intro = ""  # what may be uploaded here
    back_label = "Back"  # the link to the parent's page

    @cached_property
    def parent(self):
        queryset = parent_model(self.model)._default_manager.select_related("partnership")
        return get_visible_or_404(self.request.user, queryset, pk=self.kwargs["pk"])

    def check(self):
        # A lead may add documents only to records of partnerships they lead or are delegated on.
        require_child(self.request.user, "add", self.model, self.parent)

    def get_form(self, data=None, files=None):
        instance = self.model(**{self.model.parent_field: self.parent})
        return self.form_class(data=data, files=files, instance=instance, user=self.request.user)

    def get(self, request, pk):
        self.check()
        return self.render(self.get_form())

    def post(self, request, pk):
        self.check()
        form = self.get_form(request.POST, request.FILES)
        document = store_upload(form, request.user)
        if document is None:
            return self.render(form, status=400)
        messages.success(
            request,
            f"Document added: {document.label} (version {document.version}, {document.original_name}, "
            f"{size_text(document.size)}).",
        )
        return redirect(self.parent.get_absolute_url())

    def render(self, form, status=200):
        context = {
            "view": self,
            "form": form,
            "parent": self.parent,
            "documents": visible_documents(self.request.user, self.model, self.parent),
        }
        return render(self.request, self.template_name, context, status=status)


class DocumentDownloadView(View):
    """The stored file, as an attachment, if the user may see it and it is unchanged since upload."""

    model = None  # a core.models.Document
    back_label = "Go back"  # the link under "this document cannot be downloaded", to the parent's page
    template_name = "documents/unavailable.html"

    def get(self, request, pk):
        queryset = self.model._default_manager.select_related(self.model.parent_field)
        document = get_visible_or_404(request.user, queryset, pk=pk)
        try:
            return download_response(document)
        except DocumentUnavailable as problem:
            logger.error(
                "%s %s (%s) not served: stored file %s; expected SHA-256 %s, %s bytes",
                capfirst(self.model._meta.verbose_name),
                document.pk,
                document.file.name,
                problem.reason,
                document.sha256,
                document.size,
            )
            context = {"view": self, "document": document, "parent": document.parent}
            return render(request, self.template_name, context, status=410)
