"""The life of an agreement: which status changes there are, who may skip them (nobody), signatures,
commencement, variations, supersession, expiry and termination."""

import datetime
import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from agreements import lifecycle, services
from agreements.lifecycle import ALLOWED_STATUS_CHANGES, StatusChangeRefused
from agreements.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Commencement,
    MilestoneStatus,
)
from agreements.tests import builders as b
from core.audit import audit_context
from core.dates import local_today
from core.models import AuditEntry
from core.roles import Role
from tests.world import make_user

pytestmark = pytest.mark.django_db

S = AgreementStatus
EXPIRY_DAY = datetime.date(2024, 4, 1)  # the day after the builders' term end
TERMINATED_ON = datetime.date(2023, 10, 1)


@pytest.fixture
def people(db):
    return {
        "admin": make_user("ada.admin", Role.ADMINISTRATOR, "Ada", "Admin"),
        "coordinator": make_user("ben.cahill", Role.COORDINATOR, "Ben", "Cahill"),
        "lead": make_user("anne.clarke", Role.LEAD, "Anne", "Clarke"),
    }


@pytest.fixture
def setting(people):
    """A partnership and two trusts, created as the coordinator."""
    with audit_context(user=people["coordinator"]):
        return {
            "partnership": b.partnership("P-0001", lead=people["lead"]),
            "oh": b.organisation("Oxford Health NHS Foundation Trust", "RNU"),
            "ouh": b.organisation("Oxford University Hospitals NHS Foundation Trust", "RTH"),
        }


def new_agreement(setting, **fields):
    fields.setdefault("term_end_date", b.TERM_END)
    return b.agreement(setting["partnership"], [setting["oh"], setting["ouh"]], **fields)


def reach(status, setting, a=None):
    """An agreement (``a``, or a new one) brought to ``status`` through the lifecycle functions."""
    a = a or new_agreement(setting)
    if status == S.DRAFT:
        return a
    services.send_for_comment(a)
    if status == S.OUT_FOR_COMMENT:
        return a
    services.approve(a)
    if status == S.APPROVED:
        return a
    b.in_force(a)
    if status == S.VARIED:
        b.varied(a)
    elif status == S.EXPIRED:
        services.expire(a, today=EXPIRY_DAY)
    elif status == S.TERMINATED:
        services.terminate(a, TERMINATED_ON)
    elif status == S.SUPERSEDED:
        services.supersede(a, new_agreement(setting, title="Replacement agreement"))
    return a


def step(a, to, setting, replacement=None):
    """Ask the lifecycle for the change to ``to``: the function a page or command would call."""
    if to == S.DRAFT:
        services.return_to_draft(a)
    elif to == S.OUT_FOR_COMMENT:
        services.send_for_comment(a)
    elif to == S.APPROVED:
        services.approve(a)
    elif to == S.IN_FORCE:
        b.sign_all(a)  # signatures are not status changes: only bringing into force is
        services.bring_into_force(a)
    elif to == S.VARIED:
        b.varied(a)  # starting a variation is the step that can be refused
    elif to == S.EXPIRED:
        services.expire(a, today=EXPIRY_DAY)
    elif to == S.TERMINATED:
        services.terminate(a, TERMINATED_ON)
    elif to == S.SUPERSEDED:
        services.supersede(a, replacement or new_agreement(setting, title="Replacement agreement"))


def stored(a):
    return Agreement.objects.get(pk=a.pk)


