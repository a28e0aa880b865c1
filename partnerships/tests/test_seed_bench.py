"""``manage.py seed_bench``: a valid, audited synthetic register that never lands on a real one."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from core.models import AuditEntry
from organisations.models import Organisation
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def seed(count, *flags):
    call_command("seed_bench", "--partnerships", str(count), *flags, stdout=StringIO())


def test_every_synthetic_partnership_is_valid_audited_and_has_one_to_six_partners():
    seed(400)
    partnerships = Partnership.objects.all()
    assert partnerships.count() == 400
    for partnership in partnerships:
        partnership.full_clean()  # closed ones have an end date, qualifiers only with a value, ...
    partners = partnerships.annotate(n=Count("partner_roles")).values_list("n", flat=True)
    assert min(partners) >= 1 and max(partners) <= 6
    created = AuditEntry.objects.filter(action="create", source="bench", object_type__model="partnership")
    assert created.count() == 400
    assert AuditEntry.objects.filter(action="create", object_type__model="partnerrole").count() == sum(partners)


def test_the_synthetic_register_looks_like_a_real_one():
    seed(1000)
    partnerships = Partnership.objects.with_tier()
    unknown = partnerships.filter(annual_value=None).count()
    assert 80 <= unknown <= 250  # about 15% of values are not known
    assert partnerships.filter(value_qualifier__in=["approximate", "up_to"]).exists()
    assert partnerships.filter(status="active").count() > 500
    overdue = partnerships.review_overdue().count()
    assert 40 <= overdue <= 180  # about 10% of reviews are overdue
    assert {1, 2, 3} <= set(partnerships.values_list("tier", flat=True))
    # A pool of about one organisation per ten partnerships (and the home trust), some much busier.
    assert 90 <= Organisation.objects.count() <= 120
    busiest = Organisation.objects.annotate(n=Count("partner_roles")).order_by("-n").first()
    assert busiest.n > 50
    assert not Organisation.objects.get(is_home_trust=True).partner_roles.exists()  # never its own partner


def test_it_refuses_a_register_that_already_has_partnerships_unless_forced():
    call_command("seed_demo", stdout=StringIO())
    with pytest.raises(CommandError, match="already holds 15 partnerships"):
        seed(50)
    assert Partnership.objects.count() == 15  # the 14 from the papers and the Doncaster worked example

    seed(50, "--force")
    assert Partnership.objects.count() == 65
    assert Partnership.objects.filter(title="Thames Valley and Wessex Forensic Network").exists()  # nothing replaced
    organisations = Organisation.objects.count()
    seed(50, "--force")  # a second batch reuses the synthetic organisations and users
    assert Partnership.objects.count() == 115
    assert Organisation.objects.count() == organisations
