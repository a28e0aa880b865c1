"""Small builders for the agreements rules tests: organisations, partnerships and agreements.

Agreements are moved through their life with ``agreements.services`` only, so a test that
starts from "in force" or "varied" starts from a state the software itself can reach.
"""

import datetime
import hashlib

from agreements import services
from agreements.models import Agreement, AgreementDocument, AgreementKind, AgreementStatus, DocumentKind
from organisations.models import Organisation, OrganisationKind
from partnerships.models import ArrangementType, Partnership, Status

S = AgreementStatus

SIGNED_ON = datetime.date(2023, 4, 3)  # the day each party signs, unless a test says otherwise
TERM_END = datetime.date(2024, 3, 31)


def organisation(name, ods_code=None, kind=OrganisationKind.FOUNDATION_TRUST):
    org = Organisation(name=name, kind=kind, ods_code=ods_code)
    org.full_clean()
    org.save()
    return org


def partnership(reference, lead=None, title=None):
    p = Partnership(
        reference=reference,
        title=title or f"Partnership {reference}",
        arrangement_type=ArrangementType.MOU,
        status=Status.ACTIVE,
        lead=lead,
    )
    p.full_clean()
    p.save()
    return p


def agreement(partnership, parties=(), title="Memorandum of understanding", **fields):
    """A draft agreement with ``parties`` (organisations) and no signatures."""
    fields.setdefault("kind", AgreementKind.MOU)
    a = Agreement(partnership=partnership, title=title, **fields)
    a.full_clean()
    a.save()
    for org in parties:
        a.parties.create(organisation=org)
    return a


def approved(a):
    services.send_for_comment(a)
    return services.approve(a)


def sign_all(a, signed_on=SIGNED_ON):
    for party in a.parties.select_related("organisation", "agreement"):
        if not party.has_signed:
            services.record_signature(party, f"Signatory of {party.organisation}", "Chief Executive", signed_on)


def in_force(a, signed_on=SIGNED_ON):
    """Approve (if need be), every party signs on ``signed_on``, and the agreement comes into force."""
    if a.status == S.DRAFT:
        approved(a)
    sign_all(a, signed_on)
    return services.bring_into_force(a)


def varied(a, signed_on=datetime.date(2023, 9, 1)):
    """Vary ``a`` (in force): the variation is signed by everyone on ``signed_on`` and comes into force.

    Returns the variation; ``a`` is reloaded, now "varied".
    """
    variation = services.start_variation(a)
    in_force(variation, signed_on)
    a.refresh_from_db()
    return variation


def document(a, title="Signed memorandum", kind=DocumentKind.SIGNED_COPY, content=b"%PDF-1.7 signed copy"):
    """A document record of ``a`` (the file itself is not needed by the rules under test)."""
    digest = hashlib.sha256(content + str(a.pk).encode() + title.encode()).hexdigest()
    version = a.documents.count() + 1
    return AgreementDocument.objects.create(
        agreement=a,
        kind=kind,
        title=title,
        version=version,
        file=f"agreements/{digest[:2]}/{digest}",
        original_name=f"{title}.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=digest,
    )