def own_entries(obj):
    """The audit entries about ``obj`` itself (not its parties, milestones and so on)."""
    return AuditEntry.objects.filter(object_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


ALL_PAIRS = [(old, new) for old, new in itertools.product(S, S) if old != new]
ALLOWED = sorted(ALLOWED_STATUS_CHANGES)
REFUSED = [pair for pair in ALL_PAIRS if pair not in ALLOWED_STATUS_CHANGES]


def test_the_table_of_status_changes_is_the_one_the_issue_describes():
    assert set(ALLOWED) == {
        (S.DRAFT, S.OUT_FOR_COMMENT),
        (S.OUT_FOR_COMMENT, S.DRAFT),
        (S.OUT_FOR_COMMENT, S.APPROVED),
        (S.APPROVED, S.IN_FORCE),
        (S.IN_FORCE, S.VARIED),
        (S.IN_FORCE, S.EXPIRED),
        (S.IN_FORCE, S.TERMINATED),
        (S.IN_FORCE, S.SUPERSEDED),
    }
    assert len(REFUSED) == 48


@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_an_allowed_change_happens_through_the_lifecycle_and_is_audited(old, new, setting, people):
    with audit_context(user=people["coordinator"]):
        a = reach(old, setting)
    before = timezone.now()
    entries_before = set(own_entries(a).values_list("pk", flat=True))

    with audit_context(user=people["lead"]):
        step(a, new, setting)

    a = stored(a)
    assert a.status == new
    assert a.status_changed_at >= before
    entries = own_entries(a).exclude(pk__in=entries_before).filter(action="update")
    status_entries = [e for e in entries if "status" in e.changed_fields]
    assert len(status_entries) == 1
    entry = status_entries[0]
    assert entry.user_name == "Anne Clarke"
    assert (entry.before["status"], entry.after["status"]) == (S(old).label, S(new).label)


@pytest.mark.parametrize(("old", "new"), REFUSED)
def test_a_change_outside_the_table_is_refused_even_for_an_administrator(old, new, setting, people):
    with audit_context(user=people["coordinator"]):
        a = reach(old, setting)
        # Every party "signed" behind the lifecycle's back, so only the status rule stands in the way.
        AgreementParty.objects.filter(agreement=a, signed_on__isnull=True).update(signed_on=b.SIGNED_ON)
        replacement = new_agreement(setting, title="Replacement agreement") if new == S.SUPERSEDED else None
    a = stored(a)
    stamp, superseded_by = a.status_changed_at, a.superseded_by
    entries = AuditEntry.objects.count()
    agreements = Agreement.objects.count()

    with audit_context(user=people["admin"]), pytest.raises(StatusChangeRefused) as refusal:
        step(a, new, setting, replacement)
    [message] = refusal.value.messages
    assert f"is “{S(old).label}”" in message  # the step's reason names the status the agreement is in

    direct = stored(a)
    direct.status = new
    with audit_context(user=people["admin"]), pytest.raises(StatusChangeRefused, match="cannot become"):
        direct.save()

    after = stored(a)
    assert (after.status, after.status_changed_at, after.superseded_by) == (old, stamp, superseded_by)
    assert Agreement.objects.count() == agreements  # no variation or replacement left behind
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize(("old", "new"), REFUSED)
def test_a_copy_refreshed_from_the_database_cannot_skip_a_step_either(old, new, setting, people):
    """A page or shell session that loaded the agreement earlier and refreshes it gets no way round."""
    a = new_agreement(setting)
    copy = stored(a)  # loaded while a draft
    with audit_context(user=people["coordinator"]):
        reach(old, setting, a)
    copy.refresh_from_db()
    assert copy.status == old
    copy.status = new
    with audit_context(user=people["admin"]), pytest.raises(StatusChangeRefused, match="cannot become"):
        copy.save()
    assert stored(a).status == old


def test_a_stale_copy_cannot_undo_a_step_another_user_took(setting, people):
    with audit_context(user=people["coordinator"]):
        a = new_agreement(setting)
        services.send_for_comment(a)
        stale = Agreement.objects.get(pk=a.pk)  # says "out for comment"
        services.approve(a)
        stale.status = S.DRAFT
        with pytest.raises(StatusChangeRefused):
            stale.save()
    assert stored(a).status == S.APPROVED


@pytest.mark.parametrize("status", [s for s in S if s != S.DRAFT])
def test_a_new_agreement_starts_as_a_draft(status, setting, people):
    with audit_context(user=people["admin"]):
        a = Agreement(partnership=setting["partnership"], kind=AgreementKind.MOU, title="Backdated MoU", status=status)
        with pytest.raises(StatusChangeRefused, match="starts as a draft"):
            a.save()
        with pytest.raises(StatusChangeRefused):
            Agreement.objects.create(
                partnership=setting["partnership"], kind=AgreementKind.MOU, title="Backdated MoU", status=status
            )
    assert not Agreement.objects.exists()
    assert not AuditEntry.objects.filter(object_type__model="agreement").exists()


def test_a_new_draft_is_stamped_and_audited(setting, people):
    before = timezone.now()
    with audit_context(user=people["lead"]):
        a = new_agreement(setting)
    assert a.status == S.DRAFT and a.status_changed_at >= before
    created = own_entries(a).get(action="create")
    assert (created.user_name, created.after["status"]) == ("Anne Clarke", "Draft")


def test_saving_an_agreement_without_a_status_change_keeps_its_stamp(setting, people):
    with audit_context(user=people["coordinator"]):
        a = reach(S.IN_FORCE, setting)
    stamp = stored(a).status_changed_at
    a = stored(a)
    a.notice_period = "3 months' notice"
    a.save()
    assert (stored(a).status, stored(a).status_changed_at) == (S.IN_FORCE, stamp)


# --- in force and signatures -------------------------------------------------------------------


def test_it_comes_into_force_only_when_every_party_has_signed(setting, people):
    with audit_context(user=people["lead"]):
        a = new_agreement(setting)
        b.approved(a)
        oh = a.parties.get(organisation=setting["oh"])
        services.record_signature(oh, "Nick Broughton", "Chief Executive", datetime.date(2022, 4, 1))
        stamp = stored(a).status_changed_at
        entries = AuditEntry.objects.count()
        with pytest.raises(lifecycle.TransitionRefused) as refusal:
            services.bring_into_force(a)
    [message] = refusal.value.messages
    assert "Not yet signed: Oxford University Hospitals NHS Foundation Trust." in message
    assert "Oxford Health" not in message
    assert (stored(a).status, stored(a).status_changed_at) == (S.APPROVED, stamp)
    assert AuditEntry.objects.count() == entries


def test_the_refusal_names_every_party_not_yet_signed(setting, people):
    with audit_context(user=people["lead"]):
        a = b.approved(new_agreement(setting))
        with pytest.raises(lifecycle.TransitionRefused) as refusal:
            services.bring_into_force(a)
    assert refusal.value.messages[0].endswith(
        "Not yet signed: Oxford Health NHS Foundation Trust, Oxford University Hospitals NHS Foundation Trust."
    )
    assert stored(a).status == S.APPROVED


def test_an_administrator_cannot_save_an_unsigned_agreement_into_force(setting, people):
    with audit_context(user=people["coordinator"]):
        a = b.approved(new_agreement(setting))
        services.record_signature(
            a.parties.get(organisation=setting["oh"]), "Nick Broughton", "Chief Executive", b.SIGNED_ON
        )
    entries = AuditEntry.objects.count()
    direct = stored(a)
    direct.status = S.IN_FORCE
    with audit_context(user=people["admin"]), pytest.raises(StatusChangeRefused, match="Not yet signed: Oxford Univ"):
        direct.save()
    assert stored(a).status == S.APPROVED
    assert AuditEntry.objects.count() == entries


def test_an_agreement_without_parties_cannot_be_approved_or_come_into_force(setting, people):
    with audit_context(user=people["lead"]):
        a = b.agreement(setting["partnership"])
        services.send_for_comment(a)
        with pytest.raises(lifecycle.TransitionRefused, match="Add the parties"):
            services.approve(a)
        assert stored(a).status == S.OUT_FOR_COMMENT

        # Parties removed after approval: still nobody to sign, so it cannot come into force.
        with_parties = b.approved(new_agreement(setting, title="Second MoU"))
        with_parties.parties.all().delete()
        with pytest.raises(lifecycle.TransitionRefused, match="needs its parties"):
            services.bring_into_force(with_parties)
        direct = stored(with_parties)
        direct.status = S.IN_FORCE
        with pytest.raises(StatusChangeRefused):
            direct.save()
    assert stored(with_parties).status == S.APPROVED


def test_commencement_is_the_last_signature_by_default(setting, people):
    with audit_context(user=people["lead"]):
        a = b.approved(new_agreement(setting))
        assert lifecycle.commencement_date(a) is None
        services.record_signature(
            a.parties.get(organisation=setting["ouh"]), "Chief Executive of OUH", "Chief Executive", b.SIGNED_ON
        )
        assert lifecycle.commencement_date(a) is None  # one party still to sign
        services.record_signature(
            a.parties.get(organisation=setting["oh"]), "Nick Broughton", "Chief Executive", datetime.date(2023, 4, 20)
        )
        services.bring_into_force(a)
    assert lifecycle.commencement_date(stored(a)) == datetime.date(2023, 4, 20)


def test_commencement_is_the_stated_date_when_the_agreement_says_so(setting, people):
    with audit_context(user=people["lead"]):
        a = new_agreement(
            setting, commencement=Commencement.STATED_DATE, stated_commencement_date=datetime.date(2018, 4, 1)
        )
        b.in_force(a, signed_on=datetime.date(2018, 3, 29))
    assert stored(a).status == S.IN_FORCE
    assert lifecycle.commencement_date(stored(a)) == datetime.date(2018, 4, 1)


def test_a_stated_commencement_without_its_date_is_refused(setting, people):
    with audit_context(user=people["lead"]):
        a = new_agreement(setting, commencement=Commencement.STATED_DATE)
        b.approved(a)
        b.sign_all(a)
        with pytest.raises(lifecycle.TransitionRefused, match="Enter the stated commencement date"):
            services.bring_into_force(a)
    assert stored(a).status == S.APPROVED
    assert lifecycle.commencement_date(stored(a)) is None


@pytest.mark.parametrize("status", [S.DRAFT, S.OUT_FOR_COMMENT])
def test_signatures_wait_for_approval(status, setting, people):
    with audit_context(user=people["lead"]):
        a = reach(status, setting)
        party = a.parties.get(organisation=setting["oh"])
        with pytest.raises(lifecycle.TransitionRefused, match="once the agreement is approved"):
            services.record_signature(party, "Nick Broughton", "Chief Executive", b.SIGNED_ON)
    party.refresh_from_db()
    assert (party.signed_on, party.signatory_name) == (None, "")


def test_a_party_added_after_it_came_into_force_cannot_sign_it(setting, people):
    with audit_context(user=people["lead"]):
        a = reach(S.IN_FORCE, setting)
        late = a.parties.create(organisation=b.organisation("Oxfordshire County Council", kind="local_authority"))
        with pytest.raises(lifecycle.TransitionRefused, match="“In force”"):
            services.record_signature(late, "Council signatory", "Chief Executive", b.SIGNED_ON)
    late.refresh_from_db()
    assert late.signed_on is None


def test_a_party_signs_only_once(setting, people):
    with audit_context(user=people["lead"]):
        a = b.approved(new_agreement(setting))
        first_look = a.parties.get(organisation=setting["oh"])  # two users open the signing page
        second_look = a.parties.get(organisation=setting["oh"])
        services.record_signature(first_look, "Nick Broughton", "Chief Executive", datetime.date(2023, 4, 3))
        with pytest.raises(lifecycle.TransitionRefused, match="already signed, on 3 April 2023"):
            services.record_signature(first_look, "Someone Else", "Deputy", datetime.date(2023, 4, 5))
        with pytest.raises(lifecycle.TransitionRefused, match="already signed"):
            services.record_signature(second_look, "Someone Else", "Deputy", datetime.date(2023, 4, 5))
    party = AgreementParty.objects.get(pk=first_look.pk)
    assert (party.signatory_name, party.signatory_position, party.signed_on) == (
        "Nick Broughton",
        "Chief Executive",
        datetime.date(2023, 4, 3),
    )
    assert own_entries(party).filter(action="update").count() == 1


def test_a_signature_cannot_be_dated_in_the_future(setting, people):
    today = local_today()
    with audit_context(user=people["lead"]):
        a = b.approved(new_agreement(setting))
        oh, ouh = a.parties.get(organisation=setting["oh"]), a.parties.get(organisation=setting["ouh"])
        with pytest.raises(lifecycle.TransitionRefused, match="cannot be in the future"):
            services.record_signature(oh, "Nick Broughton", "Chief Executive", today + datetime.timedelta(days=1))
        assert AgreementParty.objects.get(pk=oh.pk).signed_on is None
        services.record_signature(ouh, "OUH Chief Executive", "Chief Executive", today)
    assert AgreementParty.objects.get(pk=ouh.pk).signed_on == today


def test_the_signed_copy_must_be_a_document_of_the_agreement(setting, people):
    with audit_context(user=people["lead"]):
        a = b.approved(new_agreement(setting))
        other = new_agreement(setting, title="Information sharing agreement")
        theirs, ours = b.document(other), b.document(a)
        party = a.parties.get(organisation=setting["oh"])
        with pytest.raises(lifecycle.TransitionRefused, match="must be a document of this agreement"):
            services.record_signature(party, "Nick Broughton", "Chief Executive", b.SIGNED_ON, signed_copy=theirs)
        assert AgreementParty.objects.get(pk=party.pk).signed_copy is None
        services.record_signature(party, "Nick Broughton", "Chief Executive", b.SIGNED_ON, signed_copy=ours)
    assert AgreementParty.objects.get(pk=party.pk).signed_copy == ours


def test_a_signature_is_audited_with_who_recorded_it(setting, people):
    with audit_context(user=people["lead"]):
        a = b.approved(new_agreement(setting))
        party = a.parties.get(organisation=setting["oh"])
        services.record_signature(
            party, "Nick Broughton", "Chief Executive", datetime.date(2022, 4, 1), user=people["lead"]
        )
    party.refresh_from_db()
    assert party.recorded_by == people["lead"]
    entry = own_entries(party).get(action="update")
    assert entry.user_name == "Anne Clarke"
    assert (entry.before["signed_on"], entry.after["signed_on"]) == (None, "2022-04-01")
    assert entry.after["signatory_name"] == "Nick Broughton"


# --- variation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.DRAFT, S.OUT_FOR_COMMENT, S.APPROVED, S.VARIED, S.EXPIRED, S.TERMINATED])
def test_only_an_agreement_in_force_can_be_varied(status, setting, people):
    with audit_context(user=people["lead"]):
        a = reach(status, setting)
        count = Agreement.objects.count()
        with pytest.raises(lifecycle.TransitionRefused, match="Only an agreement in force can be varied"):
            services.start_variation(stored(a))
    assert Agreement.objects.count() == count


def test_a_second_variation_waits_for_the_first(setting, people):
    with audit_context(user=people["lead"]):
        a = reach(S.IN_FORCE, setting)
        first = services.start_variation(a)
        with pytest.raises(lifecycle.TransitionRefused, match="already in progress"):
            services.start_variation(stored(a))
    assert list(Agreement.objects.filter(version=2)) == [first]


def test_a_variation_copies_the_terms_and_parties_without_signatures(setting, people):
    with audit_context(user=people["lead"]):
        a = new_agreement(
            setting,
            purpose="Jointly commission a programme of service transformation.",
            legally_binding="except",
            binding_exceptions="Confidentiality and data protection",
            notice_period="Reviewed annually",
            governance="The JCCC meets at least once a month.",
        )
        a.parties.filter(organisation=setting["oh"]).update(address="Warneford Hospital, Oxford")
        a.scope_items.create(title="Dermatology", description="Care closer to home.", lead="Clinical lead")
        a.milestones.create(
            title="Section 75 terms agreed", due_date=datetime.date(2018, 1, 31), owner="JCCC", status="on_track"
        )
        a.indicators.create(measure="More joint projects", frequency="Annually", target="Two a year")
        b.in_force(a)
        variation = services.start_variation(a)

    assert (variation.version, variation.varies, variation.status) == (2, stored(a), S.DRAFT)
    assert str(variation) == "Memorandum of understanding (version 2)"
    for name in services.VARIATION_COPIES:
        assert getattr(variation, name) == getattr(a, name), name
    assert variation.stated_commencement_date is None  # a variation starts on a date of its own
    parties = list(variation.parties.order_by("organisation__name"))
    assert [(p.organisation, p.address) for p in parties] == [
        (setting["oh"], "Warneford Hospital, Oxford"),
        (setting["ouh"], ""),
    ]
    assert all(p.signed_on is None and not p.signatory_name and p.signed_copy is None for p in parties)
    assert list(variation.scope_items.values_list("title", "description", "lead")) == [
        ("Dermatology", "Care closer to home.", "Clinical lead")
    ]
    assert list(variation.milestones.values_list("title", "due_date", "owner", "status")) == [
        ("Section 75 terms agreed", datetime.date(2018, 1, 31), "JCCC", MilestoneStatus.ON_TRACK)
    ]
    assert list(variation.indicators.values_list("measure", "frequency", "target")) == [
        ("More joint projects", "Annually", "Two a year")
    ]
    assert stored(a).status == S.IN_FORCE  # the version in force stays in force meanwhile


def test_a_variation_needs_every_party_to_sign_again(setting, people):
    with audit_context(user=people["lead"]):
        a = reach(S.IN_FORCE, setting)
        variation = b.approved(services.start_variation(a))
        services.record_signature(
            variation.parties.get(organisation=setting["oh"]), "Nick Broughton", "Chief Executive", b.SIGNED_ON
        )
        with pytest.raises(lifecycle.TransitionRefused, match="Not yet signed: Oxford University Hospitals"):
            services.bring_into_force(variation)
    assert stored(variation).status == S.APPROVED
    assert stored(a).status == S.IN_FORCE


def test_when_the_variation_comes_into_force_the_earlier_version_is_varied_and_stays_readable(setting, people):
    with audit_context(user=people["lead"]):
        a = new_agreement(setting)
        b.approved(a)
        signed_copy = b.document(a)
        oh = a.parties.get(organisation=setting["oh"])
        services.record_signature(oh, "Nick Broughton", "Chief Executive", b.SIGNED_ON, signed_copy=signed_copy)
        b.in_force(a)
    parties_before = list(a.parties.order_by("pk").values())
    documents_before = list(a.documents.order_by("pk").values())

    with audit_context(user=people["coordinator"]):
        variation = b.varied(a, signed_on=datetime.date(2023, 9, 12))

    earlier = stored(a)
    assert (earlier.status, earlier.ended_on) == (S.VARIED, datetime.date(2023, 9, 11))
    assert earlier.ended_on == lifecycle.commencement_date(variation) - datetime.timedelta(days=1)
    assert stored(variation).status == S.IN_FORCE
    assert earlier.variation == variation
    assert list(earlier.parties.order_by("pk").values()) == parties_before
    assert list(earlier.documents.order_by("pk").values()) == documents_before
    assert lifecycle.commencement_date(earlier) == b.SIGNED_ON
    entry = own_entries(earlier).filter(action="update").first()
    assert (entry.user_name, entry.before["status"], entry.after["status"]) == (
        "Ben Cahill",
        "In force",
        "Varied (replaced by a later version)",
    )


def test_a_variation_cannot_come_into_force_once_the_earlier_version_has_ended(setting, people):
    with audit_context(user=people["lead"]):
        a = reach(S.IN_FORCE, setting)
        variation = b.approved(services.start_variation(a))
        b.sign_all(variation)
        services.terminate(stored(a), TERMINATED_ON)
        with pytest.raises(StatusChangeRefused, match="“Terminated” cannot become “Varied"):
            services.bring_into_force(stored(variation))
    assert stored(variation).status == S.APPROVED
    assert stored(a).status == S.TERMINATED


# --- supersession ------------------------------------------------------------------------------


def test_superseding_links_both_agreements_and_ends_the_older(setting, people):
    with audit_context(user=people["lead"]):
        mou = reach(S.IN_FORCE, setting)
        s75 = new_agreement(
            setting,
            title="Joint Commissioning Agreement (section 75)",
            kind=AgreementKind.SECTION_75,
            commencement=Commencement.STATED_DATE,
            stated_commencement_date=datetime.date(2018, 4, 1),
            term_end_date=None,
        )
        b.in_force(s75, signed_on=datetime.date(2018, 3, 29))
    with audit_context(user=people["coordinator"]):
        services.supersede(stored(mou), stored(s75))

    older, newer = stored(mou), stored(s75)
    assert older.superseded_by == newer
    assert list(newer.supersedes.all()) == [older]
    assert (older.status, older.ended_on) == (S.SUPERSEDED, datetime.date(2018, 3, 31))
    assert newer.status == S.IN_FORCE
    entry = own_entries(older).filter(action="update").first()
    assert entry.user_name == "Ben Cahill"
    assert entry.after["superseded_by"] == "Joint Commissioning Agreement (section 75)"
    assert entry.after["status"] == "Superseded"


def test_superseding_on_a_stated_day(setting, people):
    with audit_context(user=people["lead"]):
        older = reach(S.IN_FORCE, setting)
        newer = new_agreement(setting, title="Replacement")
        services.supersede(older, newer, ended_on=datetime.date(2024, 1, 31))
    assert stored(older).ended_on == datetime.date(2024, 1, 31)


def test_an_agreement_cannot_supersede_itself(setting, people):
    with audit_context(user=people["lead"]):
        a = reach(S.IN_FORCE, setting)
        with pytest.raises(lifecycle.TransitionRefused, match="cannot supersede itself"):
            services.supersede(a, stored(a))
    assert (stored(a).status, stored(a).superseded_by) == (S.IN_FORCE, None)


@pytest.mark.parametrize("ended", [S.VARIED, S.EXPIRED, S.TERMINATED, S.SUPERSEDED])
def test_an_ended_agreement_cannot_be_the_replacement(ended, setting, people):
    with audit_context(user=people["lead"]):
        replacement = reach(ended, setting)
        older = reach(S.IN_FORCE, setting)
        with pytest.raises(lifecycle.TransitionRefused, match="has itself ended"):
            services.supersede(older, stored(replacement))
    assert (stored(older).status, stored(older).superseded_by, stored(older).ended_on) == (S.IN_FORCE, None, None)


# --- expiry and termination --------------------------------------------------------------------


def test_it_expires_only_after_the_term_end_date(setting, people):
    with audit_context(user=people["lead"]):
        a = reach(S.IN_FORCE, setting)  # term ends 31 March 2024
        for too_early in (datetime.date(2024, 3, 30), datetime.date(2024, 3, 31)):
            with pytest.raises(lifecycle.TransitionRefused, match="whose term has ended"):
                services.expire(a, today=too_early)
            assert stored(a).status == S.IN_FORCE
        services.expire(stored(a), today=datetime.date(2024, 4, 1))
    assert (stored(a).status, stored(a).ended_on) == (S.EXPIRED, datetime.date(2024, 3, 31))


def test_an_agreement_without_a_term_end_does_not_expire(setting, people):
    with audit_context(user=people["lead"]):
        a = new_agreement(setting, term_end_date=None)
        b.in_force(a)
        with pytest.raises(lifecycle.TransitionRefused, match="whose term has ended"):
            services.expire(a, today=datetime.date(2099, 1, 1))
    assert stored(a).status == S.IN_FORCE


def test_expiry_defaults_to_today_in_london(setting, people):
    with audit_context(user=people["lead"]):
        a = reach(S.IN_FORCE, setting)  # its term ended on 31 March 2024, before any day this test runs
        services.expire(a)
    assert stored(a).status == S.EXPIRED


def test_termination_needs_a_date_not_before_commencement(setting, people):
    with audit_context(user=people["lead"]):
        a = reach(S.IN_FORCE, setting)  # commenced 3 April 2023
        with pytest.raises(lifecycle.TransitionRefused, match="before it came into force"):
            services.terminate(a, datetime.date(2023, 4, 2))
        with pytest.raises(lifecycle.TransitionRefused, match="Enter the date"):
            services.terminate(a, None)
        assert (stored(a).status, stored(a).ended_on) == (S.IN_FORCE, None)
        services.terminate(stored(a), datetime.date(2023, 4, 3))
    assert (stored(a).status, stored(a).ended_on) == (S.TERMINATED, datetime.date(2023, 4, 3))


# --- one reason, shown by the page and given by the service ------------------------------------


def take(name, a, replacement):
    """Take step ``name`` on ``a`` through ``agreements.services``, with what its page would send."""
    if name == "supersede":
        return services.supersede(a, replacement)
    if name == "terminate":
        return services.terminate(a, TERMINATED_ON)
    return getattr(services, name)(a)


def no_parties(setting):
    a = b.agreement(setting["partnership"])
    services.send_for_comment(a)
    return a


def unsigned(setting):
    return b.approved(new_agreement(setting))


def no_stated_date(setting):
    a = b.approved(new_agreement(setting, commencement=Commencement.STATED_DATE))
    b.sign_all(a)
    return a


def variation_started(setting):
    a = reach(S.IN_FORCE, setting)
    services.start_variation(a)
    return a


def term_running(setting):
    return b.in_force(new_agreement(setting, term_end_date=local_today() + datetime.timedelta(days=30)))


WRONG_STATUS = [(step.name, s) for step in lifecycle.STEPS for s in S if s != step.from_status]
UNMET_NEEDS = [
    ("approve", no_parties),
    ("bring_into_force", unsigned),
    ("bring_into_force", no_stated_date),
    ("start_variation", variation_started),
    ("expire", term_running),
]


def refusal_on_the_page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.context["refusal"]


@pytest.mark.parametrize(
    ("name", "build"),
    [(name, lambda setting, s=s: reach(s, setting)) for name, s in WRONG_STATUS] + UNMET_NEEDS,
    ids=[f"{name} from {s.label}" for name, s in WRONG_STATUS] + [f"{n} ({f.__name__})" for n, f in UNMET_NEEDS],
)
def test_a_step_refused_gives_the_same_reason_on_its_page_and_from_the_service(client, name, build, setting, people):
    with audit_context(user=people["coordinator"]):
        a = build(setting)
        replacement = new_agreement(setting, title="Replacement agreement")
    shown = refusal_on_the_page(client, people["coordinator"], reverse(f"agreements:{name}", args=[a.pk]))
    agreements, entries = Agreement.objects.count(), AuditEntry.objects.count()

    with audit_context(user=people["coordinator"]), pytest.raises(lifecycle.TransitionRefused) as refused:
        take(name, stored(a), replacement)

    assert shown
    assert refused.value.messages == [shown]
    assert (Agreement.objects.count(), AuditEntry.objects.count()) == (agreements, entries)


@pytest.mark.parametrize("status", [S.DRAFT, S.OUT_FOR_COMMENT, S.IN_FORCE, "signed"])
def test_a_signature_refused_gives_the_same_reason_on_its_page_and_from_the_service(client, status, setting, people):
    with audit_context(user=people["coordinator"]):
        a = reach(S.APPROVED if status == "signed" else status, setting)
        party = a.parties.get(organisation=setting["oh"])
        if status == "signed":
            services.record_signature(party, "Nick Broughton", "Chief Executive", b.SIGNED_ON)
    shown = refusal_on_the_page(client, people["coordinator"], reverse("agreements:sign", args=[party.pk]))

    with audit_context(user=people["coordinator"]), pytest.raises(lifecycle.TransitionRefused) as refused:
        services.record_signature(party, "Someone Else", "Deputy", b.SIGNED_ON)

    assert shown
    assert refused.value.messages == [shown]
