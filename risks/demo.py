"""The demo risk profiles: what the seed papers say the demo partnerships risk, told through
``risks.services`` so that every write validates and lands in the audit trail.

Sources (``../shared/seeds/``):

* "Partnerships report: update on BOB Mental Health Provider Collaborative" (Board of Directors,
  19 July 2023, "Opportunities, risks and next steps"): the three "current high-level risks to the
  successful implementation of this work" on P-0010 (limited resources, the BOB Mental Health
  Partnership governance not yet fully embedded and effective, the complexity of formalising
  arrangements with a large range of partners), in the paper's words, each with the paper's
  mitigation as a further action and what the paper says is already in place as its controls;
  the next steps for 2023/24 as further actions.
* "Trust partnerships update report" (spring 2019): the six domains a partnership risk profile is
  framed around, and what it says of each partnership: OMHP's campaign against the funding cuts
  (the £1m cut the County Council withdrew, closed here, and the £600k cuts in social care, still
  open), its new process for reporting safeguarding, incidents and serious complaints, the IG
  documents of third sector partners not yet agreed; TalkingSpace Plus's PML counsellors being
  registered with UKCP or accredited with BACP; the Carer Alliance still agreeing its governance,
  voting and how risk will be managed; recruitment "difficult for OHFT" on the respiratory pilot.
* The forensic network's escalated risk (demand for secure beds above the network's capacity) is
  a demo risk drawn from the BOB paper's "increasing demand, rising unmet need" and its "out of
  area placements": the 2019 report names no risk of the network.

What the papers leave blank is filled with demo values, never passed off as fact: the event and
effect of the risks other than BOB's (written cause, event and effect, the cause in the report's
words), every likelihood and consequence, treatment, owner (the partnership's lead or, for the BOB
collaborative, the paper's author), the "no significant risk" assessments and their notes, and
every date. **Dates are relative to the day the seed runs** (in Europe/London): reviews fall
weeks or months after it, one review on the Carer Alliance three weeks before it, so that the
demo shows each profile status whenever it is seeded. The profiles this gives (Tier 1 unless
said): P-0002 OMHP *complete* (six domains assessed, one risk closed); P-0007 Carer Alliance
*review overdue*; P-0010 BOB, P-0001 forensic network and P-0004 TalkingSpace Plus *incomplete*,
the forensic network holding the *escalated* risk (current score 16, mapped to the BAF theme
"Demand and Capacity (Mental Health inpatient and Learning Disabilities)"), saved twice so that
its page shows its score over time; P-0009 respiratory project (Tier 3) *not required*.

:func:`seed` adds only what is missing, keyed on the partnership reference and the risk title (and
the domain, for "no significant risk"), so a second run writes nothing (no rows, no audit
entries) and edits made in the app survive. A partnership that is not on the register is skipped.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from core.audit import audit_context
from core.dates import local_today
from core.demo import Seeded, counted
from partnerships import demo as register
from partnerships.models import Partnership
from risks.models import ActionStatus, NoSignificantRisk, Risk, RiskAction, RiskDomain, Treatment
from risks.services import close_risk, no_significant_risk_refusal, record_no_significant_risk, save_risk

D = RiskDomain
DAY = datetime.timedelta(days=1)
OVERDUE_BY_DAYS = 21  # the Carer Alliance's review: three weeks before the day the seed runs


@dataclass(frozen=True)
class Action:
    description: str
    owner: str
    due_in_days: int
    status: str = ActionStatus.NOT_STARTED


@dataclass(frozen=True)
class DemoRisk:
    reference: str
    domain: str
    title: str
    description: str
    owner: str
    inherent: tuple  # (likelihood, consequence)
    current: tuple
    target: tuple
    review_in_days: int  # negative: the review is overdue
    controls: str = ""
    treatment: str = Treatment.TREAT
    baf_theme: str = ""
    actions: tuple = ()
    first_current: tuple | None = None  # scored here first, then re-scored to ``current``
    closing_note: str = ""  # closed on the day the seed runs, with this note


@dataclass(frozen=True)
class NoRisk:
    reference: str
    domain: str
    note: str


@dataclass(frozen=True)
class Added:
    risks: int = 0
    assessments: int = 0

    def __bool__(self):
        return bool(self.risks or self.assessments)


# -- BOB Mental Health Provider Collaborative (P-0010): the paper's three risks --------------------

BOB = "P-0010"
BOB_OWNER = "Amelie Bages, Executive Director of Strategy and Partnerships"
BOB_SOURCE = (
    " (Partnerships report to the Board of Directors, 19 July 2023: a current high-level risk to the "
    "successful implementation of this work.)"
)

BOB_RESOURCES = "Limited resources to support this work"
BOB_GOVERNANCE = "BOB Mental Health Partnership governance not yet fully embedded and effective"
BOB_COMPLEXITY = "Complexity of formalising provider collaborative arrangements with a large range of partners"

BOB_RISKS = [
    DemoRisk(
        BOB,
        D.STAFF_WELLBEING,
        BOB_RESOURCES,
        "There are currently limited resources to support this work with no new resources currently identified "
        "beyond dedicated roles in each trust." + BOB_SOURCE,
        BOB_OWNER,
        inherent=(4, 3),
        current=(4, 3),
        target=(2, 3),
        review_in_days=75,
        controls="Dedicated roles in each trust.",
        baf_theme=register.BAF_PARTNERS,
        actions=(
            Action(
                "Work is underway with BOB ICB as part of the Provider Collaborative Design group to identify "
                "opportunities to resource this work.",
                BOB_OWNER,
                90,
                ActionStatus.IN_PROGRESS,
            ),
        ),
    ),
    DemoRisk(
        BOB,
        D.REPUTATION,
        BOB_GOVERNANCE,
        "The BOB Mental Health Partnership governance has now been established but more work will be required for "
        "it to become fully embedded and effective." + BOB_SOURCE,
        BOB_OWNER,
        inherent=(3, 4),
        current=(3, 3),
        target=(2, 3),
        review_in_days=75,
        controls="The BOB Mental Health Partnership governance has been established and is identified in the BOB "
        "Joint Forward Plan as the governance route for the oversight of the Mental Health Programme of work in "
        "the ICB. The Mental Health Provider Collaborative Design Group is currently the main governance "
        "mechanism for the Provider Collaborative.",
        baf_theme=register.BAF_GOVERNANCE,
        actions=(
            Action(
                "Workstreams are being developed as part of the Provider Collaborative Design Group to ensure that "
                "clear executive and senior leadership is identified to set up and enable key areas of work such as "
                "clinical governance, population health management and plans to improve health equalities, "
                "co-production and engagement, performance and financial management.",
                BOB_OWNER,
                120,
                ActionStatus.IN_PROGRESS,
            ),
            Action(
                "Strengthen the BOB Mental Health Partnership governance to improve transparency, joint working and "
                "effective decision-making as part of the 2024/25 planning round and ongoing ICS Strategy "
                "development work for Mental Health.",
                BOB_OWNER,
                180,
            ),
        ),
    ),
    DemoRisk(
        BOB,
        D.REPUTATION,
        BOB_COMPLEXITY,
        "The large range of partners involved in this work adds to the complexity of formalising provider "
        "collaborative arrangements." + BOB_SOURCE,
        BOB_OWNER,
        inherent=(4, 3),
        current=(3, 3),
        target=(2, 2),
        review_in_days=75,
        controls="The membership of the NHS Innovator schemes (selected in February 2023 as one of the nine "
        "collaboratives of NHS England's Provider Collaborative Innovators scheme) enables the Provider "
        "Collaborative to access national expertise and peer-support to develop future arrangements.",
        baf_theme=register.BAF_PARTNERS,
        actions=(
            Action(
                "Design and formalise arrangements for the future ways of working of the Provider Collaborative. "
                "Ensure that clinical leadership and co-production are central to future structures.",
                BOB_OWNER,
                180,
            ),
        ),
    ),
]

# -- Oxfordshire Mental Health Partnership (P-0002): a complete profile -----------------------------

OMHP = "P-0002"
OMHP_OWNER = "Anne Clarke, Partnership Manager – Oxfordshire Mental Health Partnership"
OMHP_CLOSED = "Proposed £1m cut to the County Council's contribution to the outcomes-based contract"

OMHP_RISKS = [
    DemoRisk(
        OMHP,
        D.FINANCES,
        OMHP_CLOSED,
        "Because of the £1.6 million funding cuts proposed to the Oxfordshire outcomes-based contract for mental "
        "health, there is a risk that Oxfordshire County Council cuts £1m from its contract contribution, which "
        "would reduce the services the partners can provide.",
        OMHP_OWNER,
        inherent=(4, 4),
        current=(3, 4),
        target=(2, 4),
        review_in_days=30,
        controls="Joint campaigning by the partnership.",
        closing_note="Oxfordshire County Council withdrew its proposals to cut £1m from its contract contribution. "
        "This was achieved through joint campaigning by the partnership and could not have been achieved by one "
        "partner alone (Trust partnerships update report, 2019).",
    ),
    DemoRisk(
        OMHP,
        D.FINANCES,
        "£600k cuts in social care",
        "Because of the £600k cuts in social care, there is a risk that the social care support OMHP's clients rely "
        "on is reduced, which would increase the pressure on the partnership's services.",
        OMHP_OWNER,
        inherent=(4, 3),
        current=(3, 3),
        target=(2, 3),
        review_in_days=60,
        controls="OMHP remains committed to supporting OHFT with campaigning against the £600k cuts in social care. "
        "Non-recurrent funding of £1 million allocated by the CCG to OMHP.",
        treatment=Treatment.TOLERATE,
    ),
    DemoRisk(
        OMHP,
        D.PATIENT_SAFETY,
        "Learning from safeguarding, incidents and serious complaints not shared across the partnership",
        "Because safeguarding, incidents and serious complaints were not reported into the partnership, there is a "
        "risk that learning is not disseminated between partners, which would let the same harm happen again in "
        "another partner's service.",
        OMHP_OWNER,
        inherent=(3, 4),
        current=(2, 4),
        target=(2, 3),
        review_in_days=90,
        controls="The more robust process decided by OMHP senior managers over late 2018: regular reports to senior "
        "managers and the Partnership Management Group; improved links to OHFT's clinical leadership meetings; "
        "collating learning from Oxford Health incidents; improving contract monitoring reporting structures for "
        "partners.",
        actions=(
            Action(
                "Carry out the second round of peer-to-peer reviews using the new, simplified format.",
                OMHP_OWNER,
                45,
                ActionStatus.IN_PROGRESS,
            ),
        ),
    ),
    DemoRisk(
        OMHP,
        D.INFORMATION_GOVERNANCE,
        "Information governance documents required of third sector partners not yet agreed",
        "Because it is not yet clear which information governance documents are required/essential for different "
        "types of partnerships, there is a risk that personal data is shared with third sector partners without "
        "the documents that should govern it, which would breach data protection law.",
        OMHP_OWNER,
        inherent=(3, 4),
        current=(3, 3),
        target=(1, 3),
        review_in_days=120,
        controls="All of the Trust's third sector partners completed a governance self-assessment questionnaire over "
        "2018, including their information governance documents.",
        actions=(
            Action(
                "The Oxfordshire Mental Health Partnership Manager to meet the Trust's Head of Information Governance "
                "to agree what documents are required for the varying forms of partnership; then send any "
                "outstanding documents to third sector partners to complete.",
                OMHP_OWNER,
                60,
                ActionStatus.IN_PROGRESS,
            ),
        ),
    ),
]

OMHP_NO_RISK = [
    NoRisk(OMHP, D.STAFF_WELLBEING, "Demo assessment: partners' staff stay with their employers; no joint teams."),
    NoRisk(OMHP, D.SYSTEMS, "Demo assessment: each partner keeps its own systems; reports are exchanged monthly."),
    NoRisk(
        OMHP,
        D.REPUTATION,
        "Demo assessment: the partnership's joint campaigning has strengthened its standing with commissioners.",
    ),
]

# -- Thames Valley and Wessex Forensic Network (P-0001): the escalated risk ----------------------

FORENSIC = "P-0001"
FORENSIC_OWNER = "David Okoro, Clinical Director, Forensic Services"
FORENSIC_ESCALATED = "Demand for secure inpatient beds above the network's capacity"

FORENSIC_RISKS = [
    DemoRisk(
        FORENSIC,
        D.PATIENT_SAFETY,
        FORENSIC_ESCALATED,
        "Demo risk. Because demand for secure and specialised forensic mental health beds across the Thames Valley "
        "and Wessex is increasing, there is a risk that patients wait for admission or are placed out of area, "
        "which would delay their treatment and move them away from their families.",
        FORENSIC_OWNER,
        inherent=(4, 4),
        first_current=(3, 4),  # first scored at 12 (High), then re-scored at 16 when demand rose
        current=(4, 4),
        target=(2, 4),
        review_in_days=30,
        controls="Daily bed management across the six trusts of the network; NHS England commissioning oversight.",
        baf_theme=register.BAF_MH_DEMAND,
        actions=(
            Action(
                "Agree with NHS England and the member trusts a network-wide plan to bring out of area placements "
                "back within the network.",
                FORENSIC_OWNER,
                60,
                ActionStatus.IN_PROGRESS,
            ),
        ),
    ),
    DemoRisk(
        FORENSIC,
        D.FINANCES,
        "Lead provider carries the financial risk of the network's contract",
        "Demo risk. Because Oxford Health is lead provider of a collaboration with a contractual value of £65m, "
        "there is a risk that costs above the contract fall on the Trust, which would put pressure on its "
        "financial sustainability.",
        FORENSIC_OWNER,
        inherent=(3, 4),
        current=(2, 4),
        target=(2, 3),
        review_in_days=90,
        controls="Risk share agreed between the member trusts; monthly finance reports to the network board.",
        baf_theme="Financial Sustainability",
    ),
]

# -- The other profiles: review overdue, incomplete, not required ---------------------------------

CARER_ALLIANCE = "P-0007"
TSP = "P-0004"
RESPIRATORY = "P-0009"

OTHER_RISKS = [
    DemoRisk(
        CARER_ALLIANCE,
        D.REPUTATION,
        "Governance structures, voting arrangements and risk management not yet agreed",
        "Because the partnership of four federations and OHFT is still simplifying its governance structures, "
        "agreeing voting arrangements and how risk will be managed within the partnership, there is a risk that "
        "decisions are delayed or challenged, which would harm the partners' confidence in the alliance.",
        "Gareth Lewis, Head of Community Services Partnerships",
        inherent=(3, 3),
        current=(3, 3),
        target=(2, 2),
        review_in_days=-OVERDUE_BY_DAYS,
        baf_theme=register.BAF_GOVERNANCE,
    ),
    DemoRisk(
        TSP,
        D.PATIENT_SAFETY,
        "PML counsellors not yet all registered with UKCP or accredited with BACP",
        "Because not all PML counsellors are yet registered with UKCP or accredited with BACP, as the NHS National "
        "Collaborating Centre for Mental Health's IAPT Manual requires, there is a risk that therapy is delivered "
        "by counsellors outside those requirements, which would put the quality of care and the contract at risk.",
        "Tom Hughes, Head of Psychological Therapies (TalkingSpace Plus)",
        inherent=(3, 3),
        current=(2, 3),
        target=(1, 3),
        review_in_days=45,
        actions=(
            Action(
                "Ensure all PML counsellors are registered with UKCP or accredited with BACP.",
                "Tom Hughes",
                60,
                ActionStatus.IN_PROGRESS,
            ),
        ),
    ),
    DemoRisk(
        RESPIRATORY,
        D.STAFF_WELLBEING,
        "Recruitment to the respiratory pilot difficult for OHFT",
        "Because recruitment has been difficult for OHFT, there is a risk that the pilots in the North and City "
        "localities run short of staff, which would limit how many people with respiratory problems they help to "
        "stay out of hospital.",
        "Gareth Lewis, Head of Community Services Partnerships",
        inherent=(3, 3),
        current=(3, 3),
        target=(2, 3),
        review_in_days=60,
        baf_theme="Recruitment",
    ),
]

RISKS = BOB_RISKS + OMHP_RISKS + FORENSIC_RISKS + OTHER_RISKS
NO_SIGNIFICANT_RISKS = OMHP_NO_RISK


# -- Seeding ------------------------------------------------------------------------------------


def seed():
    """Add the demo risks and "no significant risk" records that are missing (audited as source
    "seed"); return how many of each were added."""
    with audit_context(source="seed"), transaction.atomic():
        today = local_today()
        _, themes, _ = register.seed_reference_lists()
        partnerships = {p.reference: p for p in Partnership.objects.filter(reference__in={r.reference for r in RISKS})}
        risks = sum(_seed_risk(demo, partnerships, themes, today) for demo in RISKS)
        assessments = sum(_seed_no_risk(demo, today) for demo in NO_SIGNIFICANT_RISKS)
    return Added(risks, assessments)


def _seed_risk(demo, partnerships, themes, today):
    partnership = partnerships.get(demo.reference)
    if partnership is None or partnership.risks.filter(title=demo.title).exists():
        return 0
    first = demo.first_current or demo.current
    risk = Risk(
        partnership=partnership,
        domain=demo.domain,
        title=demo.title,
        description=demo.description,
        owner=demo.owner,
        existing_controls=demo.controls,
        inherent_likelihood=demo.inherent[0],
        inherent_consequence=demo.inherent[1],
        current_likelihood=first[0],
        current_consequence=first[1],
        target_likelihood=demo.target[0],
        target_consequence=demo.target[1],
        treatment=demo.treatment,
        review_date=today + demo.review_in_days * DAY,
        baf_theme=themes[demo.baf_theme] if demo.baf_theme else None,
    )
    save_risk(risk)
    if demo.first_current is not None:  # a second score, so the risk's page shows its score over time
        risk.current_likelihood, risk.current_consequence = demo.current
        save_risk(risk)
    for action in demo.actions:
        made = RiskAction(
            risk=risk,
            description=action.description,
            owner=action.owner,
            due_date=today + action.due_in_days * DAY,
            status=action.status,
        )
        made.full_clean()
        made.save()
    if demo.closing_note:
        close_risk(risk, today, demo.closing_note)
    return 1


def _seed_no_risk(demo, today):
    partnership = Partnership.objects.filter(reference=demo.reference).first()
    if partnership is None or no_significant_risk_refusal(partnership, demo.domain) is not None:
        return 0
    record = NoSignificantRisk(partnership=partnership, domain=demo.domain, note=demo.note)
    record_no_significant_risk(record, user=partnership.lead, on=today)
    return 1


def demo_step():
    """``seed_demo``'s risk profiles step."""
    added = seed()
    return Seeded(added=counted(added.risks, "risk") | counted(added.assessments, "“no significant risk” record"))
