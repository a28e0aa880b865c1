"""The demo register, taken from the trust's board papers in ``../shared/seeds/``.

Sources: the "Trust partnerships update report" (spring 2019: the five partnerships over £1m,
the operational headlines, the authors and the lead executive), "Provider Collaborative for
Integrated Care" (the Oxford Health – OUH memorandum of understanding, March 2022) and
"Partnerships report: update on BOB Mental Health Provider Collaborative" (July 2023: the
strategic objectives and their Board Assurance Framework risk themes).

Values are exactly what the papers say, with their qualifier ("nearly £34m" is approximate,
"up to £2m" is up to); where a paper gives no value the value is unknown, never guessed. ODS
codes are the NHS Organisation Data Service codes of the bodies named. People named in the
papers keep their names and titles; the other demo users have invented names.

:func:`seed` adds whatever is missing, keyed on natural keys (reference, ODS code or name,
username, objective number, list entry name) and leaves records that already exist exactly as
they are, so a second run changes nothing and edits made in the app survive ``scripts/run``.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.audit import audit_context
from core.demo import Seeded, counted
from core.models import BafRiskTheme, ServiceArea, StrategicObjective
from core.roles import Role
from organisations.models import Organisation, OrganisationKind, normalise_name
from partnerships.models import (
    ArrangementType,
    DataSharing,
    Headline,
    PartnerRole,
    PartnerRoleKind,
    Partnership,
    Status,
    TrustRole,
    ValueQualifier,
)

DEMO_PASSWORD = "partnership-demo-2019"  # noqa: S105 - the published password of the demo accounts

# -- Reference lists -------------------------------------------------------------------------

STRATEGIC_OBJECTIVES = [
    (1, "Quality", "Deliver the best possible care and health outcomes"),
    (2, "People", "Be a great place to work"),
    (3, "Sustainability", "Make best use of our resources and protect the environment"),
    (4, "Research and Education", "Become a leader in healthcare research and education"),
]

# The strategic risk themes listed under each objective in the BOB Mental Health Provider
# Collaborative paper (Board of Directors, 19 July 2023).
BAF_THEMES = {
    1: [
        "Triangulating data and learning to drive Quality Improvement",
        "Demand and Capacity (Mental Health inpatient and Learning Disabilities)",
        "Demand and Capacity (Community Oxfordshire)",
    ],
    2: [
        "Workforce Planning",
        "Recruitment",
        "Succession Planning, Organisational and Leadership Development",
        "Culture",
        "Retention",
    ],
    3: [
        "Planning and decision-making at System and Place level and collaborative working with Partners",
        "Governance of external Partners",
        "Financial Sustainability",
        "Governance and decision-making arrangements",
        "Business Planning",
        "Information Governance & Cyber Security",
        "Single Data Centre",
        "Business Continuity and Emergency Planning",
        "Environmental Impact",
        "Major Capital Projects",
    ],
    4: ["Failure to realise Research and Development potential"],
}

SERVICE_AREAS = [
    "Mental health",
    "Community services",
    "Children and young people",
    "Forensic services",
    "Psychological therapies",
    "Learning disability and autism",
    "Primary care",
    "Research",
    "Trust-wide",
]

# -- Organisations ---------------------------------------------------------------------------

HOME_TRUST = "Oxford Health NHS Foundation Trust"


@dataclass(frozen=True)
class Org:
    name: str
    kind: str
    ods_code: str | None = None
    website: str = ""
    notes: str = ""
    is_home_trust: bool = False
    closed_on: datetime.date | None = None


K = OrganisationKind
ORGANISATIONS = [
    Org(HOME_TRUST, K.FOUNDATION_TRUST, "RNU", "https://www.oxfordhealth.nhs.uk", is_home_trust=True),
    Org("Oxford University Hospitals NHS Foundation Trust", K.FOUNDATION_TRUST, "RTH", "https://www.ouh.nhs.uk"),
    Org("Berkshire Healthcare NHS Foundation Trust", K.FOUNDATION_TRUST, "RWX"),
    Org("Southern Health NHS Foundation Trust", K.FOUNDATION_TRUST, "RW1"),
    Org("Solent NHS Trust", K.NHS_TRUST, "R1C"),
    Org("Dorset HealthCare University NHS Foundation Trust", K.FOUNDATION_TRUST, "RDY"),
    Org("Isle of Wight NHS Trust", K.NHS_TRUST, "R1F"),
    Org("Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board", K.ICB, "QU9"),
    Org(
        "Oxfordshire Clinical Commissioning Group",
        K.ICB,
        "10Q",
        notes="Its functions passed to the BOB Integrated Care Board on 1 July 2022. "
        "Kept on the register for the partnerships it commissioned.",
        closed_on=datetime.date(2022, 7, 1),
    ),
    Org("NHS England", K.OTHER, notes="Commissioner of specialised mental health services."),
    Org("Oxfordshire County Council", K.LOCAL_AUTHORITY),
    Org("Buckinghamshire Council", K.LOCAL_AUTHORITY),
    Org("Oxfordshire Mind", K.VCSE),
    Org("Response", K.VCSE, notes="Supported housing and community mental health charity."),
    Org("Elmore Community Services", K.VCSE),
    Org("Restore", K.VCSE),
    Org("Connection Support", K.VCSE),
    Org("Centre for Mental Health", K.VCSE, notes="Evaluation partner of the Oxfordshire Mental Health Partnership."),
    Org("Principal Medical Limited", K.PRIMARY_CARE, notes="GP federation (PML), north Oxfordshire."),
    Org("Oxford Federation for General Practice", K.PRIMARY_CARE, notes="GP federation (OxFed), Oxford city."),
    Org("South Oxfordshire GP Federation", K.PRIMARY_CARE, notes="GP federation (demo name)."),
    Org("West Oxfordshire GP Federation", K.PRIMARY_CARE, notes="GP federation (demo name)."),
    Org("National Institute for Health and Care Research", K.OTHER, "", "https://www.nihr.ac.uk", notes="NIHR."),
    Org("University of Oxford", K.ACADEMIC, website="https://www.ox.ac.uk"),
    Org("Boehringer Ingelheim", K.INDUSTRY),
]

# -- Users -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    role: str
    job_title: str
    organisation: str = ""  # a partner contributor's organisation


R = Role
USERS = [
    Person("sam.taylor", "Sam", "Taylor", R.ADMINISTRATOR, "Information Systems Administrator"),
    Person("jo.evans", "Jo", "Evans", R.ADMINISTRATOR, "Digital Applications Manager"),
    Person("ben.cahill", "Ben", "Cahill", R.COORDINATOR, "Strategy & Business Development Manager"),
    Person("fatima.rahman", "Fatima", "Rahman", R.COORDINATOR, "Partnerships Officer"),
    Person("anne.clarke", "Anne", "Clarke", R.LEAD, "Partnership Manager – Oxfordshire Mental Health Partnership"),
    Person("david.okoro", "David", "Okoro", R.LEAD, "Clinical Director, Forensic Services"),
    Person("priya.sharma", "Priya", "Sharma", R.LEAD, "Service Director, Children and Young People"),
    Person("tom.hughes", "Tom", "Hughes", R.LEAD, "Head of Psychological Therapies (TalkingSpace Plus)"),
    Person("helen.ford", "Helen", "Ford", R.LEAD, "Head of Research and Development"),
    Person("gareth.lewis", "Gareth", "Lewis", R.LEAD, "Head of Community Services Partnerships"),
    Person("martyn.ward", "Martyn", "Ward", R.EXECUTIVE, "Director of Strategy & Chief Information Officer"),
    Person("claire.morgan", "Claire", "Morgan", R.EXECUTIVE, "Director of Corporate Affairs"),
    Person("nick.broughton", "Nick", "Broughton", R.EXECUTIVE, "Chief Executive"),
    Person("amelie.bages", "Amelie", "Bages", R.EXECUTIVE, "Executive Director of Strategy and Partnerships"),
    Person("margaret.hill", "Margaret", "Hill", R.BOARD_MEMBER, "Non-Executive Director"),
    Person("raj.patel", "Raj", "Patel", R.BOARD_MEMBER, "Non-Executive Director, Chair of the Audit Committee"),
    Person("lucy.wood", "Lucy", "Wood", R.AUDITOR, "Internal Auditor"),
    Person("mark.jennings", "Mark", "Jennings", R.AUDITOR, "Head of Internal Audit"),
    Person(
        "rachel.green", "Rachel", "Green", R.PARTNER_CONTRIBUTOR, "Head of Services", organisation="Oxfordshire Mind"
    ),
]

# -- Partnerships ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Demo:
    reference: str
    title: str
    purpose: str
    arrangement_type: str
    trust_role: str
    status: str
    status_since: datetime.date  # when the status took effect, from the papers (see STATUS DATES)
    service_area: str
    lead: str
    sponsor: str
    partners: tuple  # (organisation name, partner role)
    objectives: tuple = ()
    baf_themes: tuple = ()
    value: Decimal | None = None
    qualifier: str = ValueQualifier.EXACT
    material: bool = False
    data_sharing: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None
    review: datetime.date | None = None
    standard_signed: datetime.date | None = None
    notes: str = ""
    headlines: tuple = ()  # (text, for the board report)


A, P, D = ArrangementType, PartnerRoleKind, DataSharing
MILLION = Decimal("1000000")
OUH = "Oxford University Hospitals NHS Foundation Trust"
CCG = "Oxfordshire Clinical Commissioning Group"
COUNCIL = "Oxfordshire County Council"
MIND = "Oxfordshire Mind"
NIHR = "National Institute for Health and Care Research"
BAF_PARTNERS = "Planning and decision-making at System and Place level and collaborative working with Partners"
BAF_GOVERNANCE = "Governance of external Partners"
BAF_MH_DEMAND = "Demand and Capacity (Mental Health inpatient and Learning Disabilities)"
BAF_COMMUNITY_DEMAND = "Demand and Capacity (Community Oxfordshire)"
BAF_RESEARCH = "Failure to realise Research and Development potential"
APRIL_2019 = datetime.date(2019, 4, 30)

# STATUS DATES: the day each partnership's status took effect, as the board papers give or imply.
# Trust partnerships update report (2019): the register "was last updated in April 2019", so what
# that report describes as running, being reviewed or bid for has had that status since the end of
# April 2019; the community diabetes service's partners "met on 16 April to develop an action plan"
# (developing since then); the OMHP evaluation closed with its final report in September 2019.
# Provider Collaborative for Integrated Care (March 2022): the MoU signed over April 2022.
# Partnerships report on the BOB Mental Health Provider Collaborative (19 July 2023): selected for
# NHS England's Innovators scheme in February 2023, "in its early stages of development".
DIABETES_MEETING = datetime.date(2019, 4, 16)
OMHP_EVALUATION_REPORTED = datetime.date(2019, 9, 30)
OH_OUH_MOU_SIGNED = datetime.date(2022, 4, 1)
BOB_INNOVATORS = datetime.date(2023, 2, 1)

PARTNERSHIPS = [
    Demo(
        "P-0001",
        "Thames Valley and Wessex Forensic Network",
        "A collaboration of six NHS trusts providing secure and specialised forensic mental health "
        "services for the Thames Valley and Wessex, with Oxford Health as lead provider.",
        A.PROVIDER_COLLABORATIVE,
        TrustRole.LEAD,
        Status.ACTIVE,
        APRIL_2019,
        "Forensic services",
        "david.okoro",
        "martyn.ward",
        (
            ("Southern Health NHS Foundation Trust", P.MEMBER),
            ("Berkshire Healthcare NHS Foundation Trust", P.MEMBER),
            ("Solent NHS Trust", P.MEMBER),
            ("Dorset HealthCare University NHS Foundation Trust", P.MEMBER),
            ("Isle of Wight NHS Trust", P.MEMBER),
            ("NHS England", P.COMMISSIONER),
        ),
        objectives=(1, 3),
        baf_themes=(BAF_MH_DEMAND, "Financial Sustainability", BAF_GOVERNANCE),
        value=65 * MILLION,
        material=True,
        data_sharing=D.SPECIAL_CATEGORY,
        review=datetime.date(2027, 4, 30),
        notes="Contractual value £65m (Trust partnerships update report, 2019).",
    ),
    Demo(
        "P-0002",
        "Oxfordshire Mental Health Partnership",
        "Oxford Health and voluntary sector partners delivering the Oxfordshire outcomes-based contract "
        "for adult mental health: community support, housing, employment and crisis services.",
        A.LEAD_PROVIDER_SUBCONTRACT,
        TrustRole.LEAD,
        Status.ACTIVE,
        APRIL_2019,
        "Mental health",
        "anne.clarke",
        "martyn.ward",
        (
            (MIND, P.PROVIDER),
            ("Response", P.PROVIDER),
            ("Elmore Community Services", P.PROVIDER),
            ("Restore", P.PROVIDER),
            ("Connection Support", P.PROVIDER),
            (COUNCIL, P.COMMISSIONER),
            (CCG, P.COMMISSIONER),
        ),
        objectives=(1, 3),
        baf_themes=(BAF_PARTNERS, BAF_GOVERNANCE),
        value=34 * MILLION,
        qualifier=ValueQualifier.APPROXIMATE,
        material=True,
        data_sharing=D.SPECIAL_CATEGORY,
        review=datetime.date(2026, 10, 31),
        standard_signed=datetime.date(2019, 10, 1),
        notes="Value “nearly £34m”. Sampled as a material partnership by the PwC internal audit review (2019).",
        headlines=(
            (
                "OMHP campaigned against the £1.6 million funding cuts to the Oxfordshire outcomes-based "
                "contract for mental health. Oxfordshire County Council withdrew its proposals to cut £1m "
                "from its contract contribution. This was achieved through joint campaigning by the "
                "partnership and could not have been achieved by one partner alone. OMHP remains committed "
                "to supporting OHFT with campaigning against the £600k cuts in social care.",
                True,
            ),
            (
                "Non-recurrent funding of £1 million has been allocated by the CCG to OMHP. This will be used "
                "to alleviate AHMT pressure, clear the complex needs waiting list for Elmore services and "
                "provide further funding for the successful Safe Haven, further reducing the number of people "
                "who unnecessarily go to A&E when in mental health crisis.",
                True,
            ),
            (
                "Demonstrable system change is being undertaken through two workstreams focusing on flow "
                "through services and complex needs.",
                False,
            ),
            (
                "OMHP is mindful of upcoming changes due to the NHS long term year plan and is starting to consider "
                "how it can continue to develop in this future framework.",
                False,
            ),
            (
                "Evaluation of OMHP: Oxfordshire County Council, Oxfordshire Clinical Commissioning Group, OMHP "
                "and the Centre for Mental Health will be carrying out an evaluation of the partnership through "
                "four workstreams. A final report will be completed in September 2019 which draws findings together.",
                True,
            ),
        ),
    ),
    Demo(
        "P-0003",
        "CAMHS partnership (Children and Young People)",
        "Child and adolescent mental health services delivered with Response and voluntary sector partners, "
        "including the community in-reach model and CAMHS Schools Support.",
        A.LEAD_PROVIDER_SUBCONTRACT,
        TrustRole.LEAD,
        Status.ACTIVE,
        APRIL_2019,
        "Children and young people",
        "priya.sharma",
        "martyn.ward",
        (("Response", P.PROVIDER), (MIND, P.MEMBER), (CCG, P.COMMISSIONER)),
        objectives=(1, 2),
        baf_themes=(BAF_COMMUNITY_DEMAND, "Recruitment"),
        value=Decimal("8600000"),
        data_sharing=D.SPECIAL_CATEGORY,
        review=datetime.date(2026, 6, 30),
        standard_signed=datetime.date(2019, 11, 1),
        headlines=(
            ("An excess of 200+ young people have been supported through the community in-reach model.", False),
            (
                "Response are now working in partnership with OHFT to deliver the CAMHS Schools Support as a "
                "Trailblazer site.",
                True,
            ),
            (
                "A bid has been written on behalf of the partnership to the Health & Wellbeing fund to extend "
                "their work with young people aged 18+ and work closer with the family. A response to the bid "
                "is expected in May/June 2019. Mind were invited to be an additional part of the bid.",
                False,
            ),
        ),
    ),
    Demo(
        "P-0004",
        "TalkingSpace Plus",
        "Psychological therapies (NICE approved) and wellbeing services for adults in Oxfordshire, "
        "delivered by Oxford Health with Oxfordshire Mind and PML.",
        A.PROCURED_CONTRACT,
        TrustRole.LEAD,
        Status.ACTIVE,
        APRIL_2019,
        "Psychological therapies",
        "tom.hughes",
        "martyn.ward",
        (
            (MIND, P.PROVIDER),
            ("Principal Medical Limited", P.SUBCONTRACTOR),
            (CCG, P.COMMISSIONER),
        ),
        objectives=(1,),
        baf_themes=("Triangulating data and learning to drive Quality Improvement", "Workforce Planning"),
        value=Decimal("5800000"),
        data_sharing=D.SPECIAL_CATEGORY,
        review=datetime.date(2027, 3, 31),
        standard_signed=datetime.date(2019, 10, 1),
        headlines=(
            (
                "The partnership continues to work collaboratively to offer psychological therapies (NICE "
                "approved) and wellbeing services for adults in Oxfordshire. Over the past year 15,000 referrals "
                "were received from adults seeking help for common mental health difficulties and an additional "
                "19,823 referrals were received by the wellbeing service for information and advice. People "
                "treated have recovery rates which exceed national targets.",
                True,
            ),
            (
                "The TSP website is being redesigned to better reflect the treatments offered, provide improved "
                "information, links for self-referral online and direct access to an online therapy option.",
                False,
            ),
            (
                "TSP is working as part of the OHFT Digital Exemplar programme to introduce innovations such as "
                "Sleepio for insomnia and virtual reality (VR) therapy for height phobia.",
                False,
            ),
            (
                "In line with requirements under the NHS National Collaborating Centre for Mental Health's IAPT "
                "Manual, we are in the process of ensuring all PML counsellors are registered with UKCP or "
                "accredited with BACP.",
                False,
            ),
            (
                "A management agreement has been put in place to provide for operational management of some "
                "OHFT employees by an Oxfordshire Mind operational manager.",
                True,
            ),
        ),
    ),
    Demo(
        "P-0005",
        "NIHR Oxford Health Biomedical Research Centre",
        "Experimental medicine research in mental health and dementia, hosted by Oxford Health in "
        "partnership with the University of Oxford and funded by the NIHR.",
        A.RESEARCH_COLLABORATION,
        TrustRole.LEAD,
        Status.ACTIVE,
        APRIL_2019,
        "Research",
        "helen.ford",
        "martyn.ward",
        ((NIHR, P.FUNDER), ("University of Oxford", P.ACADEMIC)),
        objectives=(4,),
        baf_themes=(BAF_RESEARCH,),
        value=2 * MILLION,
        qualifier=ValueQualifier.UP_TO,
        data_sharing=D.PERSONAL,
        review=datetime.date(2027, 9, 30),
        notes="One of the two collaborative arrangements with the NIHR “of up to £2m” (2019 report).",
    ),
    Demo(
        "P-0006",
        "NIHR Applied Research Collaboration Oxford and Thames Valley",
        "Applied health and care research with universities, NHS bodies and local authorities of the "
        "Thames Valley, hosted by Oxford Health (formerly NIHR CLAHRC Oxford).",
        A.RESEARCH_COLLABORATION,
        TrustRole.LEAD,
        Status.ACTIVE,
        APRIL_2019,
        "Research",
        "helen.ford",
        "martyn.ward",
        ((NIHR, P.FUNDER), ("University of Oxford", P.ACADEMIC), (OUH, P.MEMBER)),
        objectives=(4,),
        baf_themes=(BAF_RESEARCH,),
        value=2 * MILLION,
        qualifier=ValueQualifier.UP_TO,
        data_sharing=D.AGGREGATE,
        review=datetime.date(2026, 9, 30),
        notes="One of the two collaborative arrangements with the NIHR “of up to £2m” (2019 report).",
    ),
    Demo(
        "P-0007",
        "Oxfordshire Carer Alliance",
        "Partnership of the four Oxfordshire GP federations and Oxford Health (previously known as the "
        "Joint Enterprise with Oxfordshire GPs).",
        A.ALLIANCE,
        TrustRole.MEMBER,
        Status.UNDER_REVIEW,
        APRIL_2019,
        "Community services",
        "gareth.lewis",
        "claire.morgan",
        (
            ("Principal Medical Limited", P.MEMBER),
            ("Oxford Federation for General Practice", P.MEMBER),
            ("South Oxfordshire GP Federation", P.MEMBER),
            ("West Oxfordshire GP Federation", P.MEMBER),
        ),
        objectives=(3,),
        baf_themes=(BAF_GOVERNANCE, "Governance and decision-making arrangements"),
        material=True,
        data_sharing=D.PERSONAL,
        review=datetime.date(2025, 12, 31),
        notes="Sampled as a material partnership by the PwC internal audit review (2019), as "
        "“Oxford Care Alliance”. Value not recorded.",
        headlines=(
            (
                "Oxfordshire Carer Alliance (previously known as Joint Enterprise with Oxfordshire GPs): "
                "partnership with four federations and OHFT. Currently simplifying governance structures, "
                "agreeing voting arrangements and how risk will be managed within the partnership.",
                True,
            ),
        ),
    ),
    Demo(
        "P-0008",
        "Community diabetes service",
        "A working agreement between OUH, the CCG and Oxford Health for an integrated community diabetes service.",
        A.INFORMAL,
        TrustRole.MEMBER,
        Status.DEVELOPING,
        DIABETES_MEETING,
        "Community services",
        "gareth.lewis",
        "martyn.ward",
        ((OUH, P.PROVIDER), (CCG, P.COMMISSIONER)),
        objectives=(1,),
        baf_themes=(BAF_COMMUNITY_DEMAND,),
        data_sharing=D.SPECIAL_CATEGORY,
        review=datetime.date(2027, 1, 31),
        headlines=(
            (
                "Community diabetes service: a working agreement has been developed between OUH, CCG and OHFT. "
                "Met on 16 April to develop an action plan and workstreams.",
                False,
            ),
        ),
    ),
    Demo(
        "P-0009",
        "Integrated respiratory project",
        "Pilots in the North and City localities to help people who have respiratory problems stay out of "
        "hospital, funded by Boehringer Ingelheim and the CCG and led by the CCG.",
        A.OTHER,
        TrustRole.MEMBER,
        Status.ACTIVE,
        APRIL_2019,
        "Community services",
        "gareth.lewis",
        "martyn.ward",
        (
            (CCG, P.LEAD),
            ("Boehringer Ingelheim", P.FUNDER),
            (OUH, P.PROVIDER),
            (COUNCIL, P.PROVIDER),
        ),
        objectives=(1, 2),
        baf_themes=(BAF_COMMUNITY_DEMAND, "Recruitment"),
        data_sharing=D.SPECIAL_CATEGORY,
        review=datetime.date(2026, 3, 31),
        notes="NHS and industry joint working; the county council takes part through its smoking cessation services.",
        headlines=(
            (
                "Integrated respiratory project: Boehringer and the CCG have provided funding to be able to run "
                "pilots in North and City localities. The providers OHFT, OUH and county council with the "
                "smoking cessation services are working together to deliver this pilot. The CCG are leading on "
                "this project; an action plan has been developed and is being implemented. Recruitment has been "
                "difficult for OHFT. Primary care is fully engaged with this project.",
                True,
            ),
        ),
    ),
    Demo(
        "P-0010",
        "BOB Mental Health Provider Collaborative",
        "Mental health provider collaborative for Buckinghamshire, Oxfordshire and Berkshire West, "
        "developed by Oxford Health and Berkshire Healthcare with the BOB ICB; part of the NHS England "
        "Provider Collaborative Innovators scheme since February 2023.",
        A.PROVIDER_COLLABORATIVE,
        TrustRole.LEAD,
        Status.DEVELOPING,
        BOB_INNOVATORS,
        "Mental health",
        "anne.clarke",
        "amelie.bages",
        (
            ("Berkshire Healthcare NHS Foundation Trust", P.LEAD),
            ("Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board", P.COMMISSIONER),
        ),
        objectives=(1, 2, 3, 4),
        baf_themes=(BAF_PARTNERS, BAF_GOVERNANCE, "Governance and decision-making arrangements"),
        material=True,
        data_sharing=D.AGGREGATE,
        review=datetime.date(2027, 7, 19),
        notes="Value not yet known: no new resources identified beyond dedicated roles in each trust (July 2023).",
    ),
    Demo(
        "P-0011",
        "Oxford Health and OUH provider collaborative (memorandum of understanding)",
        "A practical platform for collaboration and integrated care between the two trusts, removing "
        "day-to-day barriers (workforce, estates, sharing data); early priorities urgent care and end of "
        "life care.",
        A.MOU,
        TrustRole.MEMBER,
        Status.ACTIVE,
        OH_OUH_MOU_SIGNED,
        "Trust-wide",
        "ben.cahill",
        "nick.broughton",
        ((OUH, P.MEMBER),),
        objectives=(1, 2, 3),
        baf_themes=(BAF_PARTNERS, "Information Governance & Cyber Security"),
        material=True,
        data_sharing=D.PERSONAL,
        start=OH_OUH_MOU_SIGNED,
        review=datetime.date(2027, 4, 30),
        notes="Not legally binding, except the confidentiality and data protection clauses. "
        "Signed by the Chief Executives in April 2022.",
    ),
    Demo(
        "P-0012",
        "Buckinghamshire Integrated Care System",
        "Oxford Health's part, as provider of mental health services in Buckinghamshire, in the "
        "Buckinghamshire integrated care partnership.",
        A.INFORMAL,
        TrustRole.MEMBER,
        Status.ACTIVE,
        APRIL_2019,
        "Mental health",
        "anne.clarke",
        "martyn.ward",
        (("Buckinghamshire Council", P.MEMBER),),
        objectives=(1, 3),
        baf_themes=(BAF_PARTNERS,),
        material=True,
        data_sharing=D.AGGREGATE,
        review=datetime.date(2027, 2, 28),
        notes="Sampled as a material partnership by the PwC internal audit review (2019).",
    ),
    Demo(
        "P-0013",
        "Evaluation of the Oxfordshire Mental Health Partnership",
        "Evaluation of OMHP through four workstreams with the county council, the CCG and the Centre for "
        "Mental Health.",
        A.INFORMAL,
        TrustRole.MEMBER,
        Status.CLOSED,
        OMHP_EVALUATION_REPORTED,
        "Mental health",
        "anne.clarke",
        "martyn.ward",
        (("Centre for Mental Health", P.PROVIDER), (COUNCIL, P.COMMISSIONER), (CCG, P.COMMISSIONER)),
        objectives=(1,),
        baf_themes=("Triangulating data and learning to drive Quality Improvement",),
        data_sharing=D.AGGREGATE,
        end=OMHP_EVALUATION_REPORTED,
        notes="Closed with the final report in September 2019.",
    ),
    Demo(
        "P-0014",
        "Health & Wellbeing Fund bid: young people aged 18+",
        "Bid to extend the CAMHS partnership's work to young people aged 18 and over and to work more closely "
        "with families.",
        A.INFORMAL,
        TrustRole.LEAD,
        Status.PROPOSED,
        APRIL_2019,
        "Children and young people",
        "priya.sharma",
        "martyn.ward",
        (("Response", P.MEMBER), (MIND, P.MEMBER)),
        objectives=(1,),
        data_sharing=D.NONE,
        review=datetime.date(2026, 1, 31),
    ),
]


# -- Seeding ---------------------------------------------------------------------------------


@dataclass
class Login:
    username: str
    name: str
    role: str
    job_title: str
    password: str


def seed():
    """Add the missing demo records (audited as source "seed"); return the demo logins."""
    with audit_context(source="seed"), transaction.atomic():
        objectives, themes, areas = seed_reference_lists()
        orgs = {org.name: _seed_organisation(org) for org in ORGANISATIONS}
        users = _seed_users(orgs)
        for demo in PARTNERSHIPS:
            _seed_partnership(demo, objectives, themes, areas, orgs, users)
    return _logins(users)


def seed_reference_lists():
    """The strategic objectives, BAF risk themes and service areas, each keyed by its name or number."""
    objectives = _seed_objectives()
    themes = _seed_baf_themes(objectives)
    areas = {name: _get_or_create(ServiceArea, {"name__iexact": name}, name=name) for name in SERVICE_AREAS}
    return objectives, themes, areas


def seed_home_trust():
    return _seed_organisation(ORGANISATIONS[0])


def _get_or_create(model, lookup, **values):
    """The record matching ``lookup``, or a new validated one made from ``values``."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**values)
        obj.full_clean()
        obj.save()
    return obj


