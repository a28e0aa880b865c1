"""Rules that cut across the register: ODS codes, organisation names, and no NHS numbers anywhere."""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from assurance.forms import IGItemForm
from core import audit
from core.audit import guard_free_text
from core.validators import NHS_NUMBER_MESSAGE
from organisations.forms import OrganisationForm
from organisations.models import Organisation, validate_ods_code
from partnerships.forms import HeadlineForm, PartnershipForm
from risks.forms import CloseRiskForm, NoSignificantRiskForm, RiskActionForm, RiskForm
from risks.models import Risk
from tests.editing import opened_version
from tests.world import (
    NHS_NUMBER,
    NHS_NUMBER_DIGITS,
    accord_models,
    database_state,
    organisation_form_data,
    partnership_form_data,
)


def errors_shown(response):
    """The text of the error summary and of every field's error message."""
    body = response.content.decode()
    summary = re.findall(r'<div class="nhsuk-error-summary".*?</ul>', body, flags=re.S)
    messages = re.findall(r'<span class="nhsuk-error-message"[^>]*>(?:<span[^>]*>[^<]*</span>|<br>|[^<])*</span>', body)
    return html.unescape(re.sub(r"<[^>]+>", " ", " ".join(summary + messages)))


# --- ODS codes --------------------------------------------------------------------------------

VALID_ODS = ["RNU", "RTH", "QU9", "02X", "C81010", "RNU01"]
INVALID_ODS = ["R N U", "TOOLONGCODE", "12", "RN", "R-NU", "RNU0", "C8101X"]


@pytest.mark.parametrize("code", VALID_ODS)
def test_valid_ods_codes_are_accepted(coordinator, world, code):
    Organisation.objects.filter(ods_code=code).update(ods_code=None)
    validate_ods_code(code)
    response = coordinator.post(
        reverse("organisations:add"), {"name": f"Org {code}", "kind": "nhs_trust", "ods_code": f" {code.lower()} "}
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name=f"Org {code}").ods_code == code


@pytest.mark.parametrize("code", INVALID_ODS)
def test_malformed_ods_codes_are_refused(coordinator, world, code):
    with pytest.raises(ValidationError):
        validate_ods_code(code)
    before = database_state()
    response = coordinator.post(
        reverse("organisations:add"), {"name": "Badly coded", "kind": "nhs_trust", "ods_code": code}
    )
    assert response.status_code == 400
    assert "ods_code" in OrganisationForm({"name": "Badly coded", "kind": "nhs_trust", "ods_code": code}).errors
    assert 'href="#id_ods_code"' in response.content.decode()
    assert database_state() == before


@pytest.mark.parametrize("code", ["RTH", "rth", " Rth "])
def test_an_ods_code_belongs_to_one_organisation(coordinator, world, code):
    before = database_state()
    response = coordinator.post(
        reverse("organisations:add"), {"name": "Impostor", "kind": "nhs_trust", "ods_code": code}
    )
    assert response.status_code == 400
    assert "Another organisation already has the ODS code RTH." in errors_shown(response)
    assert database_state() == before
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="Impostor", ods_code=code)


def test_organisations_without_an_ods_code_do_not_clash(world):
    """A blank ODS code is stored as "none", so any number of organisations can have none."""
    Organisation.objects.create(name="Carers Oxfordshire", ods_code="")
    Organisation.objects.create(name="Age UK Oxfordshire", ods_code="  ")
    names = set(Organisation.objects.filter(ods_code__isnull=True).values_list("name", flat=True))
    assert names == {"Carers Oxfordshire", "Age UK Oxfordshire", "Oxfordshire Carers Forum"}


# --- organisation names -----------------------------------------------------------------------

SAME_NAMES = [
    "oxford university hospitals nhs foundation trust",
    "  Oxford   University Hospitals NHS Foundation Trust ",
    "OXFORD UNIVERSITY HOSPITALS NHS FOUNDATION TRUST",
]


@pytest.mark.parametrize("name", SAME_NAMES)
def test_organisation_names_are_unique_whatever_their_case_and_spacing(coordinator, world, name):
    before = database_state()
    response = coordinator.post(reverse("organisations:add"), {"name": name, "kind": "nhs_trust"})
    assert response.status_code == 400
    assert "is already on the register." in errors_shown(response)
    assert database_state() == before

    with pytest.raises(ValidationError) as refused:
        Organisation(name=name, kind="nhs_trust").full_clean()
    assert "name" in refused.value.message_dict

    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name=name)


def test_renaming_an_organisation_to_another_ones_name_is_refused(coordinator, world):
    before = database_state()
    response = coordinator.post(
        reverse("organisations:edit", args=[world.spare_org.pk]),
        organisation_form_data(world.spare_org, name="southern health nhs foundation trust"),
    )
    assert response.status_code == 400
    assert database_state() == before


