"""Every URL of Accord × every role → what the server answers, from ONE table.

The table below (``PAGES``) has a row per URL name. The tests enumerate every URL pattern the
resolver knows and fail when a pattern has no row (or a row no pattern), so a new page cannot be
added without deciding who may use it. Each row says, for GET and for POST, what each role gets:

- ``OK`` (200), ``REDIRECT`` (302 somewhere other than the login page), ``LOGIN`` (302 to the
  login page, for anonymous visitors), ``FORBIDDEN`` (403), ``NOT_FOUND`` (404),
  ``NOT_ALLOWED`` (405), and for a POST that writes, ``SAVED`` (302 and the change made).

A POST that is not ``SAVED`` must leave every row of every Accord table, the audit trail
included, exactly as it was. The roles are the six of the trust, the anonymous visitor, and for
partnership leads three people: the lead of the partnership, a colleague delegated on it, and a
lead of another partnership.

Register exports (``?export=csv`` / ``?export=xlsx``) follow the list page's answer: a role that
may see the list gets a file holding exactly the rows it may see (and only the filtered ones);
anyone else gets the same refusal as for the page, never data.

The world has agreements (``build_world(agreements=True)``): one in each state a lifecycle step
starts from, so each allowed POST makes its step. Every role may read agreements; the register's
keepers and the partnership's own leads change them; a lead of another partnership may read an
agreement but not change it (403) and may not download its documents (404: documents may be
commercially sensitive, and their existence is not disclosed).
"""

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.staticfiles import views as staticfiles_views
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views import static as static_views

from accounts.models import User
from agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementParty,
    AgreementStatus,
    Consultation,
    Indicator,
    Milestone,
    ScopeItem,
)
from agreements.selectors import local_today
from assurance.forms import cell_name
from assurance.models import IGItem
from assurance.selectors import gap_rows, requirement_matrix
from core.audit import audit_context
from core.models import AuditEntry, BafRiskTheme, ServiceArea, StrategicObjective, TierThresholds
from core.views import ObjectListView
from organisations.models import Organisation
from partnerships.models import Headline, PartnerRole, Partnership, Status
from risks.models import NoSignificantRisk, Risk, RiskAction, RiskMatrix
from tests.spreadsheets import is_download, read_records
from tests.world import (
    PDF,
    ROLE_USERS,
    agreement_form_data,
    build_world,
    database_state,
    day,
    organisation_form_data,
    partnership_form_data,
    pdf_upload,
    upload_document,
)

OK, REDIRECT, LOGIN, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, SAVED = (
    "200",
    "redirect",
    "302 to login",
    "403",
    "404",
    "405",
    "saved",
)
DENIED = {LOGIN, FORBIDDEN, NOT_FOUND, NOT_ALLOWED}

SIGNED_IN = tuple(ROLE_USERS)
ROLES = ("anonymous", *SIGNED_IN)
KEEPERS = ("administrator", "coordinator")
ADMIN = ("administrator",)
OWNERS = ("owner", "delegate")  # the partnership's lead, and a lead delegated on it


def only(outcome, roles, otherwise=FORBIDDEN, anonymous=LOGIN):
    """``outcome`` for ``roles``, ``otherwise`` for every other signed-in role."""
    table = dict.fromkeys(SIGNED_IN, otherwise)
    table.update(dict.fromkeys(roles, outcome))
    table["anonymous"] = anonymous
    return table


def everyone(outcome, anonymous=LOGIN):
    return only(outcome, SIGNED_IN, anonymous=anonymous)


@dataclass(frozen=True)
class Page:
    get: dict
    post: dict
    args: Callable = lambda w: ()
    data: Callable = lambda w: {}
    effect: Callable | None = None  # what an allowed (SAVED) POST must have done; True when done
    prepare: Callable | None = None  # (client, world, role): set up what the URL needs (an upload)


def _partnership(w):
    return Partnership.objects.get(pk=w.partnership.pk)


IMPORT_CSV = "Reference,Partnership name,Type of arrangement,Status\r\nP-0500,Banbury Carers Hub,Alliance,Active\r\n"


def register_upload():
    return {"file": SimpleUploadedFile("register.csv", IMPORT_CSV.encode(), content_type="text/csv")}


class FormValues(HTMLParser):
    """The values a browser would submit from the form with ``form_id``."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.select, self.values = form_id, False, None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif self.inside and tag == "input" and attrs.get("name"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.values[attrs["name"]] = attrs.get("value", "")
        elif self.inside and tag == "select":
            self.select = attrs.get("name")
        elif self.select and tag == "option" and ("selected" in attrs or self.select not in self.values):
            self.values[self.select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def form_values(body, form_id):
    parser = FormValues(form_id)
    parser.feed(body)
    return parser.values


def stage_import(client, w, role):
    """The coordinator uploads a register; the URL of its preview is what every role then tries.

    When the role under test is the coordinator, the upload is theirs (same session); for anyone
    else it is someone else's upload, which even another register keeper must not reach.
    """
    uploader = client
    if role != "coordinator":
        uploader = Client()
        uploader.force_login(w.user("coordinator"))
    response = uploader.post(reverse("partnerships:import"), register_upload())
    assert response.status_code == 302, response.status_code
    w.import_token = response.url.rstrip("/").rsplit("/", 1)[-1]
    preview = uploader.get(reverse("partnerships:import_preview", args=[w.import_token]))
    w.import_form = form_values(preview.content.decode(), "import-form")
    assert w.import_form, "the preview has the import form"


def reference_list_pages(name, model, new, item, changed, unused):
    """The five pages of one of the administrator's reference lists."""

    def saved_with(values, pk=None):
        def check(w):
            found = model.objects.filter(pk=pk(w)) if pk else model.objects.all()
            return found.filter(name=values["name"]).exists()

        return check

    return {
        f"core:{name}_list": Page(get=only(OK, ADMIN), post=everyone(NOT_ALLOWED)),
        f"core:{name}_add": Page(
            get=only(OK, ADMIN), post=only(SAVED, ADMIN), data=lambda w: new, effect=saved_with(new)
        ),
        f"core:{name}_edit": Page(
            args=lambda w: [item(w).pk],
            get=only(OK, ADMIN),
            post=only(SAVED, ADMIN),
            data=lambda w: changed,
            effect=saved_with(changed, pk=lambda w: item(w).pk),
        ),
        f"core:{name}_delete": Page(
            args=lambda w: [unused(w).pk],
            get=only(OK, ADMIN),
            post=only(SAVED, ADMIN),
            effect=lambda w: not model.objects.filter(pk=unused(w).pk).exists(),
        ),
        f"core:{name}_history": Page(args=lambda w: [item(w).pk], get=only(OK, ADMIN), post=everyone(NOT_ALLOWED)),
    }


def _agreement(a):
    return Agreement.objects.get(pk=a.pk)


def _status_is(agreement, status):
    return lambda w: _agreement(agreement(w)).status == status


def _stored(document):
    """The document's file is in the store, byte for byte what its checksum says."""
    with document.file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest() == document.sha256


def _terminated_today(w):
    a = _agreement(w.agreement_in_force)
    return (a.status, a.ended_on) == (AgreementStatus.TERMINATED, local_today())


def _superseded(w):
    a = _agreement(w.agreement_in_force)
    return (a.status, a.superseded_by_id) == (AgreementStatus.SUPERSEDED, w.draft_agreement.pk)


