"""The risk profiles' rows of Accord's cross-cutting tests (``tests/rows.py`` says what each table is)."""

import datetime

from core.dates import local_today
from risks.models import HighestScore, NoSignificantRisk, ProfileState, Risk, RiskAction, RiskDomain, RiskMatrix
from tests.rows import (
    ADMIN,
    NHS_NUMBER_SHOWN,
    NOT_ALLOWED,
    OK,
    SAVED,
    Change,
    Export,
    Form,
    Growth,
    Page,
    Stale,
    changes,
    edits,
    everyone,
    only,
    pk_of,
    reads,
)
from tests.world import NHS_NUMBER, day


def build(w):
    """On each of the two partnerships an open risk with a further action: ``risk`` (patient safety,
    3×3) with ``risk_action``, ``other_risk`` (finances, 4×4: escalated) with ``other_risk_action``;
    and on each "no significant risk" for systems (``no_significant_risk``, ``other_no_significant_risk``)."""
    today = local_today()

    def risk(partnership, domain, title, owner, current=(3, 3), theme=None):
        r = Risk(
            partnership=partnership,
            domain=domain,
            title=title,
            description="Because staff are stretched, there is a risk that referrals wait, which harms patients.",
            owner=owner,
            inherent_likelihood=4,
            inherent_consequence=3,
            current_likelihood=current[0],
            current_consequence=current[1],
            current_above_inherent_reason="Two partners withdrew." if current[0] * current[1] > 12 else "",
            target_likelihood=2,
            target_consequence=2,
            treatment="treat",
            review_date=today + datetime.timedelta(days=90),
            baf_theme=theme,
        )
        r.full_clean()
        r.save()
        action = RiskAction.objects.create(
            risk=r, description="Agree the escalation protocol", owner=owner, due_date=today + datetime.timedelta(30)
        )
        return r, action

    w.risk, w.risk_action = risk(w.partnership, RiskDomain.PATIENT_SAFETY, "Referrals wait too long", "Anne Clarke")
    w.other_risk, w.other_risk_action = risk(
        w.other_partnership, RiskDomain.FINANCES, "Contract overspend", "Olu Other", current=(4, 4), theme=w.baf_theme
    )
    w.no_significant_risk = NoSignificantRisk.objects.create(
        partnership=w.partnership, domain=RiskDomain.SYSTEMS, assessed_by=w.user("owner"), assessed_on=today
    )
    w.other_no_significant_risk = NoSignificantRisk.objects.create(
        partnership=w.other_partnership, domain=RiskDomain.SYSTEMS, assessed_by=w.user("other_lead"), assessed_on=today
    )


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


