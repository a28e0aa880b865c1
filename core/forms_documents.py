"""The file input of every document upload: what Accord accepts, said before people try, and the
file checked by its content when the form is cleaned (``core.documents.check_upload``)."""

from django import forms
from django.conf import settings

from core.documents import ACCEPT, EMPTY_MESSAGE, check_upload, size_text


def document_field(label="File", required=True):
    return forms.FileField(
        label=label,
        required=required,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": "Choose the file to upload.",
            "empty": EMPTY_MESSAGE,
            "invalid": "The file could not be read. Choose the file again.",
        },
    )


def accepted_files():
    """The types and size accepted, for a help text (read when the form is built: the limit is a setting)."""
    limit = size_text(settings.DOCUMENT_MAX_BYTES)
    return f"PDF, Word, OpenDocument, Excel, CSV, plain text, PNG or JPEG, up to {limit}"


class DocumentUploadMixin:
    """For a form with a ``file`` field: the upload, once cleaned, is checked (``self.checked``)."""

    checked = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        self.checked = check_upload(upload) if upload else None
        return upload
