"""The life of an agreement, and the only way its status changes.

draft → out for comment → approved (awaiting signatures) → in force → varied / expired /
terminated / superseded. Out for comment may return to draft. Every party signs after approval;
the agreement comes into force only when all have. A variation is a new version, copied from the
one in force, that goes through the same life and every party signs again; when it comes into
force the earlier version becomes "varied". Superseding links two agreements both ways and ends
the older one.

Each step checks its rule for every user, administrators included, and the model refuses any
other status change (see ``Agreement.save``), so no page, import or shell session can skip one.
Every change is saved through the model, so the audit trail records who and when.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement, AgreementParty, StatusChangeRefused, check_status_change, signing_problem
from agreements.models import AgreementStatus as S


class TransitionRefused(StatusChangeRefused):
    """A lifecycle step the rules do not allow, with the reason in plain words."""


def day_before(date):
    """``ended_on`` is always the last day an agreement was in force: its successor starts the next day."""
    return date - datetime.timedelta(days=1) if date else None


def _move(agreement, new_status, ended_on=None):
    check_status_change(agreement.status, new_status)
    agreement.status = new_status
    if ended_on is not None:
        agreement.ended_on = ended_on
    agreement.save()
    return agreement


def send_for_comment(agreement):
    return _move(agreement, S.OUT_FOR_COMMENT)


def return_to_draft(agreement):
    return _move(agreement, S.DRAFT)


def approve(agreement):
    if not agreement.parties.exists():
        raise TransitionRefused("Add the parties to the agreement before it is approved.")
    return _move(agreement, S.APPROVED)


def unsigned_parties(agreement):
    return [p for p in agreement.parties.select_related("organisation") if not p.has_signed]


def commencement_date(agreement):
    """The date the agreement comes (or came) into force, or None while that is not known.

    By default the date the last party signs; otherwise the stated date.
    """
    if agreement.commencement == "stated_date":
        return agreement.stated_commencement_date
    dates = [p.signed_on for p in agreement.parties.all()]
    if not dates or None in dates:
        return None
    return max(dates)


@transaction.atomic
def record_signature(party, signatory_name, signatory_position, signed_on, signed_copy=None, user=None):
    """Record one party's signature (only once the agreement is approved, and only once).

    The checks read the party and its agreement afresh, under a lock: two people recording the
    same signature from pages opened at the same time cannot both succeed.
    """
    current = AgreementParty.objects.select_for_update().select_related("agreement").get(pk=party.pk)
    agreement = current.agreement
    if agreement.status != S.APPROVED:
        raise TransitionRefused(
            f"Signatures are recorded once the agreement is approved; it is “{agreement.get_status_display()}”."
        )
    if current.has_signed:
        raise TransitionRefused(f"{party.organisation} has already signed, on {current.signed_on:%d %B %Y}.")
    if signed_on > timezone.localdate():
        raise TransitionRefused("The date of signature cannot be in the future.")
    if signed_copy is not None and signed_copy.agreement_id != agreement.pk:
        raise TransitionRefused("The signed copy must be a document of this agreement.")
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
    if problem := signing_problem(agreement):
        raise TransitionRefused(problem)
    if agreement.commencement == "stated_date" and agreement.stated_commencement_date is None:
        raise TransitionRefused("Enter the stated commencement date before the agreement comes into force.")
    _move(agreement, S.IN_FORCE)
    if agreement.varies_id:
        earlier = Agreement.objects.select_for_update().get(pk=agreement.varies_id)
        _move(earlier, S.VARIED, ended_on=day_before(commencement_date(agreement)))
    return agreement


def expire(agreement, today=None):
    today = today or timezone.localdate()
    if agreement.term_end_date is None or agreement.term_end_date >= today:
        raise TransitionRefused("Only an agreement whose term has ended can be marked as expired.")
    return _move(agreement, S.EXPIRED, ended_on=agreement.term_end_date)


def terminate(agreement, ended_on):
    if ended_on is None:
        raise TransitionRefused("Enter the date the agreement was terminated.")
    start = commencement_date(agreement)
    if start and ended_on < start:
        raise TransitionRefused("An agreement cannot be terminated before it came into force.")
    return _move(agreement, S.TERMINATED, ended_on=ended_on)


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
    if agreement.status != S.IN_FORCE:
        raise TransitionRefused("Only an agreement in force can be varied.")
    if Agreement.objects.filter(varies=agreement).exists():
        raise TransitionRefused("A variation of this agreement is already in progress.")
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


@transaction.atomic
def supersede(older, newer, ended_on=None):
    """``newer`` replaces ``older``: both are linked and the older one ends."""
    if older.pk == newer.pk:
        raise TransitionRefused("An agreement cannot supersede itself.")
    if newer.status in (S.SUPERSEDED, S.VARIED, S.EXPIRED, S.TERMINATED):
        raise TransitionRefused("The replacing agreement has itself ended; choose one that is current.")
    older.superseded_by = newer
    return _move(older, S.SUPERSEDED, ended_on=ended_on or day_before(commencement_date(newer)) or timezone.localdate())
