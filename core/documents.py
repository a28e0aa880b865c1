"""Uploaded documents, for every app that keeps them: what may be uploaded, what it is called,
where it is kept, and reading it back safely.

An upload is accepted only when its *content* is one of an allow-list of document types and agrees
with the file's extension (a PDF named ``report.docx`` is refused, and so is an HTML page named
``.pdf``): the name a browser sends is never trusted. Accepted files are stored outside the web
root, in ``settings.DOCUMENT_STORAGE_DIR``, under their SHA-256 checksum (each model's
``upload_to``: ``agreements/ab/ab12…``, ``assurance/ab/ab12…``), never under the uploaded name; the
cleaned name is kept only as a label and for the download's ``Content-Disposition``. A file is
written only after every check has passed, inside the transaction that records it, and removed
again if that transaction fails (:func:`save_with_file`). A download re-computes the checksum and
refuses to serve a file that is missing or has changed since it was uploaded
(:func:`download_response`), always as an attachment with headers that stop a browser from
rendering it as a page of Accord.

A document record is a :class:`core.models.Document` (an agreement's, an IG item's): only ever
added, each the next version of its parent's documents (:func:`add_version`). Who may download it
is the download view's business (``core.views_documents``, ``core.permissions``); this module only
checks, stores and serves bytes. Office 97–2003 files are read with ``olefile`` and a password is
detected with ``msoffcrypto-tool``.
"""

import codecs
import hashlib
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import msoffcrypto
import olefile
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models import Max
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

from core.nhs_number import contains_nhs_number

# ---------------------------------------------------------------------------------------------
# Storage


@deconstructible(path="core.documents.DocumentStorage")
class DocumentStorage(FileSystemStorage):
    """Files in ``settings.DOCUMENT_STORAGE_DIR``, read when used (tests may point it elsewhere).

    Readable by Accord only (0600 files, 0700 folders). There is no public address: documents
    are served by permission-checked views (``agreements:document``, ``assurance:document``),
    never as media files.
    """

    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)
        setting_changed.connect(self._document_setting_changed)

    @cached_property
    def base_location(self):
        return os.fspath(settings.DOCUMENT_STORAGE_DIR)

    def _document_setting_changed(self, setting, **kwargs):
        if setting == "DOCUMENT_STORAGE_DIR":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Documents have no public address: link to the app's permission-checked download view.")


_storage = DocumentStorage()


def document_storage():
    """The storage of every document ``file`` field (a callable, so migrations name it, not its folder)."""
    return _storage


def document_path(document, filename):
    """Where a document's file is stored: under its app and its checksum, never the uploaded name
    (``agreements/ab/ab12…``, ``assurance/ab/ab12…``)."""
    return f"{document._meta.app_label}/{document.sha256[:2]}/{document.sha256}"


# ---------------------------------------------------------------------------------------------
# The allow-list


@dataclass(frozen=True)
class DocumentType:
    key: str
    label: str  # with its article: "This file is not a PDF"
    extensions: tuple
    content_type: str

    @property
    def extension(self):
        return self.extensions[0]


