"""The writes of an agreement's life: each lifecycle step, and recording a signature.

Each step re-reads the agreement with its row locked, asks ``agreements.lifecycle`` whether it is
possible now and refuses with the reason the step's page shows (:class:`TransitionRefused`), then
saves through the model: the audit trail records who and when, and ``Agreement.save`` refuses any
status change outside the lifecycle whatever path asks for it.
"""

import datetime

from django.db import transaction

from agreements import lifecycle
from agreements.lifecycle import STEP, TransitionRefused
from agreements.models import Agreement, AgreementParty
from agreements.models import AgreementStatus as S
from core.dates import local_today


def _take(name, agreement, today=None):
    """Lock and re-read ``agreement`` (the caller's copy), then refuse step ``name`` if it is not possible now."""
    agreement.refresh_from_db(from_queryset=Agreement.objects.select_for_update())
    if reason := lifecycle.refusal(STEP[name], agreement, today):
        raise TransitionRefused(reason)


def _refuse(reason):
    if reason:
        raise TransitionRefused(reason)


def _move(agreement, new_status, ended_on=None):
    agreement.status = new_status
    if ended_on is not None:
        agreement.ended_on = ended_on
    agreement.save()
    return agreement


def day_before(date):
    """``ended_on`` is always the last day an agreement was in force: its successor starts the next day."""
    return date - datetime.timedelta(days=1) if date else None


@transaction.atomic
def send_for_comment(agreement):
    _take("send_for_comment", agreement)
    return _move(agreement, S.OUT_FOR_COMMENT)


@transaction.atomic
def return_to_draft(agreement):
    _take("return_to_draft", agreement)
    return _move(agreement, S.DRAFT)


@transaction.atomic
def approve(agreement):
    _take("approve", agreement)
    return _move(agreement, S.APPROVED)


@transaction.atomic
def record_signature(party, signatory_name, signatory_position, signed_on, signed_copy=None, user=None):
    """Record one party's signature (only once the agreement is approved, and only once).

    The checks read the party and its agreement afresh, under a lock: two people recording the
    same signature from pages opened at the same time cannot both succeed.
    """
    current = AgreementParty.objects.select_for_update().select_related("agreement", "organisation").get(pk=party.pk)
    _refuse(lifecycle.signature_refusal(current))
    _refuse(lifecycle.signature_date_refusal(signed_on))
    _refuse(lifecycle.signed_copy_refusal(current.agreement, signed_copy))
    party.signatory_name = signatory_name
    party.signatory_position = signatory_position
    party.signed_on = signed_on
    party.signed_copy = signed_copy
    party.recorded_by = user if getattr(user, "pk", None) else None
    party.full_clean()
    party.save()
    return party


@transaction.atomic
def bring_into_force(agreement):
    """In force once every party has signed; a variation ends the version it replaces."""
    _take("bring_into_force", agreement)
    _move(agreement, S.IN_FORCE)
    if agreement.varies_id:
        earlier = Agreement.objects.select_for_update().get(pk=agreement.varies_id)
        _move(earlier, S.VARIED, ended_on=day_before(lifecycle.commencement_date(agreement)))
    return agreement


@transaction.atomic
def expire(agreement, today=None):
    _take("expire", agreement, today)
    return _move(agreement, S.EXPIRED, ended_on=agreement.term_end_date)


@transaction.atomic
def terminate(agreement, ended_on):
    _take("terminate", agreement)
    _refuse(lifecycle.termination_refusal(agreement, ended_on))
    return _move(agreement, S.TERMINATED, ended_on=ended_on)


@transaction.atomic
def supersede(agreement, replacement, ended_on=None):
    """``replacement`` supersedes ``agreement``: both are linked and ``agreement`` ends.

    It ends on ``ended_on``, by default the day before the replacement came into force (or today).
    """
    _take("supersede", agreement)
    _refuse(lifecycle.replacement_refusal(agreement, replacement))
    agreement.superseded_by = replacement
    ended_on = ended_on or day_before(lifecycle.commencement_date(replacement)) or local_today()
    return _move(agreement, S.SUPERSEDED, ended_on=ended_on)


# What a variation starts from: the terms of the version in force (then edited and signed again).
# Not the stated commencement date: the variation starts on a date of its own.
VARIATION_COPIES = (
    "partnership",
    "kind",
    "title",
    "purpose",
    "legally_binding",
    "binding_exceptions",
    "commencement",
    "term_end_date",
    "notice_period",
    "governance",
)


@transaction.atomic
def start_variation(agreement):
    """A new draft version of an agreement in force: same terms and parties, no signatures."""
    _take("start_variation", agreement)
    variation = Agreement.objects.create(
        **{name: getattr(agreement, name) for name in VARIATION_COPIES},
        version=agreement.version + 1,
        varies=agreement,
    )
    for party in agreement.parties.all():
        variation.parties.create(organisation=party.organisation, address=party.address)
    for item in agreement.scope_items.all():
        variation.scope_items.create(title=item.title, description=item.description, lead=item.lead)
    for milestone in agreement.milestones.all():
        variation.milestones.create(
            title=milestone.title, due_date=milestone.due_date, owner=milestone.owner, status=milestone.status
        )
    for indicator in agreement.indicators.all():
        variation.indicators.create(measure=indicator.measure, frequency=indicator.frequency, target=indicator.target)
    return variation
