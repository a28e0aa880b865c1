"""Two rounds of the Oxfordshire Mental Health Partnership's peer-to-peer quality reviews, told
through ``peer_reviews.services`` so that every write is validated and audited (source "seed").

Source: the "Trust partnerships update report" (2019): OMHP ran peer-to-peer quality reviews over
2018/19, then simplified the tool so that "the CQC standards are applied to five operational
areas", with a second round in October 2019 in the new format; over late 2018 its senior managers
set up a process to report safeguarding, incidents and serious complaints into the partnership.
The paper does not name the five areas: here they are the services of OMHP's outcomes-based
contract (``services.DEFAULT_AREAS``). Ratings, findings and actions are demo values showing the
improvement between the rounds; one action, to report safeguarding concerns into the Partnership
Management Group, is still open and overdue.

:func:`seed` adds a round only when the partnership has none of that title: a second run writes
nothing.
"""

import datetime

from django.db import transaction

from accounts.models import User
from core.audit import audit_context
from core.demo import Seeded, counted
from partnerships.models import Partnership
from peer_reviews import services
from peer_reviews.models import ReviewRound

OMHP = "Oxfordshire Mental Health Partnership"
FIRST, SECOND = "OMHP 2018/19", "OMHP October 2019"
G, RI, OUT = "good", "requires_improvement", "outstanding"

# Area -> (safe, effective, caring, responsive, well-led), with the findings where they fall short.
FIRST_RATINGS = {
    "Access and assessment": ((RI, G, G, RI, G), "Referrals wait more than four weeks for assessment."),
    "Community support": ((G, G, OUT, G, RI), "Supervision records are kept differently by each partner."),
    "Supported housing": ((RI, G, G, G, RI), "Safeguarding concerns are not reported into the partnership."),
    "Employment support": ((G, G, G, G, G), ""),
    "Crisis support": ((RI, RI, G, G, G), "Out-of-hours handover to the crisis team is not recorded."),
}
SECOND_RATINGS = {
    "Access and assessment": ((G, G, G, G, G), ""),
    "Community support": ((G, G, OUT, G, G), ""),
    "Supported housing": ((G, G, G, G, RI), "Serious complaints reach the partnership late."),
    "Employment support": ((G, OUT, G, G, G), ""),
    "Crisis support": ((G, G, G, G, G), ""),
}
QUESTIONS = ("safe", "effective", "caring", "responsive", "well_led")


def _organisations(partnership):
    names = {"Oxfordshire Mind", "Response", "Elmore Community Services", "Restore", "Connection Support"}
    partners = {o.name: o for o in services.round_organisations(partnership).filter(name__in=names)}
    return partners, services.round_organisations(partnership).filter(is_home_trust=True)


def _rate(review_round, ratings):
    for area in review_round.areas.all():
        scores, findings = ratings[area.name]
        values = dict(zip(QUESTIONS, scores, strict=True))
        for question, rating in list(values.items()):
            if rating == RI:
                values[f"{question}_findings"] = findings
        services.rate(area, **values)


def _round(partnership, title, start, end, reviewing, reviewed, ratings):
    review_round = services.save_round(
        ReviewRound(partnership=partnership, title=title, start_date=start, end_date=end), reviewing, reviewed
    )
    _rate(review_round, ratings)
    return review_round


def seed():
    """Both rounds and their actions; nothing when they are there already (or OMHP is not)."""
    partnership = Partnership.objects.filter(title=OMHP).first()
    lead = User.objects.filter(username="anne.clarke").first()
    if partnership is None or lead is None or partnership.review_rounds.filter(title=FIRST).exists():
        return 0
    partners, trust = _organisations(partnership)
    mind, response = partners["Oxfordshire Mind"], partners["Response"]
    others = [partners[n] for n in ("Elmore Community Services", "Restore", "Connection Support")]
    with audit_context(source="seed"), transaction.atomic():
        first = _round(
            partnership,
            FIRST,
            datetime.date(2018, 10, 1),
            datetime.date(2019, 3, 29),
            [*trust, mind],
            [response, *others],
            FIRST_RATINGS,
        )
        housing = first.areas.get(name="Supported housing")
        done = services.add_action(
            housing,
            "safe",
            "Agree one safeguarding escalation route for every partner.",
            lead,
            datetime.date(2019, 6, 28),
        )
        done.status = "done"
        services.save_action(done)
        second = _round(
            partnership,
            SECOND,
            datetime.date(2019, 10, 1),
            datetime.date(2019, 10, 31),
            [*trust, response],
            [mind, *others],
            SECOND_RATINGS,
        )
        services.add_action(
            second.areas.get(name="Supported housing"),
            "well_led",
            "Report safeguarding concerns, incidents and serious complaints to the Partnership Management Group "
            "every month.",
            lead,
            datetime.date(2020, 1, 31),
        )
    return 2


def demo_step():
    """``seed_demo``'s peer review step."""
    return Seeded(added=counted(seed(), "peer review round"))