def _variation_started(w):
    variation = Agreement.objects.filter(varies=w.agreement_in_force).first()
    return (
        variation is not None
        and (variation.version, variation.status) == (2, AgreementStatus.DRAFT)
        and variation.parties.filter(signed_on__isnull=True).count() == 2
        and _agreement(w.agreement_in_force).status == AgreementStatus.IN_FORCE
    )


def _expired(w):
    a = _agreement(w.lapsed_agreement)
    return (a.status, a.ended_on) == (AgreementStatus.EXPIRED, w.lapsed_agreement.term_end_date)


def _signed(w):
    party = AgreementParty.objects.get(pk=w.unsigned_party.pk)
    return (party.signatory_name, party.signed_on) == ("Dr Bruno Holthof", local_today())


def _document_added(w):
    document = AgreementDocument.objects.filter(agreement=w.draft_agreement, version=2).first()
    return (
        document is not None
        and (document.title, document.kind, document.original_name) == ("Final memorandum", "final", "Final MoU.pdf")
        and _stored(document)
    )


CHANGERS = KEEPERS + OWNERS  # who may change an agreement of the owning lead's partnership


def changes(args, effect, data=lambda w: {}):
    """A page that changes an agreement: the register's keepers and the partnership's leads only."""
    return Page(args=args, get=only(OK, CHANGERS), post=only(SAVED, CHANGERS), data=data, effect=effect)


def reads(args=lambda w: ()):
    """A page everyone signed in may read, and nobody may POST to."""
    return Page(args=args, get=everyone(OK), post=everyone(NOT_ALLOWED))


AGREEMENT_PAGES = {
    "agreements:list": reads(),
    "agreements:detail": reads(lambda w: [w.draft_agreement.pk]),
    "agreements:history": reads(lambda w: [w.draft_agreement.pk]),
    "agreements:add": changes(
        lambda w: [w.partnership.pk],
        data=lambda w: {
            "kind": "contract",
            "title": "Forensic network lead provider contract",
            "legally_binding": "yes",
            "commencement": "last_signature",
            "term_end_date": "31/03/2029",
        },
        effect=lambda w: Agreement.objects.filter(
            partnership=w.partnership,
            title="Forensic network lead provider contract",
            status=AgreementStatus.DRAFT,
            version=1,
        ).exists(),
    ),
    "agreements:edit": changes(
        lambda w: [w.draft_agreement.pk],
        data=lambda w: agreement_form_data(w.draft_agreement, notice_period="Three months' notice"),
        effect=lambda w: _agreement(w.draft_agreement).notice_period == "Three months' notice",
    ),
    # The lifecycle, one step from each state it starts from.
    "agreements:send_for_comment": changes(
        lambda w: [w.draft_agreement.pk],
        effect=_status_is(lambda w: w.draft_agreement, AgreementStatus.OUT_FOR_COMMENT),
    ),
    "agreements:return_to_draft": changes(
        lambda w: [w.commented_agreement.pk], effect=_status_is(lambda w: w.commented_agreement, AgreementStatus.DRAFT)
    ),
    "agreements:approve": changes(
        lambda w: [w.commented_agreement.pk],
        effect=_status_is(lambda w: w.commented_agreement, AgreementStatus.APPROVED),
    ),
    "agreements:sign": changes(
        lambda w: [w.unsigned_party.pk],
        data=lambda w: {
            "signatory_name": "Dr Bruno Holthof",
            "signatory_position": "Chief Executive",
            "signed_on": day(local_today()),
        },
        effect=_signed,
    ),
    "agreements:bring_into_force": changes(
        lambda w: [w.signed_agreement.pk], effect=_status_is(lambda w: w.signed_agreement, AgreementStatus.IN_FORCE)
    ),
    "agreements:start_variation": changes(lambda w: [w.agreement_in_force.pk], effect=_variation_started),
    "agreements:supersede": changes(
        lambda w: [w.agreement_in_force.pk],
        data=lambda w: {"replacement": w.draft_agreement.pk, "ended_on": ""},
        effect=_superseded,
    ),
    "agreements:terminate": changes(
        lambda w: [w.agreement_in_force.pk], data=lambda w: {"ended_on": day(local_today())}, effect=_terminated_today
    ),
    "agreements:expire": changes(lambda w: [w.lapsed_agreement.pk], effect=_expired),
    # The agreement's records.
    "agreements:party_add": changes(
        lambda w: [w.draft_agreement.pk],
        data=lambda w: {"organisation": w.other_org.pk, "address": "Tatchbury Mount, Calmore"},
        effect=lambda w: AgreementParty.objects.filter(
            agreement=w.draft_agreement, organisation=w.other_org, address="Tatchbury Mount, Calmore"
        ).exists(),
    ),
    "agreements:party_edit": changes(
        lambda w: [w.party.pk],
        data=lambda w: {"organisation": w.partner_org.pk, "address": "John Radcliffe Hospital, Headley Way"},
        effect=lambda w: AgreementParty.objects.get(pk=w.party.pk).address == "John Radcliffe Hospital, Headley Way",
    ),
    "agreements:party_delete": changes(
        lambda w: [w.party.pk], effect=lambda w: not AgreementParty.objects.filter(pk=w.party.pk).exists()
    ),
    "agreements:consultation_add": changes(
        lambda w: [w.commented_agreement.pk],
        data=lambda w: {"body": "Oxford Health Board of Directors", "date": day(local_today()), "feedback": "Agreed."},
        effect=lambda w: Consultation.objects.filter(
            agreement=w.commented_agreement, body="Oxford Health Board of Directors", date=local_today()
        ).exists(),
    ),
    "agreements:consultation_edit": changes(
        lambda w: [w.consultation.pk],
        data=lambda w: {
            "body": w.consultation.body,
            "date": day(w.consultation.date),
            "feedback": "Agreed, subject to the data protection schedule.",
        },
        effect=lambda w: (
            Consultation.objects.get(pk=w.consultation.pk).feedback
            == "Agreed, subject to the data protection schedule."
        ),
    ),
    "agreements:consultation_delete": changes(
        lambda w: [w.consultation.pk], effect=lambda w: not Consultation.objects.filter(pk=w.consultation.pk).exists()
    ),
    "agreements:scope_add": changes(
        lambda w: [w.draft_agreement.pk],
        data=lambda w: {"title": "Intermediate care", "description": "Step-down beds.", "lead": "Jo Smith"},
        effect=lambda w: ScopeItem.objects.filter(
            agreement=w.draft_agreement, title="Intermediate care", lead="Jo Smith"
        ).exists(),
    ),
    "agreements:scope_edit": changes(
        lambda w: [w.scope_item.pk],
        data=lambda w: {"title": w.scope_item.title, "description": "", "lead": "Dr Amy Chen"},
        effect=lambda w: ScopeItem.objects.get(pk=w.scope_item.pk).lead == "Dr Amy Chen",
    ),
    "agreements:scope_delete": changes(
        lambda w: [w.scope_item.pk], effect=lambda w: not ScopeItem.objects.filter(pk=w.scope_item.pk).exists()
    ),
    "agreements:milestone_add": changes(
        lambda w: [w.draft_agreement.pk],
        data=lambda w: {"title": "Joint budget agreed", "due_date": "31/03/2027", "owner": "", "status": "not_started"},
        effect=lambda w: Milestone.objects.filter(
            agreement=w.draft_agreement, title="Joint budget agreed", due_date=datetime.date(2027, 3, 31)
        ).exists(),
    ),
    "agreements:milestone_edit": changes(
        lambda w: [w.milestone.pk],
        data=lambda w: {
            "title": w.milestone.title,
            "due_date": day(w.milestone.due_date),
            "owner": w.milestone.owner,
            "status": "complete",
        },
        effect=lambda w: Milestone.objects.get(pk=w.milestone.pk).status == "complete",
    ),
    "agreements:milestone_delete": changes(
        lambda w: [w.milestone.pk], effect=lambda w: not Milestone.objects.filter(pk=w.milestone.pk).exists()
    ),
    "agreements:indicator_add": changes(
        lambda w: [w.draft_agreement.pk],
        data=lambda w: {"measure": "Emergency admissions", "frequency": "Monthly", "target": "5% fewer"},
        effect=lambda w: Indicator.objects.filter(
            agreement=w.draft_agreement, measure="Emergency admissions", target="5% fewer"
        ).exists(),
    ),
    "agreements:indicator_edit": changes(
        lambda w: [w.indicator.pk],
        data=lambda w: {"measure": w.indicator.measure, "frequency": "Annually", "target": w.indicator.target},
        effect=lambda w: Indicator.objects.get(pk=w.indicator.pk).frequency == "Annually",
    ),
    "agreements:indicator_delete": changes(
        lambda w: [w.indicator.pk], effect=lambda w: not Indicator.objects.filter(pk=w.indicator.pk).exists()
    ),
    # Documents: added (a new version), never edited or deleted; downloaded through a permission check.
    "agreements:document_add": changes(
        lambda w: [w.draft_agreement.pk],
        data=lambda w: {"title": "Final memorandum", "kind": "final", "file": pdf_upload("Final MoU.pdf", "% final")},
        effect=_document_added,
    ),
    "agreements:document": Page(
        args=lambda w: [w.document.pk],
        get=everyone(OK) | {"other_lead": NOT_FOUND},
        post=everyone(NOT_ALLOWED),
    ),
}


