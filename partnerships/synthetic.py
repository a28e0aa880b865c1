# ruff: noqa: S311 - pseudo-random numbers make synthetic data here, not secrets
"""A large synthetic register for benchmarks (``manage.py seed_bench``).

The shape follows what the seed papers say of a real trust's register, scaled up: many informal
arrangements, contracts and MoUs and few collaboratives; most partnerships active; values
spread over orders of magnitude (log-normal, median about £80k) with about 15% unknown and a
few "approximate" or "up to"; one to six partners each, drawn from a pool of about one
organisation per ten partnerships in which a few organisations (the ICB, the council, the
big charities) appear far more often than the rest; one lead per hundred partnerships; next
reviews spread over the coming eighteen months with about 10% overdue; a few headlines. With
them come risk profiles (``risks.synthetic``) and information-governance data
(``assurance.synthetic``: DSPT statuses and years on the organisations, IG items in every state).

Everything is written with ``bulk_create`` in chunks and audited with
:func:`core.audit.record_bulk`, so the audit table is the size a real register of that many
records would have (one "created" entry per record). Links to strategic objectives and BAF
themes are written straight to their link tables and are not audited one by one.

Generation is deterministic for a given random seed, and names are drawn in a stable order,
so a second run (``--force``) reuses the organisations and users of the first.
"""

import datetime
import functools
import itertools
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core import registry
from core.audit import audit_context, record_bulk
from core.dates import local_today
from core.roles import Role
from organisations.models import Organisation, OrganisationKind, normalise_name
from partnerships import demo
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

BENCH_PASSWORD = "synthetic-register-bench"  # noqa: S105 - the password of the synthetic accounts
COORDINATOR = "bench.coordinator"
ADMIN = "bench.admin"
CHUNK = 5000


def _listed(text):
    """A comma-separated list written compactly in the source."""
    return text.split(",")


