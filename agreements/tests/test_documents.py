"""Agreement documents: what may be uploaded (by content, not name), where it goes, who may download it.

Every file is built here, byte for byte or with the library that writes the real thing, and goes
through the upload page as a browser would send it. A refused upload must explain itself and
leave no trace: no document row, no audit entry, no file in the document store.
"""

import hashlib
import html
import io
import struct
import zipfile

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from msoffcrypto.format.ooxml import OOXMLFile

from agreements.models import Agreement, AgreementDocument, AgreementKind, DocumentKind
from core.documents import ALLOWED_SENTENCE, add_version, check_upload, clean_name
from core.models import AuditEntry
from core.roles import Role
from partnerships.models import ArrangementType, Partnership, Status

# ---------------------------------------------------------------------------------------------
# Real files, small


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb\x00C\x00" + bytes(64) + b"\xff\xd9"
)
CSV = "Milestone,Due,Owner,Budget\nJoint Commissioning Agreement in place,31/03/2018,JCCC,£2m\n".encode()
TEXT_1252 = "Term to 31 March 2018. Budget £2m – pooled.\r\n".encode("cp1252")
WINDOWS_PROGRAM = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot be run in DOS mode."
)
LINUX_PROGRAM = b"\x7fELF\x02\x01\x01\x00" + bytes(56)
HTML_PAGE = b"<!DOCTYPE html>\n<html><body><script>document.location='https://example.org/'</script></body></html>"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Memorandum of understanding</w:t></w:r></w:p></w:body></w:document>"
)


def zip_file(entries, stored_first=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries):
            kind = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return buffer.getvalue()


def docx(macros=False):
    entries = [
        ("[Content_Types].xml", CONTENT_TYPES_XML),
        ("_rels/.rels", "<Relationships/>"),
        ("word/document.xml", DOCUMENT_XML),
    ]
    if macros:
        entries.append(("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro project"))
    return zip_file(entries)


def xlsx():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Indicator", "Frequency", "Target"])
    sheet.append(["Fewer emergency admissions", "Quarterly", "5% down"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odf(mimetype):
    return zip_file(
        [
            ("mimetype", mimetype),
            ("content.xml", "<office:document-content/>"),
            ("META-INF/manifest.xml", "<manifest:manifest/>"),
        ],
        stored_first=True,
    )


def ole2(*streams):
    """A minimal, well-formed OLE2 compound file (the Office 97–2003 container).

    Each stream is a name (an empty stream) or (name, bytes); a stream with bytes is padded to 4096
    bytes, the size from which a compound file keeps a stream in ordinary sectors.
    """
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))
    fat, data, placed = [fat_sector, end], b"", []  # sector 0 holds the FAT, sector 1 the directory
    for stream in streams:
        name, content = stream if isinstance(stream, tuple) else (stream, b"")
        if not content:
            placed.append((name, end, 0))
            continue
        content = content.ljust(4096, b"\x00")
        first, count = len(fat), -(-len(content) // 512)
        fat += [*range(first + 1, first + count), end]
        data += content.ljust(count * 512, b"\x00")
        placed.append((name, first, len(content)))
    assert len(fat) <= 128

    def entry(name, kind, child=free, right=free, start=end, size=0):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        block = bytearray(128)
        block[: len(raw)] = raw
        struct.pack_into("<HBB", block, 64, len(raw), kind, 1)
        struct.pack_into("<III", block, 68, free, right, child)
        struct.pack_into("<II", block, 116, start, size)
        return bytes(block)

    entries = [entry("Root Entry", 5, child=1)]
    for index, (name, start, size) in enumerate(placed):
        right = index + 2 if index + 1 < len(placed) else free
        entries.append(entry(name, 2, right=right, start=start, size=size))
    directory = b"".join(entries).ljust(512, b"\x00")
    return bytes(header) + struct.pack(f"<{len(fat)}I", *fat).ljust(512, b"\xff") + directory + data


def word_97(encrypted=False):
    """A Word 97–2003 file: its WordDocument stream starts with the FIB, which says whether it is encrypted."""
    flags = (1 << 9) | (encrypted << 8)  # the 1Table stream; fEncrypted
    fib = struct.pack("<HHHHHH", 0xA5EC, 0xC1, 0, 0x0809, 0, flags) + bytes(20)
    return ole2(("WordDocument", fib), ("1Table", b"\x00"))


def excel_97(encrypted=False):
    """An Excel 97–2003 file: its Workbook stream's globals, with a FilePass record when it is encrypted."""
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0, 0, 0, 0)
    file_pass = struct.pack("<HHH", 0x002F, 2, 0x0001) if encrypted else b""  # RC4
    return ole2(("Workbook", bof + file_pass + struct.pack("<HH", 0x000A, 0)))


