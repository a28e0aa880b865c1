"""Core's rows of Accord's cross-cutting tests (``tests/rows.py`` says what each table is): the sign-in
pages, the audit log, the administration, the reference lists and the tier thresholds."""

from decimal import Decimal

from core.models import AuditEntry, BafRiskTheme, ServiceArea, StrategicObjective, TierThresholds
from tests.rows import (
    ADMIN,
    NOT_ALLOWED,
    OK,
    REDIRECT,
    SAVED,
    Change,
    Export,
    Form,
    Growth,
    Page,
    Stale,
    edits,
    everyone,
    only,
    pk_of,
)


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


PAGES = {
    # Django's sign-in pages and the home page's redirect: to "My work" for leads, the keepers and
    # partner contributors, to the register for everyone else.
    "home": Page(get=everyone(REDIRECT, contributor=REDIRECT), post=everyone(REDIRECT, contributor=REDIRECT)),
    "login": Page(
        get=everyone(REDIRECT, anonymous=OK, contributor=REDIRECT),
        post=everyone(REDIRECT, anonymous=OK, contributor=REDIRECT),
    ),
    "logout": Page(get=everyone(NOT_ALLOWED), post=everyone(REDIRECT, contributor=REDIRECT)),
    # The audit trail: read by auditors and administrators, written by nobody.
    # What needs the user's attention: the panel the register loads with htmx (the page itself is
    # the home page, where a browser without JavaScript is sent).
    "core:attention": Page(get=everyone(REDIRECT, contributor=REDIRECT), post=everyone(NOT_ALLOWED)),
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
}


def _audit_labels(**lookup):
    return sorted(AuditEntry.objects.filter(**lookup).values_list("object_label", flat=True))


ADMIN_ROWS = {
    "core:strategicobjective_list": ("Objective", ["1) Deliver outstanding care", "2) Be a great place to work"]),
    "core:bafrisktheme_list": ("BAF risk theme", ["Financial sustainability", "System working"]),
    "core:servicearea_list": ("Service area", ["Forensic services", "Learning disability services"]),
}

EXPORTS = {
    "core:audit_log": Export(
        key="Record",
        rows=lambda w, role: _audit_labels(),
        filter={"q": "P-0002"},
        filtered_rows=lambda w, role: _audit_labels(object_label__contains="P-0002"),
    ),
    **{
        name: Export(
            key=key, rows=lambda w, role, rows=rows: rows, filter={}, filtered_rows=lambda w, role, rows=rows: rows
        )
        for name, (key, rows) in ADMIN_ROWS.items()
    },
}

AUDIT = {
    "core.StrategicObjective": Change(
        lambda w: StrategicObjective.objects.create(
            number=3, name="Improve population health", description="Prevention"
        ),
        "description",
        "Prevention",
        "Prevention first",
        "Prevention first",
    ),
    "core.BafRiskTheme": Change(
        lambda w: BafRiskTheme.objects.create(name="Workforce", strategic_objective=w.objective2),
        "strategic_objective",
        "2) Be a great place to work",
        None,
        None,
    ),
    "core.ServiceArea": Change(
        lambda w: ServiceArea.objects.create(name="Community services"),
        "name",
        "Community services",
        "Community health services",
        "Community health services",
    ),
    # One row, holding the defaults until an administrator saves it: remove it to save it anew.
    "core.TierThresholds": Change(
        lambda w: TierThresholds.objects.create(pk=1),
        "tier2_min_value",
        "100000",
        Decimal("150000.00"),
        "150000",
        prepare=lambda w: TierThresholds.objects.all().delete(),
    ),
}

FORMS = {
    "strategic objective: nothing filled in": Form(
        "core:strategicobjective_add",
        lambda w: [],
        lambda w: {"number": "", "name": " "},
        {"number": "Enter the objective's number, as in board papers.", "name": "Enter a name."},
        role="administrator",
    ),
    "strategic objective edit: a number already used": Form(
        "core:strategicobjective_edit",
        lambda w: [w.objective2.pk],
        lambda w: {"number": "1", "name": w.objective2.name, "is_active": "on"},
        {"number": "Number 1 is already used by “Deliver outstanding care”."},
        role="administrator",
    ),
    "BAF risk theme: a name already on the list": Form(
        "core:bafrisktheme_add",
        lambda w: [],
        lambda w: {"name": "SYSTEM WORKING", "is_active": "on"},
        {"name": "“SYSTEM WORKING” is already on this list."},
        role="administrator",
    ),
    "BAF risk theme edit: name removed": Form(
        "core:bafrisktheme_edit",
        lambda w: [w.baf_theme.pk],
        lambda w: {"name": "", "is_active": "on"},
        {"name": "Enter a name."},
        role="administrator",
    ),
    "service area: nothing filled in": Form(
        "core:servicearea_add",
        lambda w: [],
        lambda w: {"name": ""},
        {"name": "Enter a name."},
        role="administrator",
    ),
    "service area edit: a name already on the list": Form(
        "core:servicearea_edit",
        lambda w: [w.spare_area.pk],
        lambda w: {"name": "forensic SERVICES", "is_active": "on"},
        {"name": "“forensic SERVICES” is already on this list."},
        role="administrator",
    ),
    "tier thresholds: not amounts": Form(
        "core:tierthresholds_edit",
        lambda w: [],
        lambda w: {"tier1_min_value": "a million", "tier2_min_value": ""},
        {
            "tier1_min_value": "Enter the Tier 1 threshold as an amount in pounds",
            "tier2_min_value": "Enter the Tier 2 threshold in pounds.",
        },
        role="administrator",
    ),
}


