"""The demo agreements: the two memoranda of understanding among the seed papers, told through
``agreements.services`` so that their history reads as it happened.

Sources (``../shared/seeds/``):

* "Provider Collaborative for Integrated Care" (cover paper, Oxford Health Board of Directors,
  30 March 2022): the Oxford Health – OUH memorandum of understanding. Drafted from January 2022;
  both Boards asked for feedback in March 2022; to be signed by the two Chief Executives over
  April 2022; not legally binding except for confidentiality and data protection; early
  priorities urgent care and end of life care. It sits on the register's existing partnership
  P-0011 (``partnerships.demo``).
* "Integrated Commissioning Draft Memorandum of Understanding" (Doncaster CCG and Doncaster
  Borough Council, 2017): parties and addresses, purpose (2.1.1), no legal status (2.1.5),
  commencement on signature by both parties and term to 31 March 2018 (16.1), the JCCC meeting at
  least monthly (5.5), six areas of opportunity (5.2), indicators of success used annually (6.1),
  Appendix B's key milestones, and its replacement by a Joint Commissioning Agreement from
  1 April 2018 (2.1.5). Doncaster is not an Oxford Health partnership: it is added to the demo
  register as a clearly labelled worked example (reference EX-0001, outside the P- series).

What the papers leave blank is filled with values marked as demo values, never passed off as
fact: the OUH Chief Executive's name (the paper does not give it), the day of the OUH Board in
March 2022 (recorded as 31 March, the register's end-of-month convention), the day each Chief
Executive signed (1 April 2022, the partnership's start date on the register), the Council's
signatory and both signature dates of the undated Doncaster draft (10 November 2017, the date
Appendix B set for the MoU), and the signatures of the section 75 agreement, which is not among
the papers (only its start, 1 April 2018, is).

:func:`seed` adds only what is missing, keyed on the partnership reference and the agreement
title, so a second run writes nothing (no rows, no audit entries) and edits made in the app survive.
"""

import datetime

from django.db import transaction

from accounts.models import User
from agreements import services
from agreements.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Commencement,
    Consultation,
    Indicator,
    LegallyBinding,
    Milestone,
    MilestoneStatus,
    ScopeItem,
)
from core.audit import audit_context
from core.demo import Seeded, counted
from organisations.models import OrganisationKind
from partnerships import demo as register
from partnerships.models import ArrangementType, PartnerRole, PartnerRoleKind, Partnership, Status

# -- Oxford Health – OUH provider collaborative MoU (P-0011) ------------------------------------

PROVIDER_COLLABORATIVE = "P-0011"
OH_OUH_TITLE = "Memorandum of understanding: provider collaborative for integrated care"
OUH_SIGNATORY = "OUH Chief Executive (demo name: not named in the paper)"
OH_OUH_SIGNED = register.OH_OUH_MOU_SIGNED  # "signed ... by the Chief Executives over April 2022"

OH_OUH_PURPOSE = (
    "To develop a practical platform for collaboration and integrated care, in particular to remove "
    "day-to-day barriers (such as workforce collaboration, use of estates, sharing data) that prevent the "
    "two organisations from working together more effectively to provide high-quality, person-centred care "
    "for patients and getting the best value from shared resources."
)
OH_OUH_GOVERNANCE = (
    "The Trusts continue to operate within their current governance frameworks. Governance of the "
    "collaboration will evolve as required; both Boards are kept informed of and engaged with any "
    "governance changes relating to the MoU, and receive updates on its progress later in 2022."
)
OH_OUH_CONSULTATIONS = [
    (
        "Oxford Health NHS FT Board of Directors",
        datetime.date(2022, 3, 30),
        "Asked to provide any feedback on the draft MoU (drafted from January 2022, after the meeting of "
        "the two Trust Boards in December 2021) so that it can be finalised and signed on behalf of the "
        "Trust by the Chief Executive over April 2022.",
    ),
    (
        "Oxford University Hospitals NHS FT Board of Directors",
        datetime.date(2022, 3, 31),
        "The March 2022 Board of Directors meeting (the paper gives the month, not the day: recorded on "
        "31 March 2022 for the demo), asked for feedback on the same draft before signature by the Chief "
        "Executive in April 2022.",
    ),
]
OH_OUH_SCOPE = [
    ("Urgent care", "Early priority for collaboration named in the MoU."),
    ("End of life care", "Early priority for collaboration named in the MoU."),
]