PLACES = _listed(
    "Abingdon,Aldershot,Alton,Amersham,Andover,Ascot,Aylesbury,Banbury,Basingstoke,Beaconsfield,Bicester,"
    "Blandford,Bournemouth,Bracknell,Bridport,Burford,Carterton,Chesham,Chipping Norton,Christchurch,"
    "Cowes,Crowthorne,Didcot,Dorchester,Eastleigh,Fareham,Farnborough,Ferndown,Fleet,Gillingham,Gosport,"
    "Henley,Havant,High Wycombe,Kidlington,Lymington,Maidenhead,Marlow,Milton Keynes,Newbury,Newport,"
    "Oxford,Petersfield,Poole,Portsmouth,Princes Risborough,Reading,Ringwood,Romsey,Ryde,Salisbury,"
    "Sandown,Shaftesbury,Sherborne,Slough,Southampton,Swanage,Tadley,Thame,Thatcham,Totton,Wallingford,"
    "Wantage,Weymouth,Wimborne,Winchester,Windsor,Witney,Wokingham,Woodstock,Yateley,Yarnton,Botley,"
    "Cumnor,Faringdon,Watlington,Chinnor,Eynsham,Charlbury,Brackley,Buckingham,Winslow,Tring,Hungerford,"
    "Lambourn,Pangbourne,Theale,Twyford,Wargrave,Sonning,Emsworth,Hayling Island,Waterlooville,Horndean,"
    "Bishops Waltham,Alresford,Stockbridge,Whitchurch,Overton,Hook,Odiham,Hartley Wintney,Lyndhurst,"
    "Brockenhurst,Fordingbridge,Verwood,Wareham,Portland,Lyme Regis,Beaminster,Sturminster Newton,"
    "Ventnor,Shanklin,Freshwater,Yarmouth"
)
SURNAMES = _listed(
    "Adams,Ahmed,Allen,Bailey,Baker,Bell,Bennett,Brown,Campbell,Carter,Chapman,Clark,Clarke,Collins,Cook,"
    "Cooper,Cox,Davies,Davis,Edwards,Ellis,Evans,Fisher,Foster,Gray,Green,Griffiths,Hall,Harris,Harrison,"
    "Hill,Holmes,Hughes,Hunt,Hussain,Jackson,James,Jenkins,Johnson,Jones,Kaur,Kelly,Khan,King,Knight,Lee,"
    "Lewis,Lloyd,Marshall,Martin,Mason,Matthews,Mills,Mitchell,Moore,Morgan,Morris,Murphy,Owen,Palmer,"
    "Parker,Patel,Phillips,Powell,Price,Richards,Richardson,Roberts,Robinson,Rogers,Russell,Scott,Shaw,"
    "Simpson,Singh,Smith,Stevens,Stewart,Taylor,Thomas,Thompson,Turner,Walker,Ward,Watson,White,"
    "Wilkinson,Williams,Wilson,Wood,Wright,Young"
)
FIRST_NAMES = _listed(
    "Aisha,Alex,Amir,Amy,Andrew,Anna,Ben,Bola,Chloe,Chris,Claire,Dan,David,Deepa,Ella,Emma,Fatima,Grace,"
    "Hannah,Harry,Helen,Imran,Jack,James,Jane,Jo,Kate,Kwame,Laura,Leah,Liam,Lucy,Mark,Mary,Maya,Mohammed,"
    "Nadia,Neil,Nina,Olivia,Omar,Paul,Priya,Rachel,Raj,Rebecca,Richard,Rosa,Ruth,Sam,Sara,Simon,Sophie,"
    "Tom,Uma,Will,Zara"
)
CAUSES = _listed(
    "Mental Health,Carers,Recovery,Wellbeing,Young People's,Housing,Advocacy,Bereavement,Dementia,Autism,"
    "Refugee,Addiction,Employment,Peer Support,Veterans,Family,Older People's,Homeless,"
    "Learning Disability,Community,Arts and Health,Sports and Health,Food,Parents,Deaf"
)
VCSE_NOUNS = _listed("Trust,Network,Forum,Project,Alliance,Association,Foundation,Centre,Collective,Society,Group")
SERVICES = _listed(
    "community mental health,dementia support,crisis café,eating disorders,perinatal mental health,"
    "talking therapies,physical health checks,district nursing,podiatry,school nursing,health visiting,"
    "learning disability liaison,autism diagnosis,substance misuse,homeless health,"
    "veterans' mental health,suicide prevention,social prescribing,digital therapies,workforce rotation,"
    "research network,clinical trials,student placements,estates sharing,out of area placements,"
    "early intervention in psychosis,memory clinic,falls prevention,wound care,respiratory,diabetes,"
    "speech and language therapy,recovery college,carers' support,employment support,supported housing,"
    "safe haven,street triage,urgent care,end of life care"
)
THINGS = _listed("partnership,service,pilot,alliance,network,programme,collaboration,agreement,project,contract")
HEADLINES = (
    "Quarterly review held; actions agreed with partners.",
    "Referrals up on the same quarter last year; waiting times stable.",
    "Recruitment to two vacant posts completed.",
    "Information sharing agreement renewed.",
    "Evaluation report received and shared with commissioners.",
    "Funding confirmed for the next financial year.",
    "Governance arrangements simplified; terms of reference agreed.",
    "Peer-to-peer quality review completed with no serious concerns.",
    "Partner raised a concern about capacity; escalated to the lead executive.",
    "New pathway launched with primary care.",
)

