"""The writes of incidents, for the pages, the demo and anything else that records them: each
validates with the model's rules, checks the organisations are partners of the partnership, is
audited by ``core.audit`` and is all-or-nothing.

- :func:`save_incident`: record or change an incident and the partners it is shared with;
- :func:`report_incident`: a partner contributor reports one for their organisation, shared with
  the partnership's partners;
- :func:`move_incident`: the status moves one step at a time, open → under review → learning
  agreed → closed; the learning must be recorded before it is agreed.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.dates import local_today
from incidents.models import NEXT_STATUS, IncidentStatus, partners_of


def _check_shared_with(incident, organisations):
    partners = set(partners_of(incident.partnership_id).values_list("pk", flat=True))
    outsiders = sorted(o.name for o in organisations if o.pk not in partners)
    if outsiders:
        raise ValidationError(
            {
                "shared_with": f"{', '.join(outsiders)} {'is' if len(outsiders) == 1 else 'are'} not a partner of "
                "this partnership: an incident is shared only with the partnership's partner organisations."
            }
        )


@transaction.atomic
def save_incident(incident, shared_with=None):
    """Validate and save ``incident``; ``shared_with`` (when given) replaces the partners it is shared with."""
    incident.full_clean()
    if shared_with is not None:
        shared_with = list(shared_with)
        _check_shared_with(incident, shared_with)
    incident.save()
    if shared_with is not None:
        incident.shared_with.set(shared_with)
    return incident


@transaction.atomic
def report_incident(incident, user):
    """A partner contributor reports ``incident`` into their partnership: their organisation reports
    it and it is shared with every partner organisation of the partnership (the trust may narrow
    that afterwards). The same checks as :func:`save_incident`; audited like any save."""
    incident.reported_by_id = user.organisation_id
    return save_incident(incident, partners_of(incident.partnership_id))


def transition_refusal(incident, to_status):
    """Why ``incident`` cannot move to ``to_status`` now, or ``None``."""
    current = IncidentStatus(incident.status)
    expected = NEXT_STATUS.get(current)
    if expected is None:
        return "This incident is closed: its status no longer changes."
    if to_status != expected:
        wanted = IncidentStatus(to_status).label.lower() if to_status in IncidentStatus.values else to_status
        return (
            f"An incident that is {current.label.lower()} moves next to “{expected.label.lower()}”, "
            f"not to “{wanted}”: the status moves one step at a time."
        )
    return None


@transaction.atomic
def move_incident(incident, to_status, learning=None, on=None):
    """Move ``incident`` to ``to_status`` (the next step only), with the learning when it is agreed."""
    refusal = transition_refusal(incident, to_status)
    if refusal:
        raise ValidationError(refusal)
    if learning is not None:
        incident.learning = learning
    incident.status = to_status
    if to_status == IncidentStatus.LEARNING_AGREED:
        incident.learning_agreed_on = on or local_today()
    incident.full_clean()
    incident.save()
    return incident
