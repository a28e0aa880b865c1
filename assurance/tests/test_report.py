"""Information governance's part of the board report: the gaps, by partnership and by item, and
the gaps opened and closed between two reports."""

import pytest

from assurance.models import IGItemType
from assurance.tests import builders as b
from tests.report_parts import assert_json_ready, assert_pure, collect_bounded, part, text_of

pytestmark = pytest.mark.django_db


def collect():
    return part("assurance").collect(b.today(), None)


@pytest.fixture
def register():
    """P1: level of data sharing not assessed; P2: shares nothing (no gaps); P3: aggregate data,
    no ISA (one gap)."""
    return {
        "P1": b.partnership(data_sharing="", reference="P1", title="Oxford Care Alliance"),
        "P2": b.partnership(data_sharing="none", reference="P2", title="Community diabetes service"),
        "P3": b.partnership(data_sharing="aggregate", reference="P3", title="Integrated respiratory project"),
    }


def test_collect_lists_each_gap_by_partnership_and_item(register):
    data = collect()
    assert_json_ready(data)
    assert [(g["reference"], g["item"], g["status"]) for g in data["gaps"]] == [
        ("P1", "data_sharing_level", "Missing"),
        ("P3", "isa", "Missing"),
    ]


def test_write_gives_the_partnerships_with_gaps_and_the_gaps_by_item(register):
    data = collect()
    text = text_of(part("assurance").write(data))
    assert "2 partnerships have at least one information governance document" in text
    assert "P3 | Integrated respiratory project | ISA (missing)" in text
    assert "P1 | Oxford Care Alliance | Level of data sharing not assessed (missing)" in text
    assert "ISA | 1" in text
    assert "Community diabetes service" not in text
    assert part("assurance").summary(data) == [
        "2 partnerships lack an information governance document or check required for their arrangement."
    ]
    assert part("assurance").figures(data) == [("Partnerships with IG gaps", "2")]
    assert_pure("assurance", data)


def test_no_gaps_reads_as_such(db):
    data = collect()
    assert "No partnership has an IG gap." in text_of(part("assurance").write(data))
    assert part("assurance").summary(data) == [
        "Every partnership has the information governance documents and checks it requires."
    ]


def test_changes_name_the_gaps_opened_and_closed(register):
    before = collect()
    b.record(register["P3"], IGItemType.ISA)  # closes P3's gap
    register["P2"].data_sharing = "aggregate"  # opens one on P2
    register["P2"].save()
    now = collect()
    assert part("assurance").changes(before, now) == [
        "IG gap opened: P2 Community diabetes service, ISA.",
        "IG gap closed: P3 Integrated respiratory project, ISA.",
    ]
    assert_pure("assurance", now, before)


def test_collect_costs_the_same_whatever_the_registers_size(register, django_assert_max_num_queries):
    def grow():
        for n in range(12):
            b.partnership(data_sharing=("personal", "", "aggregate")[n % 3])

    data = collect_bounded("assurance", (b.today(), None), grow, 2, django_assert_max_num_queries)
    assert len({g["partnership"] for g in data["gaps"]}) == 14