# -- Doncaster integrated commissioning MoU, and the section 75 agreement that replaced it -------

DONCASTER = "EX-0001"
DONCASTER_TITLE = "Doncaster integrated commissioning (example agreement)"
CCG_NAME = "NHS Doncaster Clinical Commissioning Group"
COUNCIL_NAME = "Doncaster Borough Council"
CCG_ADDRESS = "Sovereign House, Heavens Walk, Doncaster, DN4 5HZ"
COUNCIL_ADDRESS = "Civic Office, Waterdale, Doncaster, South Yorkshire, DN1 3BU"
COUNCIL_SIGNATORY = ("Council signatory (demo name: blank in the draft)", "Not given in the draft")
CCG_SIGNATORY = ("Jackie Pederson", "Accountable Officer")
MOU_SIGNED = datetime.date(2017, 11, 10)  # the draft is undated: Appendix B's date for the MoU
S75_SIGNED = datetime.date(2018, 3, 29)  # demo value: the section 75 agreement is not among the papers
S75_STARTS = datetime.date(2018, 4, 1)

DONCASTER_ORGANISATIONS = [
    register.Org(
        CCG_NAME,
        OrganisationKind.ICB,
        "02X",
        notes="Party to the Doncaster integrated commissioning MoU (worked example). Its functions passed "
        "to the South Yorkshire Integrated Care Board on 1 July 2022.",
        closed_on=datetime.date(2022, 7, 1),
    ),
    register.Org(
        COUNCIL_NAME,
        OrganisationKind.LOCAL_AUTHORITY,
        notes="Party to the Doncaster integrated commissioning MoU (worked example).",
    ),
]

DONCASTER_PURPOSE = (
    "Worked example, not an Oxford Health partnership: how NHS Doncaster CCG and Doncaster Borough Council "
    "moved to integrated commissioning, from a “light touch” memorandum of understanding (2017) to a "
    "section 75 Joint Commissioning Agreement from 1 April 2018."
)
DONCASTER_NOTES = (
    "Example agreement from the draft Doncaster integrated commissioning MoU, kept in the demo register to "
    "show an MoU with its areas of opportunity, indicators and milestones, and its replacement. The draft "
    "leaves the signature dates and the Council's signatory blank: the demo records both signatures on "
    "10 November 2017 (the date Appendix B set for the MoU) and a placeholder name for the Council. The "
    "section 75 agreement is not among the papers: only its start, 1 April 2018, comes from the MoU; its "
    "signatures (29 March 2018) are demo values."
)

