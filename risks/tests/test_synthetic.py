"""``manage.py seed_bench --risks N``: valid, audited, realistic risk profiles for the benchmark."""

from io import StringIO

import pytest
from django.core.management import call_command

from core.dates import local_today
from core.models import AuditEntry
from partnerships.models import Partnership
from risks.models import NoSignificantRisk, Risk, RiskAction
from risks.scoring import Scoring
from risks.selectors import escalated_risks

pytestmark = pytest.mark.django_db


def seed(*args):
    out = StringIO()
    call_command("seed_bench", *args, stdout=out)
    return out.getvalue()


def test_about_six_valid_audited_risks_per_partnership_shaped_like_a_real_register():
    out = seed("--partnerships", "300")
    risks = Risk.objects.select_related("partnership", "baf_theme")
    assert 1500 <= risks.count() <= 2100, "about six a partnership"
    assert f", {risks.count():,} risks" in out
    for r in risks:
        r.full_clean()  # target not above current, a reason when current is above inherent, a BAF theme…
    open_risks = risks.filter(status="open")
    escalated = escalated_risks(Scoring.current())
    share = escalated.count() / open_risks.count()
    assert 0.01 <= share <= 0.10, f"a few per cent escalated, not {share:.1%}"
    assert not escalated.filter(baf_theme=None).exists()
    overdue = open_risks.filter(review_date__lt=local_today()).count() / open_risks.count()
    assert 0.05 <= overdue <= 0.15, f"about one in ten past review, not {overdue:.1%}"
    low = sum(1 for r in open_risks if r.current_likelihood * r.current_consequence <= 6)
    assert low > open_risks.count() / 2, "most risks are Low or Moderate"
    assert risks.filter(status="closed").exists() and RiskAction.objects.exists()
    assert NoSignificantRisk.objects.exists()
    created = AuditEntry.objects.filter(action="create", source="bench")
    assert created.filter(object_type__model="risk").count() == risks.count()
    assert created.filter(object_type__model="nosignificantrisk").count() == NoSignificantRisk.objects.count()
    assert created.filter(object_type__model="riskaction").count() == RiskAction.objects.count()


def test_no_risks_when_asked_for_none():
    seed("--partnerships", "50", "--risks", "0")
    assert Partnership.objects.count() == 50
    assert not Risk.objects.exists() and not NoSignificantRisk.objects.exists()