def test_an_organisation_keeps_its_own_name_and_spacing_is_tidied(coordinator, world):
    response = coordinator.post(
        reverse("organisations:edit", args=[world.spare_org.pk]),
        organisation_form_data(world.spare_org, name="  Oxfordshire   Carers  Forum "),
    )
    assert response.status_code == 302
    assert Organisation.objects.get(pk=world.spare_org.pk).name == "Oxfordshire Carers Forum"


# --- NHS numbers in free text -------------------------------------------------------------------
#
# Every text box of every form of the register is tried: the list of fields comes from the form
# classes themselves, so a new free-text field is covered without editing this test.


@dataclass(frozen=True)
class FormPage:
    form_class: type
    args: Callable  # world -> URL arguments
    data: Callable  # world -> a valid POST body
    instance: Callable = lambda w: None  # world -> the record an edit page changes


FORM_PAGES = {
    "partnerships:add": FormPage(
        PartnershipForm, lambda w: [], lambda w: partnership_form_data(w.partnership, title="New")
    ),
    "partnerships:edit": FormPage(
        PartnershipForm,
        lambda w: [w.partnership.pk],
        lambda w: partnership_form_data(w.partnership),
        lambda w: w.partnership,
    ),
    "partnerships:headline_add": FormPage(
        HeadlineForm,
        lambda w: [w.partnership.pk],
        lambda w: {"date": "01/04/2024", "text": "Contract signed."},
    ),
    "partnerships:headline_edit": FormPage(
        HeadlineForm,
        lambda w: [w.headline.pk],
        lambda w: {"date": "01/03/2024", "text": w.headline.text},
        lambda w: w.headline,
    ),
    "organisations:add": FormPage(OrganisationForm, lambda w: [], lambda w: {"name": "Banbury Hub", "kind": "vcse"}),
    "organisations:edit": FormPage(
        OrganisationForm,
        lambda w: [w.partner_org.pk],
        lambda w: organisation_form_data(w.partner_org),
        lambda w: w.partner_org,
    ),
    "risks:edit": FormPage(
        RiskForm, lambda w: [w.risk.pk], lambda w: _risk_form_data(w.risk), lambda w: Risk.objects.get(pk=w.risk.pk)
    ),
    "risks:close": FormPage(
        CloseRiskForm,
        lambda w: [w.risk.pk],
        lambda w: {"closed_on": "01/01/2026", "closing_note": "Embedded."},
        lambda w: w.risk,
    ),
    "risks:action_add": FormPage(
        RiskActionForm,
        lambda w: [w.risk.pk],
        lambda w: {"description": "Recruit", "owner": "Anne Clarke", "due_date": "31/03/2027", "status": "not_started"},
    ),
    "risks:no_significant_risk": FormPage(
        NoSignificantRiskForm, lambda w: [w.partnership.pk, "reputation"], lambda w: {"note": "None."}
    ),
    "assurance:item_add": FormPage(
        IGItemForm, lambda w: [w.partnership.pk], lambda w: {"item": "dpia", "status": "in_progress"}
    ),
}


def _risk_form_data(r):
    data = {
        f"{position}_{axis}": str(getattr(r, f"{position}_{axis}"))
        for position in ("inherent", "current", "target")
        for axis in ("likelihood", "consequence")
    }
    return data | {
        "domain": r.domain,
        "title": r.title,
        "description": r.description,
        "owner": r.owner,
        "existing_controls": r.existing_controls,
        "treatment": r.treatment,
        "review_date": r.review_date.strftime("%d/%m/%Y"),
        "current_above_inherent_reason": r.current_above_inherent_reason,
    }


def text_with_nhs_number(field):
    """Text for ``field`` that holds a valid NHS number, within the field's length."""
    room = field.max_length or 1000
    if isinstance(field, forms.URLField):
        return f"https://example.org/{NHS_NUMBER_DIGITS}"
    if room >= 40:
        return f"Discussed patient {NHS_NUMBER} at the meeting"
    return NHS_NUMBER_DIGITS if room >= 10 else None


def free_text_fields(form):
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, (forms.TypedChoiceField, forms.ChoiceField))
        and text_with_nhs_number(field)
    ]


WRITTEN_IN = {
    "partnerships:add": {"title", "purpose", "notes"},
    "partnerships:edit": {"title", "purpose", "notes"},
    "partnerships:headline_add": {"text"},
    "partnerships:headline_edit": {"text"},
    "organisations:add": {"name", "notes"},
    "organisations:edit": {"name", "notes"},
    "risks:edit": {"title", "description", "owner", "existing_controls", "current_above_inherent_reason"},
    "risks:close": {"closing_note"},
    "risks:action_add": {"description", "owner"},
    "risks:no_significant_risk": {"note"},
    "assurance:item_add": {"notes"},
}


