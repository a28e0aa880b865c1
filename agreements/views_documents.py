"""Uploading an agreement's documents and downloading them, each through a permission check.

A document is only ever added (a new version), never replaced or deleted by an edit. Who may see
documents is narrower than who may see agreements: a partnership lead sees (and adds) those of
their own partnerships only (``core.permissions.RIGHTS``). A document the user may not see is a
404, so its existence is not disclosed.
"""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.views import View

from agreements.documents import add_document
from agreements.forms_documents import DocumentUploadForm
from agreements.models import Agreement, AgreementDocument
from core.documents import DocumentUnavailable, download_response, size_text
from core.permissions import get_visible_or_404, scope
from core.views import require_child

logger = logging.getLogger(__name__)


def visible_documents(user, agreement):
    """The agreement's documents the user may see, newest version first."""
    queryset = AgreementDocument.objects.filter(agreement=agreement).select_related("uploaded_by")
    return scope(user, "view", queryset).order_by("-version")


class DocumentAddView(View):
    """Upload a document to an agreement: the next version of its documents."""

    template_name = "agreements/documents/add.html"
    form_class = DocumentUploadForm

    @cached_property
    def agreement(self):
        queryset = Agreement.objects.select_related("partnership")
        return get_visible_or_404(self.request.user, queryset, pk=self.kwargs["pk"])

    def check(self):
        # A lead may add documents only to agreements of partnerships they lead or are delegated on.
        require_child(self.request.user, "add", AgreementDocument, self.agreement)

    def get_form(self, data=None, files=None):
        instance = AgreementDocument(agreement=self.agreement)
        return self.form_class(data=data, files=files, instance=instance, user=self.request.user)

    def get(self, request, pk):
        self.check()
        return self.render(self.get_form())

    def post(self, request, pk):
        self.check()
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = add_document(
                    self.agreement,
                    form.cleaned_data["file"],
                    form.checked,
                    title=form.cleaned_data["title"],
                    kind=form.cleaned_data["kind"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            except IntegrityError:
                form.add_error(
                    None, "Another version of this agreement's documents was added at the same moment. Upload it again."
                )
            else:
                messages.success(
                    request,
                    f"Document added: {document.title} (version {document.version}, {document.original_name}, "
                    f"{size_text(document.size)}).",
                )
                return redirect(self.agreement.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {
            "form": form,
            "agreement": self.agreement,
            "documents": visible_documents(self.request.user, self.agreement),
        }
        return render(self.request, self.template_name, context, status=status)


class DocumentDownloadView(View):
    """The stored file, as an attachment, if the user may see it and it is unchanged since upload."""

    unavailable_template_name = "agreements/documents/unavailable.html"

    def get(self, request, pk):
        queryset = AgreementDocument.objects.select_related("agreement__partnership")
        document = get_visible_or_404(request.user, queryset, pk=pk)
        try:
            return download_response(document)
        except DocumentUnavailable as problem:
            # Never serve something other than what was uploaded: say so, and tell the operators.
            logger.error(
                "Agreement document %s (%s) not served: stored file %s; expected SHA-256 %s, %s bytes",
                document.pk,
                document.file.name,
                problem.reason,
                document.sha256,
                document.size,
            )
            context = {"document": document, "agreement": document.agreement}
            return render(request, self.unavailable_template_name, context, status=410)