def password_protected_docx():
    """A .docx encrypted by msoffcrypto-tool, as Word saves one with a password (ECMA-376 agile)."""
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(docx())).encrypt("Partnership2018", encrypted)
    return encrypted.getvalue()


# ---------------------------------------------------------------------------------------------
# The world


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def make_partnership(reference, lead):
    return Partnership.objects.create(
        reference=reference,
        title=f"Partnership {reference}",
        arrangement_type=ArrangementType.MOU,
        status=Status.ACTIVE,
        lead=lead,
    )


@pytest.fixture
def agreement(users):
    partnership = make_partnership("P-0001", users[Role.LEAD])
    return Agreement.objects.create(
        partnership=partnership,
        kind=AgreementKind.MOU,
        title="Integrated commissioning memorandum of understanding",
    )


@pytest.fixture
def other_lead(make_user):
    lead = make_user(Role.LEAD, username="olu.other", first_name="Olu", last_name="Other")
    make_partnership("P-0002", lead)
    return lead


def add_url(agreement):
    return reverse("agreements:document_add", args=[agreement.pk])


def upload(client, agreement, name, content, title="MoU draft for Board", kind=DocumentKind.DRAFT):
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(add_url(agreement), {"title": title, "kind": kind, "file": file})


def raw_upload(client, agreement, filename, content, title="MoU draft for Board", kind=DocumentKind.DRAFT):
    """Post the multipart body by hand, so the file name reaches the server exactly as written."""
    boundary = "----AccordTestBoundary7MA4YWxkTrZu0gW"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in (("title", title), ("kind", kind))
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return client.generic(
        "POST", add_url(agreement), b"".join(parts), content_type=f"multipart/form-data; boundary={boundary}"
    )


def page_text(response):
    return html.unescape(response.content.decode())


def document_audit_entries():
    return AuditEntry.objects.filter(object_type=ContentType.objects.get_for_model(AgreementDocument))


def download(client, document):
    return client.get(reverse("agreements:document", args=[document.pk]))


def body(response):
    return b"".join(response.streaming_content)


# ---------------------------------------------------------------------------------------------
# Allowed types