# Risk profiles: everyone reads; the keepers and the partnership's own leads change; only the
# administrator changes the matrix. A risk is closed, never deleted.
PAGES = {
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


# The pages the owning lead may use, on the other lead's partnership's records (403 for them).
THEIRS = {
    "risks:add": (lambda w: [w.other_partnership.pk], lambda w: {"domain": "systems", "title": "Hijacked"}),
    "risks:edit": (lambda w: [w.other_risk.pk], lambda w: _risk_form_data(w.other_risk, title="Hijacked")),
    "risks:close": (
        lambda w: [w.other_risk.pk],
        lambda w: {"closed_on": day(local_today()), "closing_note": "x"},
    ),
    "risks:action_add": (
        lambda w: [w.other_risk.pk],
        lambda w: {"description": "Hijacked", "owner": "x", "due_date": "01/01/2027", "status": "not_started"},
    ),
    "risks:action_edit": (
        lambda w: [w.other_risk_action.pk],
        lambda w: {"description": "Hijacked", "owner": "x", "due_date": "01/01/2027", "status": "complete"},
    ),
    "risks:action_delete": (lambda w: [w.other_risk_action.pk], lambda w: {}),
    "risks:no_significant_risk": (lambda w: [w.other_partnership.pk, "reputation"], lambda w: {"note": "Hijacked"}),
    "risks:no_significant_risk_withdraw": (lambda w: [w.other_no_significant_risk.pk], lambda w: {}),
}

EXPORTS = {
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
}


def _fresh_profile_state(partnership):
    """The partnership's derived profile state, made anew (its risks may have made one already)."""
    ProfileState.objects.filter(partnership=partnership).delete()
    return ProfileState.objects.create(partnership=partnership, assessed=2)


AUDIT = {
    # Derived from a partnership's open risks (risks.highest): written, changed and removed by their writes.
    "risks.HighestScore": Change(
        lambda w: HighestScore.objects.create(partnership=w.spare_partnership, score=6),
        "score",
        6,
        9,
        9,
        parent=lambda w: w.spare_partnership,
    ),
    # Derived from a partnership's risks and records (risks.profile_state), like the highest score.
    "risks.ProfileState": Change(
        lambda w: _fresh_profile_state(w.partnership),
        "assessed",
        2,
        3,
        3,
        parent=lambda w: w.partnership,
    ),
    # A risk is closed, never deleted: it stays in the history, its scores with it.
    "risks.Risk": Change(
        lambda w: Risk.objects.create(
            partnership=w.partnership,
            domain="finances",
            title="Limited resources to support the collaborative",
            description="Because no new resources are identified, the work may stall.",
            owner="Amelie Bages",
            inherent_likelihood=4,
            inherent_consequence=3,
            current_likelihood=3,
            current_consequence=3,
            target_likelihood=2,
            target_consequence=3,
            treatment="treat",
            review_date=datetime.date(2027, 3, 31),
        ),
        "current_likelihood",
        3,
        2,
        2,
        parent=lambda w: w.partnership,
        actions=("create", "update"),
    ),
    "risks.RiskAction": Change(
        lambda w: RiskAction.objects.create(
            risk=w.risk,
            description="Dedicated roles in each trust",
            owner="Anne Clarke",
            due_date=datetime.date(2027, 1, 31),
        ),
        "status",
        "Not started",
        "complete",
        "Complete",
        parent=lambda w: w.risk,
    ),
    # Recorded, then withdrawn (deleted) when a risk is raised in the domain: never edited.
    "risks.NoSignificantRisk": Change(
        lambda w: NoSignificantRisk.objects.create(
            partnership=w.partnership, domain="reputation", note="No public-facing service."
        ),
        "note",
        "No public-facing service.",
        None,
        None,
        parent=lambda w: w.partnership,
        actions=("create", "delete"),
    ),
    # One row, made by a migration; the administrator changes it, nobody deletes it.
    "risks.RiskMatrix": Change(
        lambda w: RiskMatrix.current(),
        "escalation_threshold",
        15,
        16,
        16,
        actions=("update",),
    ),
}


def risk_form_data(r, **changes):
    data = {
        f"{position}_{axis}": str(getattr(r, f"{position}_{axis}"))
        for position in ("inherent", "current", "target")
        for axis in ("likelihood", "consequence")
    }
    data |= {
        "domain": r.domain,
        "title": r.title,
        "description": r.description,
        "owner": r.owner,
        "existing_controls": r.existing_controls,
        "treatment": r.treatment,
        "review_date": day(r.review_date),
        "current_above_inherent_reason": r.current_above_inherent_reason,
    }
    return data | changes


def matrix_form_data(**changes):
    """The risk matrix page's fields as saved, with ``changes``."""
    matrix = RiskMatrix.current()
    data = {"escalation_threshold": str(matrix.escalation_threshold)}
    for kind in ("likelihood", "consequence"):
        for n, d in enumerate(getattr(matrix, kind), 1):
            data[f"{kind}_{n}_name"], data[f"{kind}_{n}_guidance"] = d["name"], d["guidance"]
    for n, band in enumerate(matrix.bands, 1):
        for key in ("name", "lowest", "highest", "colour"):
            data[f"band_{n}_{key}"] = str(band[key])
    return data | changes


FORMS = {
    # Risk profiles.
    "risk: no title, target above current": Form(
        "risks:add",
        lambda w: [w.partnership.pk],
        lambda w: risk_form_data(w.risk, title="", target_likelihood="4", target_consequence="4"),
        {
            "title": "Enter the risk, in a few words.",
            "target_likelihood": "cannot be higher than the current score (9)",
        },
        role="owner",
    ),
    "risk edit: current above inherent without a reason": Form(
        "risks:edit",
        lambda w: [w.risk.pk],
        lambda w: risk_form_data(w.risk, inherent_likelihood="2", inherent_consequence="2"),
        {"current_above_inherent_reason": "Say why the current score (9) is higher than the inherent score (4)"},
        role="delegate",
    ),
    "risk close: a future date, no reason": Form(
        "risks:close",
        lambda w: [w.risk.pk],
        lambda w: {"closed_on": day(local_today() + datetime.timedelta(days=3)), "closing_note": ""},
        {"closed_on": "The date closed cannot be in the future", "closing_note": "Say why the risk is being closed"},
    ),
    "risk action: nothing filled in": Form(
        "risks:action_add",
        lambda w: [w.risk.pk],
        lambda w: {"status": "not_started"},
        {
            "description": "Describe the action.",
            "owner": "Enter the name of the person who owns the action.",
            "due_date": "Enter the date the action is due",
        },
    ),
    "risk action edit: an NHS number, no status": Form(
        "risks:action_edit",
        lambda w: [w.risk_action.pk],
        lambda w: {"description": f"Call {NHS_NUMBER}", "owner": "Jo", "due_date": day(local_today()), "status": ""},
        {"description": NHS_NUMBER_SHOWN, "status": "Choose the status of the action"},
        role="owner",
    ),
    "no significant risk: an NHS number in the note": Form(
        "risks:no_significant_risk",
        lambda w: [w.partnership.pk, "reputation"],
        lambda w: {"note": f"Only {NHS_NUMBER} is affected"},
        {"note": NHS_NUMBER_SHOWN},
    ),
    "risk matrix: threshold off the matrix": Form(
        "risks:matrix",
        lambda w: [],
        lambda w: matrix_form_data(escalation_threshold="30"),
        {"escalation_threshold": "Enter the escalation threshold as a whole number from 1 to 25"},
        role="administrator",
    ),
}


def more_risks(w, n, current=(3, 3)):
    today = local_today()
    for i in range(n):
        Risk.objects.create(
            partnership=w.partnership,
            domain=RiskDomain.values[i % 6],
            title=f"Risk {Risk.objects.count()}",
            owner="Anne Clarke",
            inherent_likelihood=5,
            inherent_consequence=4,
            current_likelihood=current[0],
            current_consequence=current[1],
            target_likelihood=1,
            target_consequence=1,
            treatment="treat",
            review_date=today + datetime.timedelta(days=30),
            baf_theme=w.baf_theme,
        )


def more_actions(w, n):
    for i in range(n):
        RiskAction.objects.create(
            risk=w.risk, description=f"Action {i}", owner="Anne Clarke", due_date=local_today() + datetime.timedelta(i)
        )


QUERIES = {
    "risks:list": Growth(more_risks),
    "risks:escalated": Growth(lambda w, n: more_risks(w, n, current=(4, 4))),
    "risks:profile": Growth(more_risks, args=lambda w: [w.partnership.pk]),
    "risks:detail": Growth(more_actions, args=lambda w: [w.risk.pk]),
    "risks:history": Growth(edits(lambda w: w.risk, "owner", lambda i: f"Owner {i}"), args=lambda w: [w.risk.pk]),
    "risks:matrix_history": Growth(
        edits(lambda w: RiskMatrix.current(), "escalation_threshold", lambda i: 16 + i % 5), role="administrator"
    ),
}

# Two people on each edit page, one saving first (tests/test_stale_saves.py).
STALE = {
    "risk": Stale(
        "risks:edit",
        pk_of("risk"),
        theirs={"title": "Referrals wait more than 18 weeks"},
        yours={"owner": "Dr Amy Chen"},
        row=("Risk", "Referrals wait too long", "Referrals wait more than 18 weeks", None),
        their_fields={"title"},
        your_fields={"owner"},
    ),
    "closing a risk edited meanwhile": Stale(
        "risks:close",
        pk_of("risk"),
        their_page="risks:edit",
        theirs={"owner": "Dr Amy Chen"},
        yours={"closed_on": lambda w: day(local_today()), "closing_note": "The escalation protocol is embedded."},
        row=("Risk owner", "Anne Clarke", "Dr Amy Chen", "Not on this page"),
        their_fields={"owner"},
        your_fields={"status", "closed_on", "closing_note"},
    ),
    "risk action": Stale(
        "risks:action_edit",
        pk_of("risk_action"),
        theirs={"status": "complete"},
        yours={"owner": "Dr Amy Chen"},
        row=("Status", "Not started", "Complete", None),
        their_fields={"status"},
        your_fields={"owner"},
    ),
    "risk matrix": Stale(
        "risks:matrix",
        lambda w: [],
        theirs={"escalation_threshold": "16"},
        yours={"band_1_name": "Very low"},
        row=("Escalation threshold", "15", "16", None),
        their_fields={"escalation_threshold"},
        your_fields={"bands"},
        you="administrator",
        them="second_administrator",
        record=lambda w: RiskMatrix.current(),
    ),
}

# A saved record of each model with free text, for the model-level NHS-number guard
# (core/tests/test_rules.py).
RECORDS = {
    "risks.Risk": lambda w: w.risk,
    "risks.RiskAction": lambda w: w.risk_action,
    "risks.NoSignificantRisk": lambda w: w.no_significant_risk,
}