def _risk(w, name="risk"):
    return Risk.objects.get(pk=getattr(w, name).pk)


def _matrix_post(threshold):
    """The risk matrix page's form as a browser submits it, with a new escalation threshold."""
    matrix = RiskMatrix.current()
    data = {"escalation_threshold": str(threshold)}
    for kind in ("likelihood", "consequence"):
        for n, d in enumerate(getattr(matrix, kind), 1):
            data[f"{kind}_{n}_name"], data[f"{kind}_{n}_guidance"] = d["name"], d["guidance"]
    for n, band in enumerate(matrix.bands, 1):
        for key in ("name", "lowest", "highest", "colour"):
            data[f"band_{n}_{key}"] = str(band[key])
    return data


def _risk_form_data(r, **changes):
    data = {
        "domain": r.domain,
        "title": r.title,
        "description": r.description,
        "owner": r.owner,
        "existing_controls": r.existing_controls,
        "treatment": r.treatment,
        "review_date": day(r.review_date),
        "baf_theme": r.baf_theme_id or "",
        "current_above_inherent_reason": r.current_above_inherent_reason,
    }
    for position in ("inherent", "current", "target"):
        for axis in ("likelihood", "consequence"):
            data[f"{position}_{axis}"] = str(getattr(r, f"{position}_{axis}"))
    return data | changes


def _ig_grid_post():
    """The requirements grid as submitted, with one change: an MoU sharing no data needs a DPIA."""
    data = {cell_name(t, level, item): "on" for (t, level), items in requirement_matrix().items() for item in items}
    return data | {cell_name("mou", "none", "dpia"): "on"}


# Risk profiles: everyone reads; the keepers and the partnership's own leads change; only the
# administrator changes the matrix. A risk is closed, never deleted.
RISK_PAGES = {
    "risks:heatmap": reads(),
    "risks:list": reads(),
    "risks:escalated": reads(),
    "risks:profile": reads(lambda w: [w.partnership.pk]),
    "risks:detail": reads(lambda w: [w.risk.pk]),
    "risks:history": reads(lambda w: [w.risk.pk]),
    "risks:add": changes(
        lambda w: [w.partnership.pk],
        data=lambda w: {
            "domain": "staff_wellbeing",
            "title": "Limited resources to support the collaborative",
            "description": "Because no new resources are identified, the work may stall, delaying benefits.",
            "owner": "Amelie Bages",
            "inherent_likelihood": "4",
            "inherent_consequence": "3",
            "current_likelihood": "3",
            "current_consequence": "3",
            "target_likelihood": "2",
            "target_consequence": "3",
            "treatment": "treat",
            "review_date": day(local_today() + datetime.timedelta(days=90)),
        },
        effect=lambda w: Risk.objects.filter(
            partnership=w.partnership, title="Limited resources to support the collaborative", current_likelihood=3
        ).exists(),
    ),
    "risks:edit": changes(
        lambda w: [w.risk.pk],
        data=lambda w: _risk_form_data(w.risk, current_likelihood="2"),
        effect=lambda w: (_risk(w).current_likelihood, _risk(w).current_consequence) == (2, 3),
    ),
    "risks:close": changes(
        lambda w: [w.risk.pk],
        data=lambda w: {"closed_on": day(local_today()), "closing_note": "The protocol is embedded."},
        effect=lambda w: (_risk(w).status, _risk(w).closed_on) == ("closed", local_today()),
    ),
    "risks:action_add": changes(
        lambda w: [w.risk.pk],
        data=lambda w: {
            "description": "Recruit two band 6 nurses",
            "owner": "Anne Clarke",
            "due_date": "31/03/2027",
            "status": "not_started",
        },
        effect=lambda w: RiskAction.objects.filter(
            risk=w.risk, description="Recruit two band 6 nurses", due_date=datetime.date(2027, 3, 31)
        ).exists(),
    ),
    "risks:action_edit": changes(
        lambda w: [w.risk_action.pk],
        data=lambda w: {
            "description": w.risk_action.description,
            "owner": w.risk_action.owner,
            "due_date": day(w.risk_action.due_date),
            "status": "complete",
        },
        effect=lambda w: RiskAction.objects.get(pk=w.risk_action.pk).status == "complete",
    ),
    "risks:action_delete": changes(
        lambda w: [w.risk_action.pk], effect=lambda w: not RiskAction.objects.filter(pk=w.risk_action.pk).exists()
    ),
    "risks:no_significant_risk": changes(
        lambda w: [w.partnership.pk, "reputation"],
        data=lambda w: {"note": "No public-facing service."},
        effect=lambda w: NoSignificantRisk.objects.filter(
            partnership=w.partnership, domain="reputation", note="No public-facing service."
        ).exists(),
    ),
    "risks:no_significant_risk_withdraw": changes(
        lambda w: [w.no_significant_risk.pk],
        effect=lambda w: not NoSignificantRisk.objects.filter(pk=w.no_significant_risk.pk).exists(),
    ),
    "risks:matrix": Page(
        get=only(OK, ADMIN),
        post=only(SAVED, ADMIN),
        data=lambda w: _matrix_post(16),
        effect=lambda w: RiskMatrix.current().escalation_threshold == 16,
    ),
    "risks:matrix_history": Page(get=only(OK, ADMIN), post=everyone(NOT_ALLOWED)),
}