ORG_KINDS = [
    (OrganisationKind.VCSE, 35),
    (OrganisationKind.PRIMARY_CARE, 20),
    (OrganisationKind.INDEPENDENT, 10),
    (OrganisationKind.ACADEMIC, 6),
    (OrganisationKind.INDUSTRY, 7),
    (OrganisationKind.LOCAL_AUTHORITY, 5),
    (OrganisationKind.NHS_TRUST, 4),
    (OrganisationKind.FOUNDATION_TRUST, 6),
    (OrganisationKind.ICB, 1),
    (OrganisationKind.OTHER, 6),
]
ARRANGEMENTS = [
    (ArrangementType.INFORMAL, 30),
    (ArrangementType.PROCURED_CONTRACT, 20),
    (ArrangementType.MOU, 18),
    (ArrangementType.SINGLE_ACTION_WAIVER, 8),
    (ArrangementType.LEAD_PROVIDER_SUBCONTRACT, 6),
    (ArrangementType.RESEARCH_COLLABORATION, 5),
    (ArrangementType.OTHER, 4),
    (ArrangementType.SECTION_75, 3),
    (ArrangementType.ALLIANCE, 3),
    (ArrangementType.PROVIDER_COLLABORATIVE, 2),
    (ArrangementType.JOINT_VENTURE, 1),
]
STATUSES = [
    (Status.ACTIVE, 68),
    (Status.CLOSED, 9),
    (Status.DEVELOPING, 8),
    (Status.UNDER_REVIEW, 7),
    (Status.PROPOSED, 5),
    (Status.CLOSING, 3),
]
TRUST_ROLES = [
    (TrustRole.MEMBER, 45),
    (TrustRole.LEAD, 35),
    (TrustRole.SUBCONTRACTOR, 12),
    (TrustRole.COMMISSIONER, 3),
    ("", 5),
]
DATA_SHARING = [
    (DataSharing.NONE, 30),
    (DataSharing.AGGREGATE, 25),
    (DataSharing.PERSONAL, 20),
    (DataSharing.SPECIAL_CATEGORY, 15),
    ("", 10),
]
PARTNER_ROLES = [
    (PartnerRoleKind.MEMBER, 40),
    (PartnerRoleKind.PROVIDER, 25),
    (PartnerRoleKind.SUBCONTRACTOR, 8),
    (PartnerRoleKind.COMMISSIONER, 8),
    (PartnerRoleKind.FUNDER, 6),
    (PartnerRoleKind.LEAD, 5),
    (PartnerRoleKind.ACADEMIC, 4),
    (PartnerRoleKind.OTHER, 4),
]
PARTNER_COUNTS = [(1, 25), (2, 30), (3, 20), (4, 12), (5, 8), (6, 5)]


@functools.cache
def _people_names():
    names = list(itertools.product(FIRST_NAMES, SURNAMES))
    random.Random(7).shuffle(names)
    return names


def pick(rng, table):
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