more_audit_entries = edits(lambda w: w.spare_org, "notes", lambda i: f"Checked {i} times.")


def more_objectives(w, n):
    start = StrategicObjective.objects.count() + 10
    for i in range(start, start + n):
        StrategicObjective.objects.create(number=i, name=f"Objective {i}")


def more_themes(w, n):
    start = BafRiskTheme.objects.count()
    for i in range(start, start + n):
        BafRiskTheme.objects.create(name=f"Theme {i}", strategic_objective=w.objective)


def more_areas(w, n):
    start = ServiceArea.objects.count()
    for i in range(start, start + n):
        ServiceArea.objects.create(name=f"Service area {i}")


def _admin(growth, **kwargs):
    return Growth(growth, role="administrator", **kwargs)


QUERIES = {
    "core:audit_log": Growth(more_audit_entries, role="auditor", params={"q": "Oxfordshire Carers Forum"}),
    "core:strategicobjective_list": _admin(more_objectives),
    "core:bafrisktheme_list": _admin(more_themes),
    "core:servicearea_list": _admin(more_areas),
    "core:strategicobjective_history": _admin(
        edits(lambda w: w.objective, "description", lambda i: f"Version {i}"), args=lambda w: [w.objective.pk]
    ),
    "core:bafrisktheme_history": _admin(
        edits(lambda w: w.baf_theme, "name", lambda i: f"System working {i}"), args=lambda w: [w.baf_theme.pk]
    ),
    "core:servicearea_history": _admin(
        edits(lambda w: w.service_area, "name", lambda i: f"Forensic services {i}"), args=lambda w: [w.service_area.pk]
    ),
    "core:tierthresholds_history": _admin(
        edits(lambda w: TierThresholds.current(), "tier2_min_value", lambda i: Decimal(100000 + i))
    ),
}

# Two people on each edit page, one saving first (tests/test_stale_saves.py).
STALE = {
    "strategic objective": Stale(
        "core:strategicobjective_edit",
        pk_of("objective"),
        theirs={"name": "Deliver outstanding, safe care"},
        yours={"description": "Quality priorities of the annual plan."},
        row=("Name", "Deliver outstanding care", "Deliver outstanding, safe care", None),
        their_fields={"name"},
        your_fields={"description"},
        you="administrator",
        them="second_administrator",
    ),
    "BAF risk theme": Stale(
        "core:bafrisktheme_edit",
        pk_of("baf_theme"),
        theirs={"name": "System working and collaboration"},
        yours={"strategic_objective": lambda w: str(w.objective2.pk)},
        row=("Name", "System working", "System working and collaboration", None),
        their_fields={"name"},
        your_fields={"strategic_objective"},
        you="administrator",
        them="second_administrator",
    ),
    "service area": Stale(
        "core:servicearea_edit",
        pk_of("service_area"),
        theirs={"name": "Forensic and secure services"},
        yours={"is_active": None},
        row=("Name", "Forensic services", "Forensic and secure services", None),
        their_fields={"name"},
        your_fields={"is_active"},
        you="administrator",
        them="second_administrator",
    ),
    "tier thresholds": Stale(
        "core:tierthresholds_edit",
        lambda w: [],
        theirs={"tier2_min_value": "150,000"},
        yours={"tier1_min_value": "2,000,000"},
        row=("Tier 2 from (£ a year)", "£100,000", "£150,000", None),
        their_fields={"tier2_min_value"},
        your_fields={"tier1_min_value"},
        you="administrator",
        them="second_administrator",
        record=lambda w: TierThresholds.current(),
    ),
}

# A saved record of each model with free text, for the model-level NHS-number guard
# (core/tests/test_rules.py).
RECORDS = {
    "core.StrategicObjective": lambda w: w.objective,
    "core.BafRiskTheme": lambda w: w.baf_theme,
    "core.ServiceArea": lambda w: w.service_area,
}