# Information governance: everyone reads the gaps; the keepers and the partnership's own leads
# record its IG items; IG documents are hidden from other leads like agreement documents; only
# the administrator changes the requirements matrix.
IG_PAGES = {
    "assurance:gaps": reads(),
    "assurance:item_add": changes(
        lambda w: [w.partnership.pk],
        data=lambda w: {"item": "dpia", "status": "in_progress"},
        effect=lambda w: IGItem.objects.filter(partnership=w.partnership, item="dpia", status="in_progress").exists(),
    ),
    "assurance:item_edit": changes(
        lambda w: [w.ig_item.pk],
        data=lambda w: {
            "status": "in_place",
            "approved_on": day(w.ig_item.approved_on),
            "review_on": day(w.ig_item.review_on),
            "notes": "Reviewed by the IG steering group.",
        },
        effect=lambda w: IGItem.objects.get(pk=w.ig_item.pk).notes == "Reviewed by the IG steering group.",
    ),
    "assurance:document": Page(
        args=lambda w: [w.ig_document.pk],
        get=everyone(OK) | {"other_lead": NOT_FOUND},
        post=everyone(NOT_ALLOWED),
    ),
    "assurance:requirements": Page(
        get=only(OK, ADMIN),
        post=only(SAVED, ADMIN),
        data=lambda w: _ig_grid_post(),
        effect=lambda w: "dpia" in requirement_matrix()[("mou", "none")],
    ),
    "assurance:requirements_history": Page(get=only(OK, ADMIN), post=everyone(NOT_ALLOWED)),
}

NEW_TITLE = "Thames Valley and Wessex Forensic Network"
NEW_PASSWORD = "violet-harbour-lantern-42"  # noqa: S105 (a test user's password)