class Generator:
    """Draws the synthetic register; one instance per run, seeded for repeatable output."""

    def __init__(self, seed=2019, today=None):
        self.rng = random.Random(seed)
        self.today = today or local_today()

    # -- names ---------------------------------------------------------------------------

    def organisation_specs(self):
        """An endless, repeatable stream of (name, kind, ODS code or None), names unique."""
        rng = random.Random(1)
        seen = {normalise_name(org.name) for org in demo.ORGANISATIONS}  # the home trust is never a partner
        codes = {org.ods_code for org in demo.ORGANISATIONS if org.ods_code}  # leave the real ones free
        for n in itertools.count():
            kind = pick(rng, ORG_KINDS)
            name, code = self._org_name(rng, kind, n)
            key = normalise_name(name)
            while key in seen:
                name = f"{name} {rng.choice(('North', 'South', 'East', 'West', 'Central', 'Rural', 'City'))}"
                key = normalise_name(name)
            seen.add(key)
            if code is not None:
                while code in codes:
                    code = self._ods_code(rng, kind)
                codes.add(code)
            yield name, kind, code

    def _org_name(self, rng, kind, n):
        place, surname = rng.choice(PLACES), rng.choice(SURNAMES)
        K = OrganisationKind
        code = self._ods_code(rng, kind)
        if kind == K.VCSE:
            return f"{place} {rng.choice(CAUSES)} {rng.choice(VCSE_NOUNS)}", None
        if kind == K.PRIMARY_CARE:
            form = rng.choice(("Medical Practice", "Health Centre", "Surgery", "Primary Care Network", "GP Federation"))
            return f"{place} {form}", code if form in ("Medical Practice", "Health Centre", "Surgery") else None
        if kind == K.INDEPENDENT:
            return f"{rng.choice((place, surname))} {rng.choice(('Care', 'Clinics', 'Healthcare', 'Homes'))} Ltd", None
        if kind == K.ACADEMIC:
            return rng.choice((f"University of {place}", f"{place} College", f"{place} Institute of Health")), None
        if kind == K.INDUSTRY:
            return f"{surname} {rng.choice(('Pharma', 'Digital Health', 'Medical Devices', 'Analytics'))} Ltd", None
        if kind == K.LOCAL_AUTHORITY:
            return f"{place} {rng.choice(('District Council', 'Borough Council', 'Town Council'))}", None
        if kind == K.NHS_TRUST:
            return f"{place} {rng.choice(('Community Healthcare', 'Healthcare', 'Hospitals'))} NHS Trust", code
        if kind == K.FOUNDATION_TRUST:
            return f"{place} {rng.choice(('Health', 'Hospitals', 'Partnership'))} NHS Foundation Trust", code
        if kind == K.ICB:
            return f"{place} and District Integrated Care Board", code
        return f"{place} {rng.choice(('Police', 'Fire and Rescue Service', 'Housing Association', 'Prison'))}", None

    @staticmethod
    def _ods_code(rng, kind):
        alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
        K = OrganisationKind
        if kind in (K.NHS_TRUST, K.FOUNDATION_TRUST):
            return "R" + "".join(rng.choices(alnum, k=2))
        if kind == K.ICB:
            return "Q" + "".join(rng.choices(alnum, k=2))
        return rng.choice("ABCDEFGHJKLMNPY") + f"{rng.randrange(100000):05d}"

    @staticmethod
    def person(n, role):
        """A (first, last) name, different for every synthetic user so names identify people."""
        names = _people_names()
        index = n - 1 if role == "lead" else len(names) - n
        first, last = names[index % len(names)]
        return first, last if index < len(names) else f"{last}-{index // len(names) + 1}"

    # -- values --------------------------------------------------------------------------

    def value(self, arrangement):
        rng = self.rng
        roll = rng.random()
        if roll < 0.15:
            return None, ValueQualifier.EXACT
        if arrangement == ArrangementType.INFORMAL and roll < 0.55:
            return Decimal(0), ValueQualifier.EXACT
        amount = min(rng.lognormvariate(math.log(80_000), 1.7), 150_000_000)
        step = 100 if amount < 10_000 else 1000
        amount = Decimal(max(step, round(amount / step) * step))
        qualifier = pick(rng, [(ValueQualifier.EXACT, 95), (ValueQualifier.APPROXIMATE, 3), (ValueQualifier.UP_TO, 2)])
        return amount, qualifier

    def day(self, start, end):
        return start + datetime.timedelta(days=self.rng.randrange(max(1, (end - start).days)))

    def dates(self, status):
        """Start, end and next review dates consistent with the status (closed ones have ended)."""
        rng, today = self.rng, self.today
        start = self.day(datetime.date(2010, 4, 1), today) if rng.random() < 0.9 else None
        if status == Status.CLOSED:
            end = self.day(start or datetime.date(2015, 1, 1), today)
            return start, end, None
        end = self.day(today, today + datetime.timedelta(days=5 * 365)) if rng.random() < 0.2 else None
        roll = rng.random()
        if roll < 0.10:
            review = self.day(today - datetime.timedelta(days=730), today)
        elif roll < 0.92:
            review = self.day(today + datetime.timedelta(days=1), today + datetime.timedelta(days=548))
        else:
            review = None
        return start, end, review


@dataclass(frozen=True)
class BenchContext:
    """What the other apps' bench steps (``core.registry.bench_step``) draw on."""

    seed: int
    today: datetime.date
    people: dict  # role -> [User]
    themes: dict  # name -> BafRiskTheme