@pytest.mark.parametrize("page", sorted(FORM_PAGES))
def test_no_form_stores_an_nhs_number_in_any_text_box(coordinator, world, page):
    spec = FORM_PAGES[page]
    form = spec.form_class(instance=spec.instance(world), user=world.user("coordinator"))
    fields = free_text_fields(form)
    assert WRITTEN_IN[page] <= set(fields)
    url = reverse(page, args=spec.args(world))
    for field in fields:
        body = {**opened_version(coordinator, url), **spec.data(world)}
        body[field] = text_with_nhs_number(form.fields[field])
        before = database_state()

        response = coordinator.post(url, body)

        assert response.status_code == 400, field
        shown = errors_shown(response)
        assert "NHS number" in shown, field
        for written in (NHS_NUMBER, NHS_NUMBER_DIGITS, "943-476-5919", "4765919"):
            assert written not in shown, f"{field}: the message must not repeat the number"
        assert f'href="#id_{field}"' in response.content.decode(), field
        assert database_state() == before, field


# The model-level guard: below the forms, nothing saved through the ORM may hold an NHS number.

INSTANCES = {
    "accounts.User": lambda w: w.user("executive"),
    "core.StrategicObjective": lambda w: w.objective,
    "core.BafRiskTheme": lambda w: w.baf_theme,
    "core.ServiceArea": lambda w: w.service_area,
    "organisations.Organisation": lambda w: w.partner_org,
    "partnerships.Partnership": lambda w: w.partnership,
    "partnerships.Headline": lambda w: w.headline,
    "agreements.Agreement": lambda w: w.draft_agreement,
    "agreements.AgreementParty": lambda w: w.party,
    "agreements.Consultation": lambda w: w.consultation,
    "agreements.AgreementDocument": lambda w: w.document,
    "agreements.ScopeItem": lambda w: w.scope_item,
    "agreements.Milestone": lambda w: w.milestone,
    "agreements.Indicator": lambda w: w.indicator,
    "risks.Risk": lambda w: w.risk,
    "risks.RiskAction": lambda w: w.risk_action,
    "risks.NoSignificantRisk": lambda w: w.no_significant_risk,
    "assurance.IGItem": lambda w: w.ig_item,
    "governance.Body": lambda w: w.body,
    "governance.TermsOfReference": lambda w: w.terms,
    "governance.Membership": lambda w: w.member,
    "governance.Meeting": lambda w: w.meeting,
    "governance.AgendaItem": lambda w: w.item,
    "governance.ItemDeclaration": lambda w: w.item_declaration,  # final once written: refused anyway
    "governance.Decision": lambda w: w.draft_decision,
    "governance.Minutes": lambda w: w.minutes,
    "governance.Interest": lambda w: w.interest,  # final once written: refused anyway
}


def guarded_text_fields(model):
    sensitive = audit._registry[model].sensitive if audit.is_audited(model) else set()
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
        and not f.choices
        and f.name not in sensitive
        and f.editable  # derived fields (an organisation's name key) follow a guarded field
        and (f.max_length or 1000) >= 10
    ]


MODEL_CASES = [
    (model._meta.label, name)
    for model in accord_models(include_auto_created=False)
    if model._meta.label != "core.AuditEntry"
    for name in guarded_text_fields(model)
]


def test_every_model_with_free_text_has_an_instance_to_try():
    assert sorted({label for label, _ in MODEL_CASES}) == sorted(INSTANCES)


@pytest.mark.parametrize(("label", "field"), MODEL_CASES)
def test_the_model_layer_refuses_an_nhs_number_in_any_text_field(world, label, field):
    obj = INSTANCES[label](world)
    obj = type(obj)._base_manager.get(pk=obj.pk)
    max_length = obj._meta.get_field(field).max_length or 1000
    setattr(obj, field, f"Patient {NHS_NUMBER}" if max_length >= 20 else NHS_NUMBER_DIGITS)
    before = database_state()

    with pytest.raises(ValidationError) as refused:
        guard_free_text(obj)
    assert refused.value.message_dict == {field: [NHS_NUMBER_MESSAGE]}
    with pytest.raises(ValidationError), transaction.atomic():
        obj.save()
    assert database_state() == before


def test_the_model_layer_refuses_a_new_record_with_an_nhs_number(world):
    before = database_state()
    with pytest.raises(ValidationError), transaction.atomic():
        Organisation.objects.create(name="Patient 943-476-5919 support group")
    assert database_state() == before


def test_numbers_that_are_not_nhs_numbers_are_kept(world):
    """Phone numbers, money and invalid check digits are ordinary text."""
    p = world.partnership
    p.notes = "Call 01865 902000. Value £5,800,000. Ref 9434765918."
    p.save()
    p.refresh_from_db()
    assert p.notes == "Call 01865 902000. Value £5,800,000. Ref 9434765918."