TYPES = (
    DocumentType("pdf", "a PDF", (".pdf",), "application/pdf"),
    DocumentType(
        "docx",
        "a Word document",
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    DocumentType("doc", "a Word 97–2003 document", (".doc",), "application/msword"),
    DocumentType("odt", "an OpenDocument text document", (".odt",), "application/vnd.oasis.opendocument.text"),
    DocumentType("ods", "an OpenDocument spreadsheet", (".ods",), "application/vnd.oasis.opendocument.spreadsheet"),
    DocumentType("odp", "an OpenDocument presentation", (".odp",), "application/vnd.oasis.opendocument.presentation"),
    DocumentType(
        "xlsx", "an Excel workbook", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    DocumentType("xls", "an Excel 97–2003 workbook", (".xls",), "application/vnd.ms-excel"),
    DocumentType("csv", "a CSV file", (".csv",), "text/csv"),
    DocumentType("txt", "a plain text file", (".txt",), "text/plain"),
    DocumentType("png", "a PNG image", (".png",), "image/png"),
    DocumentType("jpeg", "a JPEG image", (".jpg", ".jpeg"), "image/jpeg"),
)
TYPES_BY_KEY = {t.key: t for t in TYPES}
TYPES_BY_EXTENSION = {ext: t for t in TYPES for ext in t.extensions}
ACCEPT = ",".join(TYPES_BY_EXTENSION)
ALLOWED_SENTENCE = "Upload the document as PDF, Word, OpenDocument, Excel, CSV, plain text, PNG or JPEG."

ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}

MAX_NAME_LENGTH = 150
HEAD_BYTES = 8192
CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Content:
    """What a file's bytes really are: an allowed type (``key``) or a description of something else."""

    key: str | None = None  # a DocumentType key, or "text" (CSV or plain text, told apart by extension)
    description: str | None = None  # for anything not allowed: "an HTML page", "a Windows program"
    macros: bool = False
    encrypted: bool = False
    utf16: bool = False

    def matches(self, doc_type):
        if self.key == "text":
            return doc_type.key in ("csv", "txt")
        return self.key == doc_type.key

    @property
    def label(self):
        if self.key == "text":
            return "plain text"
        if self.key:
            return TYPES_BY_KEY[self.key].label
        return self.description

    @property
    def endings(self):
        if self.key == "text":
            return "“.txt” (or “.csv” for a table)"
        return f"“{TYPES_BY_KEY[self.key].extension}”"


UNKNOWN = Content()


# ---------------------------------------------------------------------------------------------
# What a file really is


def _read_head(upload):
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


_MARKUP = re.compile(
    rb"<(?:!--|!doctype\b|\?xml\b|(?:html|head|body|script|svg|iframe|frame|meta|style|link|img|div|span|"
    rb"table|a|p|object|embed|form|base|xsl|math)\b)"
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f]")


def _markup(head):
    """Describe HTML, SVG or XML at the start of a text file, or return None."""
    start = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if not _MARKUP.match(start):
        return None
    if b"<svg" in start:
        return "an SVG image"
    if start.startswith(b"<?xml") and b"<html" not in start:
        return "an XML file"
    return "an HTML page"


def _is_text(upload):
    """Valid UTF-8 (a byte-order mark allowed) or Windows-1252, with no NUL or other control bytes."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        upload.seek(0)
        try:
            while chunk := upload.read(CHUNK_BYTES):
                if b"\x00" in chunk or _CONTROL.search(decoder.decode(chunk)):
                    upload.seek(0)
                    return False
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        upload.seek(0)
        return True
    upload.seek(0)
    return False


def _inspect_zip(upload):
    """An Office Open XML or OpenDocument file, or what else a ZIP archive is."""
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            names = [entry.filename.lower() for entry in entries]
            if entries and entries[0].filename == "mimetype":
                with archive.open(entries[0]) as handle:
                    mimetype = handle.read(100).decode("ascii", "replace").strip()
                key = ODF_TYPES.get(mimetype)
                if any(n.startswith(("basic/", "scripts/")) for n in names):
                    return Content(description="an OpenDocument file with macros", macros=True)
                if key:
                    return Content(key=key)
                if mimetype.startswith("application/vnd.oasis.opendocument."):
                    return Content(description="an OpenDocument file of a kind Accord does not accept")
                return Content(description="a ZIP archive")
            if "[content_types].xml" not in names:
                return Content(description="a ZIP archive")
            with archive.open(entries[names.index("[content_types].xml")]) as handle:
                content_types = handle.read(1024 * 1024).lower()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
        return Content(description="a damaged ZIP or Office file")
    finally:
        upload.seek(0)
    macros = b"macroenabled" in content_types or any(n.endswith("vbaproject.bin") for n in names)
    if any(n.startswith("word/") for n in names):
        return Content(description="a Word document with macros", macros=True) if macros else Content(key="docx")
    if any(n.startswith("xl/") for n in names):
        return Content(description="an Excel workbook with macros", macros=True) if macros else Content(key="xlsx")
    if macros:
        return Content(description="an Office file with macros", macros=True)
    if any(n.startswith("ppt/") for n in names):
        return Content(description="a PowerPoint presentation")
    return Content(description="a ZIP archive")


OLE2_SIGNATURE = olefile.MAGIC


def _ole2_names(upload):
    """Every stream and storage name in an OLE2 (Office 97–2003) file, lower case; None when unreadable."""
    try:
        with olefile.OleFileIO(upload) as ole:
            return {part.lower() for path in ole.listdir(streams=True, storages=True) for part in path}
    except Exception:  # whatever olefile makes of bytes that are not a sound compound file: damaged
        return None
    finally:
        upload.seek(0)


def _password_protected(upload):
    """Whether msoffcrypto-tool finds the Office file encrypted: True, False, or None when it cannot
    read the file far enough to tell (damaged, or of a kind it does not know)."""
    try:
        return msoffcrypto.OfficeFile(upload).is_encrypted()
    except Exception:  # any failure to parse untrusted bytes means "cannot tell"
        return None
    finally:
        upload.seek(0)


def _inspect_ole2(upload):
    """A Word or Excel 97–2003 file without a password or macros, or what else an OLE2 file is.

    A password-protected Office Open XML file (.docx, .xlsx) is an OLE2 file too: an
    ``EncryptedPackage`` stream with its ``EncryptionInfo``. A Word or Excel 97–2003 file must be
    readable by msoffcrypto-tool, which says whether it is encrypted; one it cannot read is damaged.
    """
    names = _ole2_names(upload)
    if names is None:
        return Content(description="a damaged Office 97–2003 file")
    encrypted = _password_protected(upload)
    if encrypted or "encryptedpackage" in names:
        return Content(description="a password-protected Office document", encrypted=True)
    if "worddocument" in names:
        if encrypted is None:
            return Content(description="a damaged Word 97–2003 document")
        if "macros" in names or "vba" in names:
            return Content(description="a Word document with macros", macros=True)
        return Content(key="doc")
    if "workbook" in names:
        if encrypted is None:
            return Content(description="a damaged Excel 97–2003 workbook")
        if "_vba_project_cur" in names or "vba" in names:
            return Content(description="an Excel workbook with macros", macros=True)
        return Content(key="xls")
    if "book" in names:
        return Content(description="an Excel 5.0/95 workbook, a format too old for Accord to check")
    if "powerpoint document" in names:
        return Content(description="a PowerPoint 97–2003 presentation")
    if any(name.startswith("__substg1.0_") for name in names):
        return Content(description="an Outlook message")
    return Content(description="an Office 97–2003 file of a kind Accord does not accept, or an installer")


SIGNATURES = (
    (b"\x7fELF", "a Linux program"),
    (b"\xfe\xed\xfa\xce", "a Mac program"),
    (b"\xfe\xed\xfa\xcf", "a Mac program"),
    (b"\xce\xfa\xed\xfe", "a Mac program"),
    (b"\xcf\xfa\xed\xfe", "a Mac program"),
    (b"\xca\xfe\xba\xbe", "a program"),
    (b"#!", "a script (a program)"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a compressed archive"),
    (b"7z\xbc\xaf\x27\x1c", "a compressed archive"),
    (b"Rar!\x1a\x07", "a compressed archive"),
    (b"{\\rtf", "a Rich Text Format document"),
)


def detect(upload):
    """What the file's bytes are, whatever it is called."""
    head = _read_head(upload)
    if head.startswith(b"%PDF-"):
        return Content(key="pdf")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Content(key="png")
    if head.startswith(b"\xff\xd8\xff"):
        return Content(key="jpeg")
    if head.startswith(OLE2_SIGNATURE):
        return _inspect_ole2(upload)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _inspect_zip(upload)
    if head.startswith(b"MZ") and b"\x00" in head:
        return Content(description="a Windows program")
    for signature, description in SIGNATURES:
        if head.startswith(signature):
            return Content(description=description)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return Content(description="a WebP image")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Content(description="text saved as UTF-16", utf16=True)
    markup = _markup(head)
    if markup:
        return Content(description=markup)
    if _is_text(upload):
        return Content(key="text")
    return UNKNOWN


# ---------------------------------------------------------------------------------------------
# Names

_UNSAFE_NAME_CHARACTERS = re.compile(r'[<>:"/\\|?*]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}$")


def _clean_part(text):
    text = "".join(" " if ch.isspace() else ch for ch in text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    text = _UNSAFE_NAME_CHARACTERS.sub("", text)
    return " ".join(text.split()).strip(" .")


def split_name(name):
    """(stem, extension) of the base name the browser sent: no folders, extension lower case."""
    name = unicodedata.normalize("NFC", str(name or ""))
    base = re.split(r"[/\\]", name)[-1]
    match = _EXTENSION.search(base.rstrip(" ."))
    if match is None:
        return base, ""
    return base.rstrip(" .")[: match.start()], match.group().lower()


def clean_name(name):
    """A safe display and download name: base name only, no control or Windows-unsafe characters,
    spaces collapsed, extension kept (lower case), at most ``MAX_NAME_LENGTH`` characters;
    ``document.<ext>`` when nothing is left of the name."""
    stem, extension = split_name(name)
    stem = _clean_part(stem)
    if _WINDOWS_RESERVED.match(stem):
        stem = f"{stem} document"
    stem = stem[: MAX_NAME_LENGTH - len(extension)].rstrip(" .")
    return f"{stem or 'document'}{extension}"


# ---------------------------------------------------------------------------------------------
# Checking an upload


def size_text(size):
    """A size as people read it: "25 MB", "3.42 KB", "1 byte"."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.3g} MB"
    if size >= 1024:
        return f"{size / 1024:.3g} KB"
    return "1 byte" if size == 1 else f"{size} bytes"


EMPTY_MESSAGE = "The file is empty. Choose the document you meant to upload."
NHS_NUMBER_NAME_MESSAGE = (
    "The file name looks like it contains an NHS number. Accord must not hold patient information: "
    "rename the file and upload it again."
)
MACROS_MESSAGE = (
    "This file contains macros, which can run programs when it is opened, so Accord does not accept it. "
    "Save it without macros (as .docx, .xlsx or PDF) and upload that."
)
ENCRYPTED_MESSAGE = (
    "This file is protected with a password, so Accord cannot check what it contains. "
    "Remove the password, save it, and upload it again."
)
UTF16_MESSAGE = (
    "This file is saved as UTF-16 text, which Accord does not accept. "
    "Save it as “CSV UTF-8” or as plain text (UTF-8) and upload it again."
)


def too_large_message(size):
    """Says by how much the file is over the limit, exactly while that is under a kilobyte (a size
    rounded to "25 MB" would otherwise read as the limit itself)."""
    limit = settings.DOCUMENT_MAX_BYTES
    return (
        f"The file is {size_text(size)}, {size_text(size - limit)} over the {size_text(limit)} limit. "
        "Save a smaller copy (for example, compress the PDF or remove large images) and upload that."
    )


@dataclass(frozen=True)
class CheckedDocument:
    """An upload that passed every check: its clean name, detected type, size and checksum."""

    name: str
    type: DocumentType
    size: int
    sha256: str

    @property
    def content_type(self):
        return self.type.content_type


def checksum(handle):
    """The SHA-256 and size of an open binary file, read from the start."""
    digest, size = hashlib.sha256(), 0
    handle.seek(0)
    while chunk := handle.read(CHUNK_BYTES):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return digest.hexdigest(), size


def type_message(extension, content):
    """Why a file whose content is ``content`` may not be uploaded as ``extension``, or None."""
    expected = TYPES_BY_EXTENSION.get(extension)
    if content.macros:
        return MACROS_MESSAGE
    if content.encrypted:
        return ENCRYPTED_MESSAGE
    if content.utf16:
        return UTF16_MESSAGE
    if expected is None:
        named = f"its name ends “{extension}”" if extension else "its name has no ending such as .pdf or .docx"
        if content.key:
            return (
                f"This file cannot be uploaded as it is: {named}, but its content is {content.label}. "
                f"Rename it to end {content.endings} and upload it again."
            )
        if content.description:
            return f"This file cannot be uploaded: {named} and its content is {content.description}. {ALLOWED_SENTENCE}"
        return f"This file cannot be uploaded: {named}, and Accord cannot recognise its content. {ALLOWED_SENTENCE}"
    if content.matches(expected):
        return None
    if content.key:
        return (
            f"This file is not {expected.label}: its content is {content.label}. "
            f"Rename it to end {content.endings} and upload it again, or choose the right file."
        )
    if content.description:
        return f"This file is not {expected.label}: its content is {content.description}. {ALLOWED_SENTENCE}"
    return (
        f"This file is not {expected.label}: Accord cannot recognise its content (it may be damaged, "
        f"or another kind of file renamed). {ALLOWED_SENTENCE}"
    )


def check_upload(upload):
    """Check an uploaded file by its content; a :class:`CheckedDocument`, or ValidationError saying why not."""
    sha256, size = checksum(upload)
    if size == 0:
        raise ValidationError(EMPTY_MESSAGE, code="empty")
    if size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(too_large_message(size), code="too_large")
    if contains_nhs_number(upload.name):
        raise ValidationError(NHS_NUMBER_NAME_MESSAGE, code="nhs_number")
    _, extension = split_name(upload.name)
    content = detect(upload)
    message = type_message(extension, content)
    if message:
        raise ValidationError(message, code="type")
    return CheckedDocument(clean_name(upload.name), TYPES_BY_EXTENSION[extension], size, sha256)


# ---------------------------------------------------------------------------------------------
# Storing and reading back


def store_file(storage, name, upload, sha256):
    """Write the upload at ``name`` unless an identical file is there; (stored name, name written or None)."""
    if storage.exists(name):
        with storage.open(name, "rb") as existing:
            if checksum(existing)[0] == sha256:
                return name, None
        storage.delete(name)  # a damaged copy: the upload is the good one
    upload.seek(0)
    saved = storage.save(name, upload)
    return saved, saved


def save_with_file(record, upload, checked, before_save=None):
    """Save ``record`` (a document record) with ``upload`` stored as its file, all or nothing.

    ``checked`` is what :func:`check_upload` returned. ``before_save(record)``, when given, runs
    first inside the transaction (to lock a parent row and number the version, say). The file is
    written last, after every check, under the name the field's ``upload_to`` gives; if anything
    fails (the record's own save included) the file written is removed again. An identical file
    already stored (the same checksum) is shared, not written twice.
    """
    field = record._meta.get_field("file")
    storage = field.storage
    written = None
    try:
        with transaction.atomic():
            if before_save is not None:
                before_save(record)
            record.original_name = checked.name
            record.content_type = checked.content_type
            record.size = checked.size
            record.sha256 = checked.sha256
            name, written = store_file(storage, field.generate_filename(record, checked.name), upload, checked.sha256)
            record.file = name
            record.save()
    except Exception:
        if written:
            storage.delete(written)
        raise
    return record


def add_version(document, upload, checked):
    """Save ``document`` (new, its parent set) as the next version of its parent's documents, with
    ``upload`` as its file, all or nothing.

    The version number is taken with the parent row locked, so two uploads at the same moment
    cannot both be version 3.
    """
    parent_field = type(document).parent_field

    def lock_and_number(record):
        parent = getattr(record, parent_field)
        locked = type(parent)._default_manager.select_for_update().get(pk=parent.pk)
        setattr(record, parent_field, locked)
        siblings = type(record)._default_manager.filter(**{parent_field: locked})
        record.version = (siblings.aggregate(highest=Max("version"))["highest"] or 0) + 1

    return save_with_file(document, upload, checked, before_save=lock_and_number)


class DocumentUnavailable(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def open_verified(document):
    """The stored file, opened for reading, if it is there and still has its recorded checksum."""
    storage = document.file.storage
    try:
        handle = storage.open(document.file.name, "rb")
    except (FileNotFoundError, NotADirectoryError, SuspiciousFileOperation):
        raise DocumentUnavailable("missing") from None
    except OSError as error:
        raise DocumentUnavailable(f"unreadable ({error.__class__.__name__})") from None
    sha256, size = checksum(handle)
    if sha256 != document.sha256 or size != document.size:
        handle.close()
        raise DocumentUnavailable(f"changed (SHA-256 now {sha256}, {size} bytes)")
    return handle


# A downloaded document is never rendered by the browser as a page of Accord, never guessed at,
# and never kept in a shared or on-disk cache.
DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def download_response(document):
    """The stored file as an attachment with safe headers; :class:`DocumentUnavailable` if it is
    missing or no longer the file that was uploaded (the caller says so and logs it)."""
    handle = open_verified(document)
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    for header, value in DOWNLOAD_HEADERS.items():
        response[header] = value
    return response