def _seed_objectives():
    return {
        number: _get_or_create(
            StrategicObjective, {"number": number}, number=number, name=name, description=description
        )
        for number, name, description in STRATEGIC_OBJECTIVES
    }


def _seed_baf_themes(objectives):
    return {
        name: _get_or_create(BafRiskTheme, {"name__iexact": name}, name=name, strategic_objective=objectives[number])
        for number, names in BAF_THEMES.items()
        for name in names
    }


def _seed_organisation(org):
    existing = Organisation.objects.filter(ods_code=org.ods_code).first() if org.ods_code else None
    existing = existing or Organisation.objects.filter(name_key=normalise_name(org.name)).first()
    if existing is not None:
        return existing
    organisation = Organisation(
        name=org.name,
        kind=org.kind,
        ods_code=org.ods_code or None,
        website=org.website,
        notes=org.notes,
        is_home_trust=org.is_home_trust,
        closed_on=org.closed_on,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


def _seed_users(orgs):
    validate_password(DEMO_PASSWORD)
    hashed = None
    users = {}
    for person in USERS:
        user = User.objects.filter(username__iexact=person.username).first()
        if user is None:
            fields = _person_fields(person, orgs)
            validate_password(DEMO_PASSWORD, User(**fields))
            hashed = hashed or make_password(DEMO_PASSWORD)
            user = User(**fields, password=hashed)
            user.full_clean()
            user.save()
        users[person.username] = user
    return users


def _person_fields(person, orgs):
    return {
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "role": person.role,
        "job_title": person.job_title,
        "organisation": orgs.get(person.organisation),
    }


def _seed_partnership(demo, objectives, themes, areas, orgs, users):
    if Partnership.objects.filter(reference=demo.reference).exists():
        return
    partnership = Partnership(
        reference=demo.reference,
        title=demo.title,
        purpose=demo.purpose,
        arrangement_type=demo.arrangement_type,
        trust_role=demo.trust_role,
        status=demo.status,
        status_changed_at=status_date(demo.status_since),
        lead=users[demo.lead],
        executive_sponsor=users[demo.sponsor],
        service_area=areas[demo.service_area],
        annual_value=demo.value,
        value_qualifier=demo.qualifier,
        material_contribution=demo.material,
        data_sharing=demo.data_sharing,
        start_date=demo.start,
        end_date=demo.end,
        next_review_date=demo.review,
        standard_signed_on=demo.standard_signed,
        notes=demo.notes,
    )
    partnership.full_clean()
    partnership.save()
    partnership.strategic_objectives.set([objectives[n] for n in demo.objectives])
    partnership.baf_themes.set([themes[name] for name in demo.baf_themes])
    for name, role in demo.partners:
        PartnerRole(partnership=partnership, organisation=orgs[name], role=role).save()
    for text, for_board in demo.headlines:
        Headline(
            partnership=partnership,
            date=APRIL_2019,
            text=text,
            for_board_report=for_board,
            author=users[demo.lead],
        ).save()


def status_date(day):
    """The moment a demo status took effect: midday on ``day`` in the trust's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _logins(users):
    """Every demo account with the password that opens it now (checked, not assumed)."""
    verified = {}
    logins = []
    for person in USERS:
        user = users[person.username]
        if user.password not in verified:
            verified[user.password] = check_password(DEMO_PASSWORD, user.password)
        if not user.is_active:
            password = "(account deactivated)"  # noqa: S105 - a note, not a password
        else:
            password = DEMO_PASSWORD if verified[user.password] else "(changed since seeding)"
        logins.append(Login(user.username, str(user), user.get_role_display(), user.job_title, password))
    return logins


def demo_step():
    """``seed_demo``'s register step: the partnerships added, and every demo login."""
    before = Partnership.objects.count()
    logins = seed()
    return Seeded(added=counted(Partnership.objects.count() - before, "partnership"), logins=tuple(logins))