ALLOWED = [
    ("Board paper.pdf", PDF, "application/pdf"),
    ("MoU draft.docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("Indicators.xlsx", xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("MoU draft.odt", odf("application/vnd.oasis.opendocument.text"), "application/vnd.oasis.opendocument.text"),
    (
        "Budget.ods",
        odf("application/vnd.oasis.opendocument.spreadsheet"),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    (
        "Slides.odp",
        odf("application/vnd.oasis.opendocument.presentation"),
        "application/vnd.oasis.opendocument.presentation",
    ),
    ("Old MoU.doc", word_97(), "application/msword"),
    ("Old budget.xls", excel_97(), "application/vnd.ms-excel"),
    ("Milestones.csv", CSV, "text/csv"),
    ("Notes.txt", TEXT_1252, "text/plain"),
    ("Signature page.png", PNG, "image/png"),
    ("Signature page.JPG", JPEG, "image/jpeg"),
]


@pytest.mark.parametrize(("name", "content", "content_type"), ALLOWED, ids=[a[0] for a in ALLOWED])
def test_each_allowed_type_is_stored_under_its_checksum_and_audited(
    client_for, users, agreement, storage_dir, name, content, content_type
):
    client = client_for(Role.LEAD)
    response = upload(client, agreement, name, content)

    assert response.status_code == 302, page_text(response)
    document = AgreementDocument.objects.get(agreement=agreement)
    sha256 = hashlib.sha256(content).hexdigest()
    assert document.version == 1
    assert document.sha256 == sha256
    assert document.size == len(content)
    assert document.content_type == content_type
    assert document.original_name == name.replace(".JPG", ".jpg")
    assert document.uploaded_by == users[Role.LEAD]
    # Stored under the checksum, inside the document store, never under the uploaded name.
    assert stored_files(storage_dir) == [storage_dir / "agreements" / sha256[:2] / sha256]
    assert (storage_dir / document.file.name).read_bytes() == content
    entry = document_audit_entries().get()
    assert entry.action == "create"
    assert entry.user == users[Role.LEAD]
    assert entry.after["sha256"] == sha256


def test_after_upload_the_agreement_page_confirms_and_lists_the_document(client_for, agreement):
    client = client_for(Role.COORDINATOR)
    response = upload(client, agreement, "Board paper.pdf", PDF, title="Board cover paper")
    assert response["Location"] == agreement.get_absolute_url()

    page = page_text(client.get(response["Location"]))
    assert f"Document added: Board cover paper (version 1, Board paper.pdf, {len(PDF)} bytes)." in page
    assert reverse("agreements:document", args=[AgreementDocument.objects.get().pk]) in page


def test_a_large_upload_spooled_to_disk_is_stored_whole_and_readable_by_accord_only(
    client_for, agreement, storage_dir, settings
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 256  # uploads above this arrive as temporary files
    content = PDF + b"%" * 10_000
    assert upload(client_for(Role.LEAD), agreement, "Board pack.pdf", content).status_code == 302

    document = AgreementDocument.objects.get()
    (path,) = stored_files(storage_dir)
    assert path.read_bytes() == content
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


# ---------------------------------------------------------------------------------------------
# Refused uploads: a clear reason, and nothing stored

ENCRYPTED = (
    "This file is protected with a password, so Accord cannot check what it contains. "
    "Remove the password, save it, and upload it again."
)
REFUSED = [
    (
        "renamed Windows program",
        "minutes.pdf",
        WINDOWS_PROGRAM,
        f"This file is not a PDF: its content is a Windows program. {ALLOWED_SENTENCE}",
    ),
    (
        "renamed Linux program",
        "minutes.docx",
        LINUX_PROGRAM,
        f"This file is not a Word document: its content is a Linux program. {ALLOWED_SENTENCE}",
    ),
    (
        "program with its own name",
        "setup.exe",
        WINDOWS_PROGRAM,
        f"This file cannot be uploaded: its name ends “.exe” and its content is a Windows program. {ALLOWED_SENTENCE}",
    ),
    (
        "HTML named .pdf",
        "signed copy.pdf",
        HTML_PAGE,
        "This file is not a PDF: its content is an HTML page. Upload the document as PDF, Word, OpenDocument, "
        "Excel, CSV, plain text, PNG or JPEG.",
    ),
    (
        "HTML named .txt, behind a byte-order mark",
        "notes.txt",
        b"\xef\xbb\xbf \r\n<script>fetch('/agreements/')</script>",
        f"This file is not a plain text file: its content is an HTML page. {ALLOWED_SENTENCE}",
    ),
    (
        "password-protected Word document",
        "MoU signed.docx",
        ole2("EncryptionInfo", "EncryptedPackage"),
        ENCRYPTED,
    ),
    ("Word document saved with a password", "MoU signed.docx", password_protected_docx(), ENCRYPTED),
    ("Word 97–2003 document saved with a password", "MoU signed.doc", word_97(encrypted=True), ENCRYPTED),
    ("Excel 97–2003 workbook saved with a password", "Budget.xls", excel_97(encrypted=True), ENCRYPTED),
    (
        "damaged Word 97–2003 document",
        "MoU.doc",
        ole2("WordDocument", "1Table"),
        f"This file is not a Word 97–2003 document: its content is a damaged Word 97–2003 document. {ALLOWED_SENTENCE}",
    ),
    (
        "SVG named .png",
        "logo.png",
        SVG,
        f"This file is not a PNG image: its content is an SVG image. {ALLOWED_SENTENCE}",
    ),
    (
        "macro-enabled .docm",
        "MoU draft.docm",
        docx(macros=True),
        "This file contains macros, which can run programs when it is opened, so Accord does not accept it. "
        "Save it without macros (as .docx, .xlsx or PDF) and upload that.",
    ),
    (
        "macros hidden in a .docx",
        "MoU draft.docx",
        docx(macros=True),
        "This file contains macros, which can run programs when it is opened, so Accord does not accept it. "
        "Save it without macros (as .docx, .xlsx or PDF) and upload that.",
    ),
    (
        "plain ZIP named .docx",
        "MoU draft.docx",
        zip_file([("payload.exe", WINDOWS_PROGRAM)]),
        f"This file is not a Word document: its content is a ZIP archive. {ALLOWED_SENTENCE}",
    ),
    (
        "PDF named .docx",
        "report.docx",
        PDF,
        "This file is not a Word document: its content is a PDF. "
        "Rename it to end “.pdf” and upload it again, or choose the right file.",
    ),
    (
        "spreadsheet named .docx",
        "indicators.docx",
        xlsx(),
        "This file is not a Word document: its content is an Excel workbook. "
        "Rename it to end “.xlsx” and upload it again, or choose the right file.",
    ),
    (
        "installer named .doc",
        "MoU.doc",
        ole2("\u4840\u3b3f\u4577\u45ec\u3e6c"),
        "This file is not a Word 97–2003 document: its content is an Office 97–2003 file of a kind Accord does "
        f"not accept, or an installer. {ALLOWED_SENTENCE}",
    ),
    (
        "binary named .txt",
        "notes.txt",
        b"\x01\x02\x03\x04 not text \x00\xff",
        "This file is not a plain text file: Accord cannot recognise its content (it may be damaged, or another "
        f"kind of file renamed). {ALLOWED_SENTENCE}",
    ),
    (
        "no extension",
        "minutes",
        PDF,
        "This file cannot be uploaded as it is: its name has no ending such as .pdf or .docx, but its content is "
        "a PDF. Rename it to end “.pdf” and upload it again.",
    ),
    (
        "empty file",
        "minutes.pdf",
        b"",
        "The file is empty. Choose the document you meant to upload.",
    ),
    (
        "NHS number in the file name",
        "referral 943 476 5919.pdf",
        PDF,
        "The file name looks like it contains an NHS number. Accord must not hold patient information: "
        "rename the file and upload it again.",
    ),
]


@pytest.mark.parametrize(("case", "name", "content", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_uploads_say_why_and_store_nothing(client_for, agreement, storage_dir, case, name, content, message):
    client = client_for(Role.LEAD)
    audit_before = AuditEntry.objects.count()

    response = upload(client, agreement, name, content)

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [message]
    assert message in page_text(response)  # in the error summary and beside the field
    assert "There is a problem" in page_text(response)
    assert not AgreementDocument.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    assert stored_files(storage_dir) == []


@pytest.mark.parametrize(
    ("limit", "size", "said"),
    [
        (1024, 1025, "The file is 1 KB, 1 byte over the 1 KB limit."),
        (1024, 1024 + 700, "The file is 1.68 KB, 700 bytes over the 1 KB limit."),
        (1024, 4096, "The file is 4 KB, 3 KB over the 1 KB limit."),
        (25 * 1024 * 1024, 25 * 1024 * 1024 + 1, "The file is 25 MB, 1 byte over the 25 MB limit."),
    ],
)
def test_a_file_over_the_limit_says_how_far_over(client_for, agreement, storage_dir, settings, limit, size, said):
    settings.DOCUMENT_MAX_BYTES = limit
    client = client_for(Role.COORDINATOR)
    response = upload(client, agreement, "big.pdf", PDF.ljust(size, b"%"))

    message = f"{said} Save a smaller copy (for example, compress the PDF or remove large images) and upload that."
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [message]
    assert message in page_text(response)
    assert not AgreementDocument.objects.exists()
    assert not document_audit_entries().exists()
    assert stored_files(storage_dir) == []


def test_a_file_of_exactly_the_limit_is_accepted_and_the_page_says_the_limit(client_for, agreement, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    client = client_for(Role.COORDINATOR)
    assert "up to 1 KB" in page_text(client.get(add_url(agreement)))  # told before they try

    assert upload(client, agreement, "exactly.pdf", PDF.ljust(1024, b"%")).status_code == 302
    assert AgreementDocument.objects.get().size == 1024


def test_a_title_with_an_nhs_number_is_refused_and_nothing_stored(client_for, agreement, storage_dir):
    response = upload(client_for(Role.LEAD), agreement, "minutes.pdf", PDF, title="Patient 943 476 5919 case review")

    assert response.status_code == 400
    assert response.context["form"].errors["title"] == [
        "This looks like it contains an NHS number. Accord must not hold patient information: "
        "remove the number and try again."
    ]
    assert not AgreementDocument.objects.exists()
    assert stored_files(storage_dir) == []


def test_a_file_is_required(client_for, agreement):
    response = client_for(Role.LEAD).post(add_url(agreement), {"title": "Draft", "kind": DocumentKind.DRAFT})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["Choose the file to upload."]


# ---------------------------------------------------------------------------------------------
# Names

TRAVERSAL_NAMES = [
    ("../../../etc/cron.d/minutes.pdf", "minutes.pdf"),
    ("..\\..\\Windows\\System32\\minutes.pdf", "minutes.pdf"),
    ("C:\\Users\\anne\\Board papers\\MoU  signed   copy.pdf", "MoU signed copy.pdf"),
    ("../../.pdf", "document.pdf"),
]


@pytest.mark.parametrize(("sent", "shown"), TRAVERSAL_NAMES)
def test_a_path_in_the_file_name_is_dropped_and_the_file_stays_in_the_store(
    client_for, agreement, storage_dir, tmp_path, sent, shown
):
    response = raw_upload(client_for(Role.LEAD), agreement, sent, PDF)

    assert response.status_code == 302, page_text(response)
    document = AgreementDocument.objects.get()
    assert document.original_name == shown
    files = stored_files(tmp_path)  # everything written anywhere under the test's folder
    assert files == [storage_dir / "agreements" / document.sha256[:2] / document.sha256]
    assert files[0].resolve().is_relative_to(storage_dir.resolve())
    # The download is named with the clean name only.
    response = download(client_for(Role.LEAD), document)
    assert response["Content-Disposition"] == f'attachment; filename="{shown}"'


@pytest.mark.parametrize(
    ("sent", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\board\\minutes.pdf", "minutes.pdf"),
        ("minutes\x00\x1b[2J\u202efdp.pdf", "minutes[2Jfdp.pdf"),  # control and bidi-override characters
        ('mou: "final" <v2>|*?.PDF', "mou final v2.pdf"),  # characters Windows refuses; extension lower case
        ("  board \t  paper  .docx", "board paper.docx"),
        ("...docx", "document.docx"),
        ("con.pdf", "con document.pdf"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
    ],
)
def test_names_are_cleaned(sent, clean):
    assert clean_name(sent) == clean


# ---------------------------------------------------------------------------------------------
# Versions


def test_a_second_upload_is_version_2_and_version_1_stays_downloadable(client_for, agreement, storage_dir):
    client = client_for(Role.LEAD)
    assert upload(client, agreement, "MoU draft.pdf", PDF, title="Draft").status_code == 302
    signed = PDF.replace(b"%%EOF", b"% signed by both chief executives\n%%EOF")
    response = upload(client, agreement, "MoU signed.pdf", signed, title="Signed", kind=DocumentKind.SIGNED_COPY)
    assert response.status_code == 302

    first, second = AgreementDocument.objects.order_by("version")
    assert (first.version, first.title, first.original_name) == (1, "Draft", "MoU draft.pdf")
    assert (second.version, second.title, second.kind) == (2, "Signed", DocumentKind.SIGNED_COPY)
    assert len(stored_files(storage_dir)) == 2
    assert body(download(client, first)) == PDF
    assert body(download(client, second)) == signed
    # The upload page lists both, newest first, each linking to its download.
    page = page_text(client.get(add_url(agreement))).split("Documents already uploaded")[1]
    assert page.index("MoU signed.pdf") < page.index("MoU draft.pdf")
    assert reverse("agreements:document", args=[first.pk]) in page


def test_the_same_file_twice_is_two_versions_sharing_one_stored_copy(client_for, agreement, storage_dir):
    client = client_for(Role.LEAD)
    upload(client, agreement, "draft.pdf", PDF, title="Draft")
    upload(client, agreement, "draft again.pdf", PDF, title="Draft, resent")

    assert list(AgreementDocument.objects.order_by("version").values_list("version", "original_name")) == [
        (1, "draft.pdf"),
        (2, "draft again.pdf"),
    ]
    assert len(stored_files(storage_dir)) == 1


# ---------------------------------------------------------------------------------------------
# Who may upload


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.BOARD_MEMBER, Role.AUDITOR])
def test_roles_without_the_right_cannot_upload(client_for, agreement, storage_dir, role):
    client = client_for(role)
    assert client.get(add_url(agreement)).status_code == 403
    assert upload(client, agreement, "minutes.pdf", PDF).status_code == 403
    assert not AgreementDocument.objects.exists()
    assert stored_files(storage_dir) == []


def test_a_lead_cannot_upload_to_another_partnerships_agreement(client, agreement, other_lead, storage_dir):
    client.force_login(other_lead)
    assert client.get(add_url(agreement)).status_code == 403
    assert upload(client, agreement, "minutes.pdf", PDF).status_code == 403
    assert not AgreementDocument.objects.exists()
    assert stored_files(storage_dir) == []


def test_a_delegate_may_upload(client, agreement, make_user):
    delegate = make_user(Role.LEAD, username="dee.delegate")
    agreement.partnership.delegates.add(delegate)
    client.force_login(delegate)
    assert upload(client, agreement, "minutes.pdf", PDF).status_code == 302
    assert AgreementDocument.objects.get().uploaded_by == delegate


def test_an_unknown_agreement_is_404_and_anonymous_visitors_are_sent_to_log_in(client_for, client, agreement):
    missing = reverse("agreements:document_add", args=[agreement.pk + 100])
    assert client_for(Role.COORDINATOR).get(missing).status_code == 404
    client.logout()
    response = client.get(add_url(agreement))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# ---------------------------------------------------------------------------------------------
# Downloads


@pytest.fixture
def document(client_for, agreement):
    assert upload(client_for(Role.LEAD), agreement, "Signed MoU.pdf", PDF, title="Signed MoU").status_code == 302
    return AgreementDocument.objects.get()


@pytest.mark.parametrize("role", [Role.LEAD, Role.COORDINATOR, Role.EXECUTIVE, Role.AUDITOR, Role.ADMINISTRATOR])
def test_people_who_may_see_documents_download_with_safe_headers(client_for, document, role):
    response = download(client_for(role), document)

    assert response.status_code == 200
    assert body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Signed MoU.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_a_text_document_is_served_as_text_never_as_a_page(client_for, agreement):
    client = client_for(Role.LEAD)
    upload(client, agreement, "Milestones.csv", CSV)
    response = download(client, AgreementDocument.objects.get())
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith("attachment;")
    assert body(response) == CSV


def test_a_lead_of_another_partnership_gets_404(client, document, other_lead):
    client.force_login(other_lead)
    response = download(client, document)
    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_a_document_that_does_not_exist_is_404(client_for, document):
    response = client_for(Role.COORDINATOR).get(reverse("agreements:document", args=[document.pk + 1]))
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, document):
    client.logout()
    response = download(client, document)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_tampered_file_is_not_served(client_for, document, storage_dir, caplog):
    path = storage_dir / document.file.name
    path.write_bytes(HTML_PAGE)

    response = download(client_for(Role.COORDINATOR), document)

    assert response.status_code == 410
    assert not response.streaming
    assert b"<script>document.location" not in response.content
    assert "This document cannot be downloaded" in page_text(response)
    assert f"Agreement document {document.pk}" in caplog.text
    assert "changed" in caplog.text


def test_a_missing_file_is_not_served(client_for, document, storage_dir):
    (storage_dir / document.file.name).unlink()
    response = download(client_for(Role.LEAD), document)
    assert response.status_code == 410
    assert "is missing or is no longer the file that was uploaded" in page_text(response)


def test_a_new_upload_of_the_same_content_repairs_a_damaged_stored_copy(client_for, agreement, document, storage_dir):
    (storage_dir / document.file.name).write_bytes(b"%PDF-1.4 damaged")
    client = client_for(Role.LEAD)
    assert upload(client, agreement, "Signed MoU.pdf", PDF, title="Signed MoU, uploaded again").status_code == 302
    assert body(download(client, document)) == PDF  # version 1 is whole again


def test_when_the_record_cannot_be_saved_the_file_written_is_removed(agreement, users, storage_dir):
    """The NHS-number guard below the forms refuses the save after the file was written: no file stays."""
    file = SimpleUploadedFile("minutes.pdf", PDF)
    checked = check_upload(file)
    with pytest.raises(ValidationError):
        document = AgreementDocument(
            agreement=agreement, title="Patient 943 476 5919", kind=DocumentKind.DRAFT, uploaded_by=users[Role.LEAD]
        )
        add_version(document, file, checked)
    assert not AgreementDocument.objects.exists()
    assert not document_audit_entries().exists()
    assert stored_files(storage_dir) == []
