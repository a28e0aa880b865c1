"""Writing a plan: every row or none, in one transaction, audited as an "import".

New service areas, organisations, partnerships and partner links are created with
``bulk_create`` and audited with :func:`core.audit.record_bulk`; partnerships that really change are saved one by one
(audited by the model signals); rows that match the register are not touched, so re-importing
a file, or importing Accord's own export, writes nothing at all.
"""

import os
import time
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from core import audit, derived
from core.models import BafRiskTheme, ServiceArea, StrategicObjective
from organisations.models import Organisation, OrganisationKind, normalise_name
from partnerships.importing.errors import ImportRefused, RegisterImportError
from partnerships.importing.fields import FK_FIELDS, M2M_FIELDS
from partnerships.importing.plan import NewOrganisation
from partnerships.importing.register import MATCHED_RELATED, chunks
from partnerships.models import PartnerRole, PartnerRoleKind, Partnership

# Test-only: with this set to a path, the writing transaction, once every row is written and
# before it commits, creates that file and waits (up to 10 minutes) for the test that set it to
# kill the worker (``partnerships/tests/test_import_worker.py``). Never set in production.
PAUSE_ENV = "ACCORD_TEST_IMPORT_PAUSE_FILE"


def _test_pause():
    path = os.environ.get(PAUSE_ENV)
    if path:
        Path(path).touch()
        time.sleep(600)


def commit_plan(plan, user=None, begin=None):
    """Write the plan: every row or none, in one transaction, audited as an "import".

    Refuses (:class:`ImportRefused`) when the plan has any problem. Rows whose action is
    "unchanged" are not touched, so a plan with nothing to change writes nothing at all.
    ``begin()``, when given, is the transaction's first statement (the background import marks
    itself done there, so the mark and the rows commit together or not at all).
    """
    if plan.problems:
        raise ImportRefused(plan.problems)
    if plan.committed:
        raise RegisterImportError("This import has already been written.")
    user = user if user is not None else plan.user
    user = user if getattr(user, "pk", None) else None
    if plan.to_write == 0:
        plan.committed = True
        return plan.summary()
    try:
        with audit.audit_context(user=user, source="import"), transaction.atomic():
            if begin is not None:
                begin()
            with derived.batched():
                _create_service_areas(plan.new_service_areas)
                _create_organisations(plan.new_organisations)
                _create_partnerships([r for r in plan.rows if r.action == "create"], user)
                _update_partnerships([r for r in plan.rows if r.action == "update"])
                _add_partner_links([r for r in plan.rows if r.action in ("create", "update")])
            _test_pause()
    except IntegrityError:
        raise ImportRefused(
            [],
            "The register changed while the import was being written (another change used the same reference or "
            "organisation), so nothing was imported. Check the preview again and retry.",
        ) from None
    plan.committed = True
    return plan.summary()


def _create_service_areas(new_service_areas):
    """The directorates the file adds to the list: the planned partnerships already point at them."""
    created = [new.instance for new in new_service_areas]
    ServiceArea.objects.bulk_create(created, batch_size=500)
    audit.record_bulk(created)


def _create_organisations(new_organisations):
    created = []
    for new in new_organisations:
        name = " ".join(new.name.split())
        new.instance = Organisation(
            name=name, name_key=normalise_name(name), kind=OrganisationKind.OTHER, ods_code=new.ods_code or None
        )
        created.append(new.instance)
    Organisation.objects.bulk_create(created, batch_size=500)
    audit.record_bulk(created)


def _create_partnerships(creates, user):
    """New partnerships, audited with the labels of their strategic objectives and BAF themes, then those links."""
    m2m_labels = _m2m_labels(creates)
    created = [r.instance for r in creates]
    now = timezone.now()
    for instance in created:
        instance.status_changed_at = now
        instance.status_changed_by = user
    Partnership.objects.bulk_create(created, batch_size=500)
    for instance in created:
        instance._loaded_status = instance.status
    audit.record_bulk(created, extra=m2m_labels)
    for name in M2M_FIELDS:
        m2m = Partnership._meta.get_field(name)
        through = m2m.remote_field.through
        own, other = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
        links = [through(**{own: r.instance.pk, other: i}) for r in creates for i in sorted(r.m2m.get(name, ()))]
        through.objects.bulk_create(links, batch_size=1000)


def _m2m_labels(creates):
    """For a new partnership, its objectives and themes as its audit entry shows them (sorted labels)."""
    lookups = {
        "strategic_objectives": StrategicObjective.objects.in_bulk(),
        "baf_themes": BafRiskTheme.objects.in_bulk(),
    }
    chosen = {id(r.instance): r.m2m for r in creates}

    def labels(instance):
        ids = chosen[id(instance)]
        return {name: sorted(str(lookups[name][i]) for i in ids.get(name, ())) for name in M2M_FIELDS}

    return labels


def _update_partnerships(updates):
    """Changed partnerships: read again inside the transaction and saved one by one, only the fields
    the file changes, so the signals audit exactly what changed and an edit made meanwhile to another
    field survives."""
    ids = [r.instance.pk for r in updates]
    fresh = {}
    for chunk in chunks(ids):
        fresh.update(Partnership.objects.select_related(*MATCHED_RELATED).in_bulk(chunk))
    for planned in updates:
        instance = fresh.get(planned.instance.pk)
        if instance is None:
            raise ImportRefused(
                [],
                f"{planned.reference} was deleted while the import was being written, so nothing was imported. "
                "Check the preview again and retry.",
            )
        planned.instance = instance
        _apply_update(instance, planned)


def _apply_update(instance, planned):
    fields = []
    for name, value in planned.updates.items():
        current = getattr(instance, f"{name}_id") if name in FK_FIELDS else getattr(instance, name)
        if current != (getattr(value, "pk", None) if name in FK_FIELDS else value):
            setattr(instance, name, value)
            fields.append(name)
    if fields:
        if "status" in fields:
            fields += ["status_changed_at", "status_changed_by"]
        instance.save(update_fields=[*fields, "updated_at"])
    for name, ids_wanted in planned.m2m.items():
        getattr(instance, name).set(sorted(ids_wanted))


def _add_partner_links(written):
    """New partner links, for new partnerships and existing ones alike, with the role "member"."""
    roles = [
        PartnerRole(
            partnership=planned.instance,
            organisation=org.instance if isinstance(org, NewOrganisation) else org,
            role=PartnerRoleKind.MEMBER,
        )
        for planned in written
        for org in planned.add_partners
    ]
    PartnerRole.objects.bulk_create(roles, batch_size=1000)
    audit.record_bulk(roles)