def seed_bench(count, force=False, seed=2019, stdout=None, **options):
    """Add ``count`` synthetic partnerships (with organisations, users and headlines); see module doc.

    Every app's bench step adds its own records to each chunk (risk profiles: ``risks``, about that
    many risks per partnership, 0 for none; IG: ``ig=False`` for none). Returns
    ``(partnerships made, what each step made)``."""
    if Partnership.objects.exists() and not force:
        raise RegisterNotEmpty(Partnership.objects.count())
    gen = Generator(seed)
    say = stdout.write if stdout else (lambda *_: None)
    with audit_context(source="bench"):
        with transaction.atomic():
            objectives, themes, areas = demo.seed_reference_lists()
            demo.seed_home_trust()
            people = _users(max(1, count // 100), max(3, count // 5000))
        context = BenchContext(seed, gen.today, people, themes)
        steps = [s for s in (step.start(options, context) for step in registry.bench_steps()) if s is not None]
        orgs = _organisations(gen, max(10, count // 10), steps)
        say(f"{len(orgs):,} organisations and {len(people['lead']):,} leads ready.\n")
        first = _first_free_number()
        made = 0
        while made < count:
            size = min(CHUNK, count - made)
            with transaction.atomic():
                created = _partnership_chunk(gen, first + made, size, orgs, people, objectives, themes, areas)
                for step in steps:
                    step.partnerships(created)
            made += size
            say(f"{made:,} of {count:,} partnerships\n")
    return made, [step.summary() for step in steps]


class RegisterNotEmpty(Exception):
    def __init__(self, existing):
        super().__init__(existing)
        self.existing = existing


def _users(leads, executives):
    """The bench's coordinator and admin (for the Django admin baseline), leads and executives."""
    wanted = [
        (COORDINATOR, Role.COORDINATOR, ("Bench", "Coordinator"), {}),
        (ADMIN, Role.ADMINISTRATOR, ("Bench", "Administrator"), {"is_staff": True, "is_superuser": True}),
    ]
    wanted += [(f"bench.lead{n:04d}", Role.LEAD, Generator.person(n, "lead"), {}) for n in range(1, leads + 1)]
    wanted += [
        (f"bench.exec{n:02d}", Role.EXECUTIVE, Generator.person(n, "exec"), {}) for n in range(1, executives + 1)
    ]
    existing = {u.username: u for u in User.objects.filter(username__startswith="bench.")}
    hashed = make_password(BENCH_PASSWORD)
    new = [
        User(username=username, role=role, first_name=first, last_name=last, password=hashed, **extra)
        for username, role, (first, last), extra in wanted
        if username not in existing
    ]
    User.objects.bulk_create(new, batch_size=500)
    record_bulk(new)
    users = {**existing, **{u.username: u for u in new}}
    by_role = {"lead": [], "executive": []}
    for username, role, _, _ in wanted:
        if role in (Role.LEAD, Role.EXECUTIVE):
            by_role[role].append(users[username])
    return by_role


def _organisations(gen, size, steps=()):
    """The pool partners are drawn from: existing organisations of the same names are reused.
    New ones are given to the bench steps first (the IG step gives them a DSPT status and year)."""
    specs = list(itertools.islice(gen.organisation_specs(), size))
    existing = {
        o.name_key: o for o in Organisation.objects.filter(name_key__in=[normalise_name(n) for n, _, _ in specs])
    }
    taken_codes = set(Organisation.objects.exclude(ods_code=None).values_list("ods_code", flat=True))
    new = []
    for name, kind, code in specs:
        if normalise_name(name) in existing:
            continue
        code = code if code not in taken_codes else None
        taken_codes.add(code)
        new.append(Organisation(name=name, name_key=normalise_name(name), kind=kind, ods_code=code))
    for step in steps:
        if hasattr(step, "organisations"):
            step.organisations(new)
    with transaction.atomic():
        for start in range(0, len(new), CHUNK):
            batch = new[start : start + CHUNK]
            Organisation.objects.bulk_create(batch, batch_size=500)
            record_bulk(batch)
    pool = [existing.get(normalise_name(name)) for name, _, _ in specs]
    new_iter = iter(new)
    return [org if org is not None else next(new_iter) for org in pool]


def _first_free_number():
    numbers = Partnership.objects.filter(reference__regex=r"^P-[0-9]+$").values_list("reference", flat=True)
    return max((int(r[2:]) for r in numbers), default=0) + 1


def _partnership_chunk(gen, first, size, orgs, people, objectives, themes, areas):
    rng = gen.rng
    now = timezone.now()
    # A few organisations (the ICB, the council, the big charities) are in far more partnerships.
    cum_weights = list(itertools.accumulate(_popularity(len(orgs))))
    area_list, objective_list, theme_list = list(areas.values()), list(objectives.values()), list(themes.values())
    partnerships, links = [], []
    for n in range(first, first + size):
        arrangement = pick(rng, ARRANGEMENTS)
        status = pick(rng, STATUSES)
        value, qualifier = gen.value(arrangement)
        start, end, review = gen.dates(status)
        place, service, thing = rng.choice(PLACES), rng.choice(SERVICES), rng.choice(THINGS)
        lead = rng.choice(people["lead"]) if rng.random() < 0.95 else None
        p = Partnership(
            reference=f"P-{n:05d}",
            title=f"{place} {service} {thing}",
            purpose=f"{service.capitalize()} for people in and around {place}, delivered with local partners.",
            arrangement_type=arrangement,
            trust_role=pick(rng, TRUST_ROLES),
            status=status,
            status_changed_at=now,
            lead=lead,
            executive_sponsor=rng.choice(people["executive"]) if rng.random() < 0.6 else None,
            service_area=rng.choice(area_list) if rng.random() < 0.9 else None,
            annual_value=value,
            value_qualifier=qualifier,
            start_date=start,
            end_date=end,
            next_review_date=review,
            material_contribution=rng.random() < 0.03,
            data_sharing=pick(rng, DATA_SHARING),
            standard_signed_on=gen.day(datetime.date(2019, 10, 1), gen.today) if rng.random() < 0.15 else None,
        )
        partners = {id(o): o for o in rng.choices(orgs, cum_weights=cum_weights, k=pick(rng, PARTNER_COUNTS))}
        chosen_objectives = rng.sample(objective_list, rng.choice((1, 1, 2))) if rng.random() < 0.6 else []
        chosen_themes = rng.sample(theme_list, rng.choice((1, 2))) if rng.random() < 0.4 else []
        headlines = rng.choice((1, 1, 2, 3)) if rng.random() < 0.08 else 0
        partnerships.append(p)
        links.append((list(partners.values()), chosen_objectives, chosen_themes, headlines))
    Partnership.objects.bulk_create(partnerships, batch_size=500)
    record_bulk(partnerships)

    roles, headlines, objective_rows, theme_rows = [], [], [], []
    ObjectiveLink = Partnership.strategic_objectives.through
    ThemeLink = Partnership.baf_themes.through
    for p, (partners, chosen_objectives, chosen_themes, headline_count) in zip(partnerships, links, strict=True):
        roles += [PartnerRole(partnership=p, organisation=o, role=pick(rng, PARTNER_ROLES)) for o in partners]
        objective_rows += [ObjectiveLink(partnership=p, strategicobjective=o) for o in chosen_objectives]
        theme_rows += [ThemeLink(partnership=p, bafrisktheme=t) for t in chosen_themes]
        for _ in range(headline_count):
            headlines.append(
                Headline(
                    partnership=p,
                    date=gen.day(gen.today - datetime.timedelta(days=1095), gen.today),
                    text=rng.choice(HEADLINES),
                    for_board_report=rng.random() < 0.2,
                    author=p.lead,
                )
            )
    PartnerRole.objects.bulk_create(roles, batch_size=500)
    record_bulk(roles)
    Headline.objects.bulk_create(headlines, batch_size=500)
    record_bulk(headlines)
    ObjectiveLink.objects.bulk_create(objective_rows, batch_size=500)
    ThemeLink.objects.bulk_create(theme_rows, batch_size=500)
    return partnerships


def _popularity(size):
    """Zipf-like weights: the first organisations of the pool are drawn most often."""
    return [1 / (rank + 1) ** 0.8 for rank in range(size)]