MOU_TITLE = "Integrated Commissioning Memorandum of Understanding"
MOU_PURPOSE = (
    "To set out how the CCG and the Council will work together to develop and jointly commission an "
    "ambitious programme of service transformation. The overarching strategic aim is to create an "
    "integrated health and social care system for our population which will be sustainable in the long term."
)
MOU_GOVERNANCE = (
    "Accountability during the shadow period remains with both parties and is discharged through their "
    "Accountable Officers through the Joint Commissioning Co-ordinators Committee (JCCC), which will convene "
    "at least once a month. The JCCC oversees the transformational programme, co-ordinates the work streams, "
    "holds the working groups to account and approves the delivery of key components of each work stream. "
    "Changes to governance and delegated decision making need the approval of both the CCG Governing Body "
    "and the Council Cabinet."
)
MOU_SCOPE = [
    (
        "Dermatology",
        "Reducing secondary care demand and moving activity into community settings where it is safe to do so.",
    ),
    (
        "Urgent and emergency care",
        "Connecting all urgent and emergency care together to improve access, outcomes and reduce costs.",
    ),
    (
        "Intermediate care",
        "A simpler and more responsive intermediate care system. More people will be supported to stay at "
        "home preventing unnecessary hospital admissions and attendance at A & E. Patients will be better "
        "supported to get back home as soon as possible from hospital admission. There will be fewer teams "
        "and less hand-offs along the way.",
    ),
    (
        "Complex lives",
        "Focused on people with complex multiple needs, who are homeless, rough sleeping, misusing drugs and "
        "alcohol and experiencing mental health problems. Integrated investment and delivery with an "
        "increasing focus on prevention.",
    ),
    (
        "Starting well (1001 days)",
        "This will ensure all children across Doncaster have the opportunity for a good start in life from "
        "conception to age 2. This is about developing support so that our children have the best possible "
        "opportunity to thrive. It is about offering appropriate support to families and children at the "
        "right time.",
    ),
    (
        "Vulnerable adolescents",
        "Focused on preventative local work to enable vulnerable young people to avoid crisis and level 4 "
        "interventions.",
    ),
]
MOU_INDICATORS = [
    "An increase in positive joint projects and “good news” stories which would demonstrate a better "
    "understanding between partners",
    "Increased participation of organisations involved in decision-making",
    "An increase in the numbers of organisations delivering or being major partners in achieving the "
    "outputs and outcomes of the Place Plan",
    "A greater awareness and understanding amongst partners to the potential development opportunities",
    "A recognised contribution to achieving the outputs and outcomes of the Place Plan",
    "Work together to establish, define and agree a common outcome framework on how we shall measure our "
    "strategic outcomes",
]
MOU_MILESTONES = [
    # Appendix B, Work Programme Key Milestones. All three were met: the MoU was signed (in the demo,
    # on 10 November 2017) and the section 75 agreement came into force on 1 April 2018.
    (
        "A MoU agreement between the CCG and the Council: the framework within which we will develop an "
        "integrated commissioning system",
        datetime.date(2017, 11, 10),
        MilestoneStatus.COMPLETE,
    ),
    (
        "“Boiler plate” terms and conditions agreed as part of a Section 75 Agreement, which will form the "
        "basis of the Commissioner Agreement",
        datetime.date(2018, 1, 31),
        MilestoneStatus.COMPLETE,
    ),
    (
        "A formal Joint Commissioner Agreement setting out how we operate as Joint Commissioners",
        datetime.date(2018, 4, 1),
        MilestoneStatus.COMPLETE,
    ),
]

S75_TITLE = "Joint Commissioning Agreement (section 75)"
S75_PURPOSE = (
    "Replaces the integrated commissioning MoU from 1 April 2018, setting out the scope of jointly "
    "commissioned services, agreed principles, governance arrangements, financial agreements and approach "
    "to risk for both parties (MoU, clause 2.1.5)."
)
S75_GOVERNANCE = (
    "Decision making and governance based on the CCG's delegated authority and the Council's Constitution, "
    "with the membership of the JCCC reviewed in line with existing accountability arrangements "
    "(MoU, clauses 10.3 and 10.4)."
)


# -- Seeding ------------------------------------------------------------------------------------


def seed():
    """Add the demo agreements that are missing (audited as source "seed"); return how many were added."""
    with audit_context(source="seed"), transaction.atomic():
        return _seed_provider_collaborative_mou() + _seed_doncaster()


def _create(model, **fields):
    obj = model(**fields)
    obj.full_clean()
    obj.save()
    return obj


def _organisation(name):
    return register._seed_organisation(next(org for org in register.ORGANISATIONS if org.name == name))


def _draft(partnership, parties, **fields):
    """A new draft agreement with its parties (organisation, address)."""
    agreement = _create(Agreement, partnership=partnership, **fields)
    for organisation, address in parties:
        _create(AgreementParty, agreement=agreement, organisation=organisation, address=address)
    return agreement


def _sign(agreement, organisation, signatory, signed_on):
    name, position = signatory
    party = agreement.parties.get(organisation=organisation)
    services.record_signature(party, name, position, signed_on)