PAGES = {
    # Django's sign-in pages and the home page's redirect to the register.
    "home": Page(get=everyone(REDIRECT), post=everyone(REDIRECT)),
    "login": Page(get=everyone(REDIRECT, anonymous=OK), post=everyone(REDIRECT, anonymous=OK)),
    "logout": Page(get=everyone(NOT_ALLOWED), post=everyone(REDIRECT)),
    # The register.
    "partnerships:list": Page(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "partnerships:add": Page(
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: {
            "title": "Oxfordshire Carer Alliance",
            "arrangement_type": "alliance",
            "status": "developing",
            "value_qualifier": "exact",
            "lead": w.user("owner").pk,
        },
        effect=lambda w: Partnership.objects.filter(title="Oxfordshire Carer Alliance", lead=w.user("owner")).exists(),
    ),
    "partnerships:import": Page(get=only(OK, KEEPERS), post=only(REDIRECT, KEEPERS), data=lambda w: register_upload()),
    "partnerships:import_preview": Page(
        prepare=stage_import,
        args=lambda w: [w.import_token],
        get=only(OK, ["coordinator"], otherwise=FORBIDDEN) | {"administrator": NOT_FOUND},
        post=only(SAVED, ["coordinator"], otherwise=FORBIDDEN) | {"administrator": NOT_FOUND},
        data=lambda w: {**w.import_form, "action": "commit"},
        effect=lambda w: Partnership.objects.filter(reference="P-0500", title="Banbury Carers Hub").exists(),
    ),
    "partnerships:detail": Page(args=lambda w: [w.partnership.pk], get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "partnerships:edit": Page(
        args=lambda w: [w.partnership.pk],
        get=only(OK, KEEPERS + OWNERS),
        post=only(SAVED, KEEPERS + OWNERS),
        data=lambda w: partnership_form_data(w.partnership, title=NEW_TITLE),
        effect=lambda w: _partnership(w).title == NEW_TITLE and _partnership(w).lead == w.user("owner"),
    ),
    "partnerships:close": Page(
        args=lambda w: [w.partnership.pk],
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: {"end_date": "31/03/2025"},
        effect=lambda w: (
            (_partnership(w).status, _partnership(w).end_date) == (Status.CLOSED, datetime.date(2025, 3, 31))
        ),
    ),
    # A partnership with nothing on it (one with agreements cannot be deleted: see below).
    "partnerships:delete": Page(
        args=lambda w: [w.spare_partnership.pk],
        get=only(OK, ADMIN),
        post=only(SAVED, ADMIN),
        effect=lambda w: not Partnership.objects.filter(pk=w.spare_partnership.pk).exists(),
    ),
    "partnerships:history": Page(args=lambda w: [w.partnership.pk], get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "partnerships:partner_add": Page(
        args=lambda w: [w.partnership.pk],
        get=only(OK, KEEPERS + OWNERS),
        post=only(SAVED, KEEPERS + OWNERS),
        data=lambda w: {"organisation": w.spare_org.pk, "role": "funder"},
        effect=lambda w: PartnerRole.objects.filter(
            partnership=w.partnership, organisation=w.spare_org, role="funder"
        ).exists(),
    ),
    "partnerships:partner_edit": Page(
        args=lambda w: [w.partner_role.pk],
        get=only(OK, KEEPERS + OWNERS),
        post=only(SAVED, KEEPERS + OWNERS),
        data=lambda w: {"organisation": w.partner_org.pk, "role": "commissioner"},
        effect=lambda w: PartnerRole.objects.get(pk=w.partner_role.pk).role == "commissioner",
    ),
    "partnerships:partner_delete": Page(
        args=lambda w: [w.partner_role.pk],
        get=only(OK, KEEPERS + OWNERS),
        post=only(SAVED, KEEPERS + OWNERS),
        effect=lambda w: not PartnerRole.objects.filter(pk=w.partner_role.pk).exists(),
    ),
    "partnerships:headline_add": Page(
        args=lambda w: [w.partnership.pk],
        get=only(OK, KEEPERS + OWNERS),
        post=only(SAVED, KEEPERS + OWNERS),
        data=lambda w: {"date": "02/04/2024", "text": "Contract extended to March 2027."},
        effect=lambda w: Headline.objects.filter(
            partnership=w.partnership, text="Contract extended to March 2027."
        ).exists(),
    ),
    "partnerships:headline_edit": Page(
        args=lambda w: [w.headline.pk],
        get=only(OK, KEEPERS + OWNERS),
        post=only(SAVED, KEEPERS + OWNERS),
        data=lambda w: {"date": "01/03/2024", "text": "Bed occupancy at 92%.", "for_board_report": "on"},
        effect=lambda w: Headline.objects.filter(
            pk=w.headline.pk, text="Bed occupancy at 92%.", for_board_report=True
        ).exists(),
    ),
    "partnerships:headline_delete": Page(
        args=lambda w: [w.headline.pk],
        get=only(OK, KEEPERS + OWNERS),
        post=only(SAVED, KEEPERS + OWNERS),
        effect=lambda w: not Headline.objects.filter(pk=w.headline.pk).exists(),
    ),
    # Partner organisations.
    "organisations:list": Page(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "organisations:add": Page(
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: {"name": "Oxford Brookes University", "kind": "academic"},
        effect=lambda w: Organisation.objects.filter(name="Oxford Brookes University").exists(),
    ),
    "organisations:detail": Page(args=lambda w: [w.partner_org.pk], get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "organisations:edit": Page(
        args=lambda w: [w.partner_org.pk],
        get=only(OK, KEEPERS),
        post=only(SAVED, KEEPERS),
        data=lambda w: organisation_form_data(w.partner_org, notes="Acute partner for the forensic network."),
        effect=lambda w: (
            Organisation.objects.get(pk=w.partner_org.pk).notes == "Acute partner for the forensic network."
        ),
    ),
    "organisations:delete": Page(
        args=lambda w: [w.spare_org.pk],
        get=only(OK, ADMIN),
        post=only(SAVED, ADMIN),
        effect=lambda w: not Organisation.objects.filter(pk=w.spare_org.pk).exists(),
    ),
    "organisations:history": Page(args=lambda w: [w.partner_org.pk], get=everyone(OK), post=everyone(NOT_ALLOWED)),
    # The audit trail: read by auditors and administrators, written by nobody.
    "core:audit_log": Page(get=only(OK, ("administrator", "auditor")), post=everyone(NOT_ALLOWED)),
    # The administration: users, reference lists and tier thresholds, for administrators only.
    "core:administration": Page(get=only(OK, ADMIN), post=everyone(NOT_ALLOWED)),
    "core:tierthresholds_edit": Page(
        get=only(OK, ADMIN),
        post=only(SAVED, ADMIN),
        data=lambda w: {"tier1_min_value": "2,000,000", "tier2_min_value": "200,000"},
        effect=lambda w: (
            (TierThresholds.current().tier1_min_value, TierThresholds.current().tier2_min_value)
            == (Decimal("2000000"), Decimal("200000"))
        ),
    ),
    "core:tierthresholds_history": Page(get=only(OK, ADMIN), post=everyone(NOT_ALLOWED)),
    **reference_list_pages(
        "strategicobjective",
        StrategicObjective,
        new={"number": "3", "name": "Improve population health", "is_active": "on"},
        item=lambda w: w.objective,
        changed={"number": "1", "name": "Deliver outstanding care", "description": "Safe care", "is_active": "on"},
        unused=lambda w: w.objective2,
    ),
    **reference_list_pages(
        "bafrisktheme",
        BafRiskTheme,
        new={"name": "Cyber security", "is_active": "on"},
        item=lambda w: w.baf_theme,
        changed={"name": "System working and partnerships", "is_active": "on"},
        unused=lambda w: w.spare_theme,
    ),
    **reference_list_pages(
        "servicearea",
        ServiceArea,
        new={"name": "Children's services", "is_active": "on"},
        item=lambda w: w.service_area,
        changed={"name": "Forensic mental health services", "is_active": "on"},
        unused=lambda w: w.spare_area,
    ),
    "accounts:list": Page(get=only(OK, ADMIN), post=everyone(NOT_ALLOWED)),
    "accounts:add": Page(
        get=only(OK, ADMIN),
        post=only(SAVED, ADMIN),
        data=lambda w: {
            "username": "new.person",
            "first_name": "Nia",
            "last_name": "Person",
            "email": "nia.person@nhs.net",
            "role": "lead",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        effect=lambda w: User.objects.get(username="new.person").check_password(NEW_PASSWORD),
    ),
    "accounts:detail": Page(args=lambda w: [w.user("executive").pk], get=only(OK, ADMIN), post=everyone(NOT_ALLOWED)),
    "accounts:edit": Page(
        args=lambda w: [w.user("executive").pk],
        get=only(OK, ADMIN),
        post=only(SAVED, ADMIN),
        data=lambda w: {
            "first_name": "Martyn",
            "last_name": "Ward",
            "job_title": "Chief Executive",
            "role": "executive",
            "is_active": "on",
        },
        effect=lambda w: User.objects.get(pk=w.user("executive").pk).job_title == "Chief Executive",
    ),
    "accounts:password": Page(
        args=lambda w: [w.user("executive").pk],
        get=only(OK, ADMIN),
        post=only(SAVED, ADMIN),
        data=lambda w: {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        effect=lambda w: User.objects.get(pk=w.user("executive").pk).check_password(NEW_PASSWORD),
    ),
    # Unlocking clears the login-failure counter (kept outside Accord's tables): nothing to save.
    "accounts:unlock": Page(args=lambda w: [w.user("executive").pk], get=only(OK, ADMIN), post=only(REDIRECT, ADMIN)),
    "accounts:history": Page(args=lambda w: [w.user("executive").pk], get=only(OK, ADMIN), post=everyone(NOT_ALLOWED)),
    **AGREEMENT_PAGES,
    **RISK_PAGES,
    **IG_PAGES,
}


@dataclass(frozen=True)
class Export:
    """What a list's download holds: the column naming each row, and the rows each role may see."""

    key: str
    rows: Callable  # (world, role) -> sorted list of key values
    filter: dict  # query parameters that narrow the list
    filtered_rows: Callable  # (world, role) -> the rows left by the filter


# The register a user opens: a lead's own partnerships ("My partnerships": the owner leads P-0001,
# the delegate is delegated on it, the other lead leads P-0002), every other role's all of them.
REGISTER_OPENING = {"owner": ["P-0001"], "delegate": ["P-0001"], "other_lead": ["P-0002"]}


def _register_opening(w, role):
    return REGISTER_OPENING.get(role, ["P-0001", "P-0002", "P-0009"])


def _audit_labels(**lookup):
    return sorted(AuditEntry.objects.filter(**lookup).values_list("object_label", flat=True))


ADMIN_ROWS = {
    "core:strategicobjective_list": ("Objective", ["1) Deliver outstanding care", "2) Be a great place to work"]),
    "core:bafrisktheme_list": ("BAF risk theme", ["Financial sustainability", "System working"]),
    "core:servicearea_list": ("Service area", ["Forensic services", "Learning disability services"]),
}

EXPORTS = {
    "partnerships:list": Export(
        key="Reference",
        rows=lambda w, role: _register_opening(w, role),
        filter={"partnerships": "all", "partner": "Southern Health"},
        filtered_rows=lambda w, role: ["P-0002"],
    ),
    "organisations:list": Export(
        key="Name",
        rows=lambda w, role: sorted(
            [
                "Oxford Health NHS Foundation Trust",
                "Oxford University Hospitals NHS Foundation Trust",
                "Oxfordshire Carers Forum",
                "Southern Health NHS Foundation Trust",
            ]
        ),
        filter={"kind": "vcse"},
        filtered_rows=lambda w, role: ["Oxfordshire Carers Forum"],
    ),
    # Every role may read every agreement; the filter is one of the register's agreement conditions.
    "agreements:list": Export(
        key="Title",
        rows=lambda w, role: sorted(Agreement.objects.values_list("title", flat=True)),
        filter={"condition": "milestone_overdue"},
        filtered_rows=lambda w, role: [w.draft_agreement.title],
    ),
    # Every role may read every risk; the escalated list holds the open risks at 15 or more.
    "risks:list": Export(
        key="Risk",
        rows=lambda w, role: sorted(Risk.objects.values_list("title", flat=True)),
        filter={"domain": "finances"},
        filtered_rows=lambda w, role: [w.other_risk.title],
    ),
    "risks:escalated": Export(
        key="Risk",
        rows=lambda w, role: [w.other_risk.title],
        filter={"domain": "patient_safety"},
        filtered_rows=lambda w, role: [],
    ),
    # Every gap of the register, for every role: P-0001 shares personal data with only its ISA in
    # place; P-0002 and P-0009 have no level of data sharing recorded (itself a gap).
    "assurance:gaps": Export(
        key="Reference",
        rows=lambda w, role: sorted(g["reference"] for g in gap_rows(local_today()).iterator()),
        filter={"item": "dpia"},
        filtered_rows=lambda w, role: ["P-0001"],
    ),
    "core:audit_log": Export(
        key="Record",
        rows=lambda w, role: _audit_labels(),
        filter={"q": "P-0002"},
        filtered_rows=lambda w, role: _audit_labels(object_label__contains="P-0002"),
    ),
    "accounts:list": Export(
        key="Username",
        rows=lambda w, role: sorted(w.users),
        filter={"role": "lead"},
        filtered_rows=lambda w, role: ["delegate", "other_lead", "owner"],
    ),
    **{
        name: Export(
            key=key, rows=lambda w, role, rows=rows: rows, filter={}, filtered_rows=lambda w, role, rows=rows: rows
        )
        for name, (key, rows) in ADMIN_ROWS.items()
    },
}


# --- enumerating the URL patterns ------------------------------------------------------------

DJANGO_FILE_SERVERS = {static_views.serve, staticfiles_views.serve}


def url_patterns(resolver=None, namespace=""):
    """(name, pattern) for every URL pattern of the project, walking included URLconfs."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            if getattr(entry.callback, "__wrapped__", entry.callback) in DJANGO_FILE_SERVERS:
                continue
            yield f"{namespace}{entry.name or entry.pattern}", entry


def url_names():
    return sorted({name for name, _ in url_patterns()})


def view_class(pattern):
    return getattr(pattern.callback, "view_class", None)


def row(name):
    assert name in PAGES, f"The URL {name!r} has no row in PAGES: add one saying what each role gets for GET and POST."
    assert name in url_names(), f"PAGES has a row for {name!r}, which is no longer a URL of the app."
    return PAGES[name]


# --- the checks ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for this module's 1,700 cases inside a transaction of its own.

    Each test runs in a savepoint within it (pytest-django's ``db``), rolled back when the test
    ends, so every test starts from this same world; the whole is rolled back after the module.
    Its documents are kept in a folder of the module's own.
    """
    documents = tmp_path_factory.mktemp("documents")
    with django_db_blocker.unblock(), override_settings(DOCUMENT_STORAGE_DIR=documents), transaction.atomic():
        w = build_world(agreements=True)
        w.documents_dir = documents
        yield w
        transaction.set_rollback(True)


@pytest.fixture
def world(db, shared_world, settings):
    settings.DOCUMENT_STORAGE_DIR = shared_world.documents_dir
    return shared_world


@pytest.fixture(autouse=True)
def staging(settings, tmp_path):
    """Uploaded registers wait in a folder of the test's own."""
    settings.IMPORT_STAGING_DIR = tmp_path / "imports"


def sign_in(client, world, role):
    if role != "anonymous":
        client.force_login(world.user(role))
    return client


def assert_outcome(response, expected):
    location = response.get("Location", "")
    target = urlparse(location)
    to_login = target.path == reverse("login") and "next" in parse_qs(target.query)
    if expected == OK:
        assert response.status_code == 200, response.status_code
    elif expected == LOGIN:
        assert response.status_code == 302 and to_login, (response.status_code, location)
    elif expected in (REDIRECT, SAVED):
        assert response.status_code == 302 and not to_login, (response.status_code, location)
    else:
        assert response.status_code == int(expected), response.status_code


def private_text(world):
    """Things only someone allowed to see the register should ever read in a response."""
    return [
        world.partnership.title,
        world.partnership.purpose,
        world.headline.text,
        world.other_partnership.title,
        world.partner_org.name,
        world.draft_agreement.title,
        world.draft_agreement.purpose,
        world.other_agreement.title,
        world.scope_item.title,
        world.milestone.title,
        world.consultation.feedback,
        world.document.title,
    ]


def assert_no_data(response, world):
    body = response.content.decode() if not response.streaming else ""
    assert not is_download(response)
    for text in private_text(world):
        assert text not in body


CASES = [
    (name, role, method)
    for name in url_names() + sorted(set(PAGES) - set(url_names()))
    for role in ROLES
    for method in ("get", "post")
]


@pytest.mark.parametrize(("name", "role", "method"), CASES)
def test_permission_matrix(client, world, name, role, method):
    page = row(name)
    expected = getattr(page, method)[role]
    sign_in(client, world, role)
    if page.prepare:
        page.prepare(client, world, role)
    url = reverse(name, args=page.args(world))
    before = database_state()
    audit_count = AuditEntry.objects.count()

    response = client.get(url) if method == "get" else client.post(url, page.data(world))

    assert_outcome(response, expected)
    if expected == SAVED:
        assert AuditEntry.objects.count() > audit_count, "an allowed change must be written to the audit trail"
        assert page.effect(world), f"{role} was allowed to POST to {name} but the change was not made"
    else:
        assert database_state() == before, f"{method.upper()} {url} as {role} changed the database"
    if expected in DENIED:
        assert_no_data(response, world)


def test_every_url_pattern_has_a_row_and_every_row_a_pattern():
    names = set(url_names())
    assert names - set(PAGES) == set(), "URLs with no row in PAGES"
    assert set(PAGES) - names == set(), "rows of PAGES that are no longer URLs"


def test_the_table_is_complete_and_writes_say_what_they_do():
    for name, page in PAGES.items():
        for method in ("get", "post"):
            assert set(getattr(page, method)) == set(ROLES), (name, method)
        assert SAVED not in page.get.values(), f"{name}: a GET must never write"
        if SAVED in page.post.values():
            assert page.effect is not None, f"{name}: say what an allowed POST does"
        assert page.get["anonymous"] in (LOGIN, OK), f"{name}: anonymous visitors are sent to the login page"
    # Anonymous visitors reach nothing but the login page.
    assert [n for n, p in PAGES.items() if p.get["anonymous"] == OK] == ["login"]


@pytest.mark.parametrize("name", [n for n, p in url_patterns() if p.pattern.converters])
def test_a_url_typed_by_hand_for_a_missing_record_is_404_or_403(client, world, name):
    """A made-up id never gives a page, an error, or a write: 404 (or 403 for a role with no right)."""
    pattern = dict(url_patterns())[name]
    url = reverse(name, kwargs=dict.fromkeys(pattern.pattern.converters, 999999))
    before = database_state()
    for role in SIGNED_IN:
        sign_in(client, world, role)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            allowed = getattr(row(name), method)[role]
            if allowed == NOT_ALLOWED:
                assert response.status_code == 405, (role, method, response.status_code)
            elif allowed in (OK, SAVED, REDIRECT):
                assert response.status_code == 404, (role, method, response.status_code)
            else:
                assert response.status_code in (403, 404), (role, method, response.status_code)
    assert database_state() == before


# --- exports ---------------------------------------------------------------------------------


def exportable_lists():
    return sorted(
        name
        for name, pattern in url_patterns()
        if view_class(pattern)
        and issubclass(view_class(pattern), ObjectListView)
        and view_class(pattern).export_formats
    )


def test_every_list_with_downloads_has_an_export_row():
    assert exportable_lists() == sorted(EXPORTS)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_exports_hold_only_what_the_role_may_see(client, world, name, role, fmt):
    spec = EXPORTS[name]
    page = row(name)
    sign_in(client, world, role)
    url = reverse(name)

    for query, expected_rows in (({}, spec.rows), (spec.filter, spec.filtered_rows)):
        response = client.get(url, {**query, "export": fmt})
        if page.get[role] == OK:
            assert is_download(response), response.status_code
            keys = sorted(str(r[spec.key]) for r in read_records(response))
            assert keys == expected_rows(world, role)
        else:
            assert_outcome(response, page.get[role])
            assert_no_data(response, world)


def test_an_unknown_export_format_is_refused(client, world):
    sign_in(client, world, "coordinator")
    response = client.get(reverse("partnerships:list"), {"export": "pdf"})
    assert response.status_code == 404
    assert not is_download(response)


# --- object access in words: leads and delegates -----------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "data"),
    [
        (
            "partnerships:edit",
            lambda w: [w.other_partnership.pk],
            lambda w: partnership_form_data(w.other_partnership, title="Hijacked"),
        ),
        (
            "partnerships:partner_add",
            lambda w: [w.other_partnership.pk],
            lambda w: {"organisation": w.spare_org.pk, "role": "member"},
        ),
        (
            "partnerships:partner_edit",
            lambda w: [w.other_partner_role.pk],
            lambda w: {"organisation": w.other_org.pk, "role": "funder"},
        ),
        ("partnerships:partner_delete", lambda w: [w.other_partner_role.pk], lambda w: {}),
        (
            "partnerships:headline_add",
            lambda w: [w.other_partnership.pk],
            lambda w: {"date": "01/01/2024", "text": "Hijacked"},
        ),
        (
            "partnerships:headline_edit",
            lambda w: [w.other_headline.pk],
            lambda w: {"date": "01/01/2024", "text": "Hijacked"},
        ),
        ("partnerships:headline_delete", lambda w: [w.other_headline.pk], lambda w: {}),
        (
            "agreements:add",
            lambda w: [w.other_partnership.pk],
            lambda w: {"kind": "mou", "title": "Hijacked", "legally_binding": "no", "commencement": "last_signature"},
        ),
        (
            "agreements:edit",
            lambda w: [w.other_agreement.pk],
            lambda w: agreement_form_data(w.other_agreement, title="Hijacked"),
        ),
        ("agreements:send_for_comment", lambda w: [w.other_agreement.pk], lambda w: {}),
        (
            "agreements:party_add",
            lambda w: [w.other_agreement.pk],
            lambda w: {"organisation": w.spare_org.pk, "address": "Hijacked"},
        ),
        ("agreements:party_delete", lambda w: [w.other_agreement.parties.get().pk], lambda w: {}),
        (
            "agreements:milestone_add",
            lambda w: [w.other_agreement.pk],
            lambda w: {"title": "Hijacked", "due_date": "01/01/2024", "status": "at_risk"},
        ),
        (
            "agreements:document_add",
            lambda w: [w.other_agreement.pk],
            lambda w: {"title": "Hijacked", "kind": "other", "file": pdf_upload("Hijacked.pdf", "% hijacked")},
        ),
        ("risks:add", lambda w: [w.other_partnership.pk], lambda w: {"domain": "systems", "title": "Hijacked"}),
        ("risks:edit", lambda w: [w.other_risk.pk], lambda w: _risk_form_data(w.other_risk, title="Hijacked")),
        ("risks:close", lambda w: [w.other_risk.pk], lambda w: {"closed_on": day(local_today()), "closing_note": "x"}),
        (
            "risks:action_add",
            lambda w: [w.other_risk.pk],
            lambda w: {"description": "Hijacked", "owner": "x", "due_date": "01/01/2027", "status": "not_started"},
        ),
        ("risks:action_delete", lambda w: [w.other_risk_action.pk], lambda w: {}),
        ("risks:no_significant_risk", lambda w: [w.other_partnership.pk, "systems"], lambda w: {"note": "Hijacked"}),
        ("assurance:item_add", lambda w: [w.other_partnership.pk], lambda w: {"item": "dpia", "status": "in_progress"}),
        (
            "assurance:item_edit",
            lambda w: [w.other_ig_item.pk],
            lambda w: {"status": "in_progress", "notes": "Hijacked", "file": pdf_upload("Hijacked.pdf", "% hijacked")},
        ),
    ],
)
def test_a_lead_cannot_change_another_leads_partnership(client, world, name, args, data):
    """The owner of P-0001 (and their delegate) typing the URLs of P-0002's records get 403."""
    for role in OWNERS:
        sign_in(client, world, role)
        before = database_state()
        url = reverse(name, args=args(world))
        assert client.get(url).status_code == 403
        response = client.post(url, data(world))
        assert response.status_code == 403
        assert database_state() == before


def test_a_delegate_edits_the_partnership_and_the_change_is_theirs(client, world):
    sign_in(client, world, "delegate")
    response = client.post(
        reverse("partnerships:edit", args=[world.partnership.pk]),
        partnership_form_data(world.partnership, title=NEW_TITLE),
    )
    assert response.status_code == 302
    partnership = _partnership(world)
    assert partnership.title == NEW_TITLE
    entry = AuditEntry.objects.for_object(partnership).filter(action="update").first()
    assert entry.user_name == "Dee Legate"
    assert entry.changed_fields == ["title"]


def test_a_lead_who_is_no_longer_delegated_loses_access(client, world):
    world.partnership.delegates.remove(world.user("delegate"))
    sign_in(client, world, "delegate")
    url = reverse("partnerships:edit", args=[world.partnership.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, partnership_form_data(world.partnership, title=NEW_TITLE)).status_code == 403
    assert _partnership(world).title == world.partnership.title


def test_a_lead_cannot_close_their_own_partnership_through_the_edit_form(client, world):
    """Closing is the coordinator's: a lead's edit form refuses the status and changes nothing."""
    sign_in(client, world, "owner")
    before = database_state()
    response = client.post(
        reverse("partnerships:edit", args=[world.partnership.pk]),
        partnership_form_data(world.partnership, status=Status.CLOSED, end_date="31/03/2025"),
    )
    assert response.status_code == 400
    assert "Only the partnerships coordinator can close a partnership." in response.content.decode()
    assert database_state() == before


def test_a_lead_cannot_hand_the_partnership_to_someone_else(client, world):
    """The lead field is not on a lead's form; a crafted POST naming another lead is ignored."""
    sign_in(client, world, "owner")
    response = client.post(
        reverse("partnerships:edit", args=[world.partnership.pk]),
        partnership_form_data(world.partnership, title=NEW_TITLE, lead=world.user("other_lead").pk),
    )
    assert response.status_code == 302
    assert _partnership(world).lead == world.user("owner")


def test_pages_offer_only_the_actions_the_role_may_take(client, world):
    """The detail page shows edit links to the owner and hides them from another lead."""
    url = reverse("partnerships:detail", args=[world.partnership.pk])
    edit = reverse("partnerships:edit", args=[world.partnership.pk])
    add_headline = reverse("partnerships:headline_add", args=[world.partnership.pk])
    close = reverse("partnerships:close", args=[world.partnership.pk])
    expectations = {
        "owner": {edit: True, add_headline: True, close: False},
        "delegate": {edit: True, add_headline: True, close: False},
        "other_lead": {edit: False, add_headline: False, close: False},
        "coordinator": {edit: True, add_headline: True, close: True},
        "board_member": {edit: False, add_headline: False, close: False},
    }
    for role, links in expectations.items():
        sign_in(client, world, role)
        body = client.get(url).content.decode()
        assert {link: f'href="{link}"' in body for link in links} == links, role


# --- agreement documents: who may download them ------------------------------------------------


def streamed(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("role", ROLES)
def test_an_agreement_document_is_served_whole_and_only_to_those_who_may_see_it(client, world, role):
    """The file exactly as uploaded, as an attachment; a lead of another partnership gets 404."""
    sign_in(client, world, role)
    response = client.get(reverse("agreements:document", args=[world.document.pk]))
    expected = PAGES["agreements:document"].get[role]
    assert_outcome(response, expected)
    if expected == OK:
        assert is_download(response)
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        body = streamed(response)
        assert body.startswith(PDF)
        assert hashlib.sha256(body).hexdigest() == world.document.sha256
    else:
        assert_no_data(response, world)


@pytest.mark.parametrize("role", ROLES)
def test_an_ig_document_is_served_whole_and_only_to_those_who_may_see_it(client, world, role):
    """An ISA's file as uploaded; leads see only their own partnerships' IG documents (404 otherwise)."""
    sign_in(client, world, role)
    outcomes = (
        (world.ig_document, everyone(OK) | {"other_lead": NOT_FOUND}),
        (world.other_ig_document, everyone(OK) | dict.fromkeys(OWNERS, NOT_FOUND)),
    )
    assert outcomes[0][1] == PAGES["assurance:document"].get
    for document, expected in outcomes:
        response = client.get(reverse("assurance:document", args=[document.pk]))
        assert_outcome(response, expected[role])
        if expected[role] == OK:
            assert is_download(response)
            assert response["X-Content-Type-Options"] == "nosniff"
            assert hashlib.sha256(streamed(response)).hexdigest() == document.sha256
        else:
            assert not is_download(response)
            assert document.original_name not in response.content.decode()


@pytest.mark.parametrize("fmt", ["svg", "csv", "xlsx"])
@pytest.mark.parametrize("role", ROLES)
def test_the_heatmap_download_follows_the_page(client, world, role, fmt):
    """Every signed-in role downloads the heatmap (two open risks in the world); a visitor gets the login page."""
    sign_in(client, world, role)
    response = client.get(reverse("risks:heatmap"), {"export": fmt})
    if role == "anonymous":
        assert_outcome(response, LOGIN)
        assert not is_download(response)
        return
    assert is_download(response)
    if fmt == "svg":
        assert response["Content-Type"] == "image/svg+xml"
    else:
        records = read_records(response)
        assert len(records) == 25
        assert sum(int(r["Open risks"]) for r in records) == Risk.objects.filter(status="open").count() == 2


def test_leads_download_their_own_partnerships_documents_and_not_each_others(client, world):
    """Who leads P-0002 reads its subcontract; the lead and delegate of P-0001 cannot tell it exists."""
    theirs = reverse("agreements:document", args=[world.other_document.pk])
    for role in OWNERS:
        sign_in(client, world, role)
        response = client.get(theirs)
        assert response.status_code == 404
        assert not is_download(response)
        assert world.other_document.title not in response.content.decode()
        assert world.other_document.original_name not in response.content.decode()
        # Their agreement's page and its history are open to them, but say nothing of its documents.
        for url in (
            world.other_agreement.get_absolute_url(),
            reverse("agreements:history", args=[world.other_agreement.pk]),
        ):
            page = client.get(url).content.decode()
            assert world.other_agreement.title in page
            for secret in (theirs, world.other_document.title, world.other_document.original_name):
                assert secret not in page, (url, secret)
            assert world.other_document.sha256 not in page
    sign_in(client, world, "other_lead")
    response = client.get(theirs)
    assert is_download(response)
    assert hashlib.sha256(streamed(response)).hexdigest() == world.other_document.sha256


# --- what an agreement protects ------------------------------------------------------------------


def test_a_partnership_with_agreements_cannot_be_deleted_even_by_an_administrator(client, world):
    sign_in(client, world, "administrator")
    before = database_state()
    url = reverse("partnerships:delete", args=[world.partnership.pk])
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(world.partnership.get_absolute_url(), 302)]
    assert f"{world.partnership} cannot be deleted because other records still use it." in response.content.decode()
    assert database_state() == before


def test_a_party_of_an_approved_agreement_cannot_be_removed_and_the_page_says_why(client, world):
    """Parties are fixed once approved: the page explains, the POST changes nothing and goes back."""
    party = world.unsigned_party
    sign_in(client, world, "coordinator")
    url = reverse("agreements:party_delete", args=[party.pk])
    back = f"{world.approved_agreement.get_absolute_url()}#parties"
    page = client.get(url).content.decode()
    assert "Parties can only be added, changed or removed while the agreement is a draft or out for comment" in page
    assert f'href="{back}"' in page
    assert "Delete agreement party</button>" not in page
    before = database_state()
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(back, 302)]
    assert "this one is “Approved, awaiting signatures”" in response.content.decode()
    assert database_state() == before


@pytest.mark.parametrize(
    ("name", "record", "section"),
    [
        ("agreements:party_delete", lambda w: w.party, "parties"),
        ("agreements:consultation_delete", lambda w: w.consultation, "comment"),
        ("agreements:scope_delete", lambda w: w.scope_item, "scope"),
        ("agreements:milestone_delete", lambda w: w.milestone, "milestones"),
        ("agreements:indicator_delete", lambda w: w.indicator, "indicators"),
    ],
)
def test_a_delete_page_goes_back_to_the_records_place_on_the_agreement_page(client, world, name, record, section):
    obj = record(world)
    sign_in(client, world, "owner")
    page = client.get(reverse(name, args=[obj.pk])).content.decode()
    back = f"{obj.agreement.get_absolute_url()}#{section}"
    assert f'<a class="nhsuk-back-link" href="{back}">' in page
    assert f'<a class="nhsuk-link" href="{back}">Cancel</a>' in page
    assert f'id="{section}"' in client.get(obj.agreement.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("name", "record", "section"),
    [
        ("partnerships:partner_delete", lambda w: w.partner_role, "partners"),
        ("partnerships:headline_delete", lambda w: w.headline, "headlines"),
    ],
)
def test_a_delete_page_goes_back_to_the_records_place_on_the_partnership_page(client, world, name, record, section):
    obj = record(world)
    sign_in(client, world, "owner")
    page = client.get(reverse(name, args=[obj.pk])).content.decode()
    back = f"{obj.partnership.get_absolute_url()}#{section}"
    assert f'<a class="nhsuk-back-link" href="{back}">' in page
    assert f'<a class="nhsuk-link" href="{back}">Cancel</a>' in page
    assert f'id="{section}"' in client.get(obj.partnership.get_absolute_url()).content.decode()


def test_a_signed_copy_is_named_in_the_history_only_to_those_who_may_see_documents(client, world):
    """A lead of another partnership reads that a party's signed copy was uploaded, not its title."""
    from agreements import lifecycle

    with audit_context(user=world.user("other_lead"), source="web"):
        signed_copy = upload_document(world.other_agreement, "Signed subcontract", world.user("other_lead"))
        lifecycle.send_for_comment(world.other_agreement)
        lifecycle.approve(world.other_agreement)
        party = world.other_agreement.parties.get()
        lifecycle.record_signature(party, "Ms Sally Hart", "Director", local_today(), signed_copy=signed_copy)
    history = reverse("agreements:history", args=[world.other_agreement.pk])
    for role, sees in (("owner", False), ("delegate", False), ("other_lead", True), ("auditor", True)):
        sign_in(client, world, role)
        for url in (world.other_agreement.get_absolute_url(), history):
            page = client.get(url).content.decode()
            assert ("Signed subcontract" in page) is sees, (role, url)
        assert "Ms Sally Hart" in page, "the signature itself is no secret"
