"""Agreement documents: a new version of an agreement's documents, stored all or nothing.

What may be uploaded (checked by content), what it is called, where it is kept and how it is
read back are the same for every app and live in ``core.documents``; the names are re-exported
here for the agreements' forms, views and tests. What is particular to agreements is the
versioning: documents are only ever added, each the next version of the agreement's documents.
"""

from django.db.models import Max

from core import documents as _documents
from core.documents import (  # noqa: F401  (the agreements' forms, views and tests import them from here)
    ACCEPT,
    ALLOWED_SENTENCE,
    EMPTY_MESSAGE,
    CheckedDocument,
    DocumentStorage,
    DocumentUnavailable,
    check_upload,
    checksum,
    clean_name,
    detect,
    open_verified,
    size_text,
)


def document_storage():
    """The storage of ``AgreementDocument.file``: the shared document store.

    A function of this module (not an alias of ``core.documents.document_storage``) because the
    agreements' migrations name it here.
    """
    return _documents.document_storage()


def add_document(agreement, upload, checked, *, title, kind, user):
    """Record a new version of an agreement's documents and store its file, all or nothing.

    The next version number is taken with the agreement row locked. The file is written last,
    after every check, inside the transaction; if anything fails the file written is removed.
    """
    from agreements.models import Agreement, AgreementDocument

    def lock_and_number(document):
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        document.agreement = locked
        document.version = (locked.documents.aggregate(highest=Max("version"))["highest"] or 0) + 1

    document = AgreementDocument(agreement=agreement, kind=kind, title=title, uploaded_by=user)
    return _documents.save_with_file(document, upload, checked, before_save=lock_and_number)