def _seed_provider_collaborative_mou():
    partnership = Partnership.objects.filter(reference=PROVIDER_COLLABORATIVE).first()
    if partnership is None or partnership.agreements.filter(title=OH_OUH_TITLE).exists():
        return 0
    oxford_health = _organisation(register.HOME_TRUST)
    ouh = _organisation(register.OUH)
    mou = _draft(
        partnership,
        [(oxford_health, ""), (ouh, "")],
        kind=AgreementKind.MOU,
        title=OH_OUH_TITLE,
        purpose=OH_OUH_PURPOSE,
        legally_binding=LegallyBinding.EXCEPT,
        binding_exceptions="Confidentiality and data protection",
        commencement=Commencement.LAST_SIGNATURE,
        governance=OH_OUH_GOVERNANCE,
    )
    for title, description in OH_OUH_SCOPE:
        _create(ScopeItem, agreement=mou, title=title, description=description)
    services.send_for_comment(mou)
    for body, date, feedback in OH_OUH_CONSULTATIONS:
        _create(Consultation, agreement=mou, body=body, date=date, feedback=feedback)
    services.approve(mou)
    _sign(mou, oxford_health, ("Nick Broughton", "Chief Executive"), OH_OUH_SIGNED)
    _sign(mou, ouh, (OUH_SIGNATORY, "Chief Executive"), OH_OUH_SIGNED)
    services.bring_into_force(mou)
    return 1


def _seed_doncaster():
    ccg, council = (register._seed_organisation(org) for org in DONCASTER_ORGANISATIONS)
    partnership = Partnership.objects.filter(reference=DONCASTER).first() or _doncaster_partnership(ccg, council)
    parties = [(ccg, CCG_ADDRESS), (council, COUNCIL_ADDRESS)]
    added = 0
    mou = partnership.agreements.filter(title=MOU_TITLE, version=1).first()
    if mou is None:
        mou = _doncaster_mou(partnership, parties, ccg, council)
        added += 1
    if not partnership.agreements.filter(title=S75_TITLE).exists():
        s75 = _draft(
            partnership,
            parties,
            kind=AgreementKind.SECTION_75,
            title=S75_TITLE,
            purpose=S75_PURPOSE,
            legally_binding=LegallyBinding.YES,
            commencement=Commencement.STATED_DATE,
            stated_commencement_date=S75_STARTS,
            governance=S75_GOVERNANCE,
        )
        services.send_for_comment(s75)
        services.approve(s75)
        _sign(s75, ccg, CCG_SIGNATORY, S75_SIGNED)
        _sign(s75, council, COUNCIL_SIGNATORY, S75_SIGNED)
        services.bring_into_force(s75)
        added += 1
        if mou.status == AgreementStatus.IN_FORCE:
            services.supersede(mou, s75)
    return added


def _doncaster_partnership(ccg, council):
    lead = User.objects.filter(username="ben.cahill").first()
    partnership = _create(
        Partnership,
        reference=DONCASTER,
        title=DONCASTER_TITLE,
        purpose=DONCASTER_PURPOSE,
        arrangement_type=ArrangementType.MOU,
        status=Status.ACTIVE,
        status_changed_at=register.status_date(MOU_SIGNED),  # active since the MoU was made
        lead=lead,
        start_date=MOU_SIGNED,
        notes=DONCASTER_NOTES,
    )
    for organisation in (ccg, council):
        _create(PartnerRole, partnership=partnership, organisation=organisation, role=PartnerRoleKind.COMMISSIONER)
    return partnership


def _doncaster_mou(partnership, parties, ccg, council):
    mou = _draft(
        partnership,
        parties,
        kind=AgreementKind.MOU,
        title=MOU_TITLE,
        purpose=MOU_PURPOSE,
        legally_binding=LegallyBinding.NO,
        commencement=Commencement.LAST_SIGNATURE,
        term_end_date=datetime.date(2018, 3, 31),
        governance=MOU_GOVERNANCE,
    )
    for title, description in MOU_SCOPE:
        _create(ScopeItem, agreement=mou, title=title, description=description)
    for measure in MOU_INDICATORS:
        _create(Indicator, agreement=mou, measure=measure, frequency="Annually")
    for title, due, status in MOU_MILESTONES:
        _create(Milestone, agreement=mou, title=title, due_date=due, status=status)
    services.send_for_comment(mou)
    services.approve(mou)
    _sign(mou, ccg, CCG_SIGNATORY, MOU_SIGNED)
    _sign(mou, council, COUNCIL_SIGNATORY, MOU_SIGNED)
    return services.bring_into_force(mou)


def demo_step():
    """``seed_demo``'s agreements step (the Doncaster MoU brings its partnership with it)."""
    before = Partnership.objects.count()
    agreements = seed()
    return Seeded(added=counted(Partnership.objects.count() - before, "partnership") | counted(agreements, "agreement"))
