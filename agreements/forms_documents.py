"""The upload form for agreement documents: a title, what the document is, and the file."""

from django import forms
from django.conf import settings

from agreements.models import AgreementDocument
from core.documents import ACCEPT, EMPTY_MESSAGE, check_upload, size_text
from core.forms import AccordModelForm


class DocumentUploadForm(AccordModelForm):
    file = forms.FileField(
        label="File",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": "Choose the file to upload.",
            "empty": EMPTY_MESSAGE,
            "invalid": "The file could not be read. Choose the file again.",
        },
    )

    class Meta:
        model = AgreementDocument
        fields = ["title", "kind"]
        widgets = {"kind": forms.RadioSelect}
        labels = {"title": "Document title", "kind": "What is this document?"}
        help_texts = {"title": "For example, Memorandum of understanding – draft for Board, March 2022."}
        error_messages = {"title": {"required": "Enter a title for the document."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked = None
        self.fields["file"].help_text = (
            f"PDF, Word, OpenDocument, Excel, CSV, plain text, PNG or JPEG, up to "
            f"{size_text(settings.DOCUMENT_MAX_BYTES)}. Documents with macros are not accepted."
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = check_upload(upload)
        return upload
