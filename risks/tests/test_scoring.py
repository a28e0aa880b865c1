"""The 5×5 matrix: every cell scored and banded as the NPSA table says, in Python and in SQL alike,
and a change of configuration re-bands and re-escalates existing risks without touching them."""

import pytest
from django.core.exceptions import ValidationError

from risks.models import Risk, RiskMatrix
from risks.scoring import DEFAULT_BANDS, PRODUCTS, Scoring, band_problems, matrix_problems
from risks.selectors import escalated_risks, heatmap_counts
from risks.tests.builders import baf_theme, bulk_risks, partnership, set_matrix

# The NPSA table ("A risk matrix for risk managers", 2008), written out: likelihood 5 at the top,
# consequence 1 to 5 from left to right; each cell is "score band".
NPSA_TABLE = """
5 | 5 Moderate  | 10 High     | 15 Extreme | 20 Extreme | 25 Extreme
4 | 4 Moderate  | 8 High      | 12 High    | 16 Extreme | 20 Extreme
3 | 3 Low       | 6 Moderate  | 9 High     | 12 High    | 15 Extreme
2 | 2 Low       | 4 Moderate  | 6 Moderate | 8 High     | 10 High
1 | 1 Low       | 2 Low       | 3 Low      | 4 Moderate | 5 Moderate
"""
BAND_COLOURS = {"Low": "green", "Moderate": "yellow", "High": "amber", "Extreme": "red"}


def npsa_cells():
    cells = {}
    for line in NPSA_TABLE.strip().splitlines():
        likelihood, *row = [part.strip() for part in line.split("|")]
        for consequence, cell in enumerate(row, start=1):
            score, band = cell.split()
            cells[(int(likelihood), consequence)] = (int(score), band)
    return cells


NPSA = npsa_cells()
ALL_CELLS = sorted(NPSA)


def test_the_table_has_25_cells_and_only_the_14_products_occur():
    assert len(NPSA) == 25
    assert sorted({score for score, _ in NPSA.values()}) == list(PRODUCTS)
    assert PRODUCTS == (1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25)


@pytest.mark.django_db
@pytest.mark.parametrize(("likelihood", "consequence"), ALL_CELLS)
def test_every_cell_is_scored_and_banded_as_the_npsa_table_says(likelihood, consequence):
    scoring = Scoring.current()
    score, band = NPSA[(likelihood, consequence)]
    assert scoring.score(likelihood, consequence) == score
    assert scoring.band(score).name == band
    assert scoring.band(score).colour_key == BAND_COLOURS[band]
    assert scoring.is_escalated(score) == (score >= 15)


@pytest.mark.django_db
def test_the_default_matrix_is_the_npsa_one_with_its_descriptors():
    scoring = Scoring.current()
    assert [str(d) for d in scoring.likelihood] == [
        "1 Rare",
        "2 Unlikely",
        "3 Possible",
        "4 Likely",
        "5 Almost certain",
    ]
    assert [str(d) for d in scoring.consequence] == [
        "1 Negligible",
        "2 Minor",
        "3 Moderate",
        "4 Major",
        "5 Catastrophic",
    ]
    assert "0.1%" in scoring.likelihood[0].guidance
    assert [(b.name, b.lowest, b.highest, b.colour.label) for b in scoring.bands] == [
        ("Low", 1, 3, "Green"),
        ("Moderate", 4, 6, "Yellow"),
        ("High", 8, 12, "Amber"),
        ("Extreme", 15, 25, "Red"),
    ]
    assert scoring.threshold == 15


def one_risk_per_cell():
    p = partnership("P-0100")
    return bulk_risks(p, ALL_CELLS, theme=baf_theme())


def sql_and_python(scoring):
    """{cell: ((score, band, colour, escalated) in SQL, the same in Python)} for every risk."""
    found = {}
    for r in scoring.annotate(Risk.objects.all()):
        score = scoring.score(r.current_likelihood, r.current_consequence)
        band = scoring.band(score)
        python = (score, band.name, band.colour_key, scoring.is_escalated(score))
        found[(r.current_likelihood, r.current_consequence)] = (
            (r.current_score, r.current_band, r.current_colour, r.escalated),
            python,
        )
    return found


@pytest.mark.django_db
def test_sql_and_python_agree_for_all_25_cells_before_and_after_a_configuration_change():
    one_risk_per_cell()
    before = sql_and_python(Scoring.current())
    assert sorted(before) == ALL_CELLS
    for cell, (sql, python) in before.items():
        assert sql == python, cell
        assert sql[:2] == NPSA[cell], cell

    set_matrix(
        bands=[
            {"name": "Low", "lowest": 1, "highest": 4, "colour": "green"},
            {"name": "Medium", "lowest": 5, "highest": 9, "colour": "yellow"},
            {"name": "Serious", "lowest": 10, "highest": 16, "colour": "pink"},
            {"name": "Critical", "lowest": 20, "highest": 25, "colour": "purple"},
        ],
        threshold=10,
    )
    after = sql_and_python(Scoring.current())
    for cell, (sql, python) in after.items():
        assert sql == python, cell
    assert after[(5, 2)][0] == (10, "Serious", "pink", True)
    assert after[(3, 3)][0] == (9, "Medium", "yellow", False)
    assert after[(4, 5)][0] == (20, "Critical", "purple", True)


@pytest.mark.django_db
def test_a_configuration_change_rebands_and_escalates_existing_risks_with_no_data_change():
    """High becomes 8–16 and the threshold 12: existing risks move band and escalation at once."""
    risks = one_risk_per_cell()
    rows_before = list(Risk.objects.order_by("pk").values())
    escalated_before = {(r.current_likelihood, r.current_consequence) for r in escalated_risks(Scoring.current())}
    assert escalated_before == {cell for cell, (score, _) in NPSA.items() if score >= 15}

    set_matrix(
        bands=[
            {"name": "Low", "lowest": 1, "highest": 3, "colour": "green"},
            {"name": "Moderate", "lowest": 4, "highest": 6, "colour": "yellow"},
            {"name": "High", "lowest": 8, "highest": 16, "colour": "amber"},
            {"name": "Extreme", "lowest": 20, "highest": 25, "colour": "red"},
        ],
        threshold=12,
    )
    scoring = Scoring.current()
    assert list(Risk.objects.order_by("pk").values()) == rows_before, "no risk was changed"
    bands = {
        (r.current_likelihood, r.current_consequence): r.current_band for r in scoring.annotate(Risk.objects.all())
    }
    assert bands[(3, 5)] == bands[(5, 3)] == "High"  # 15: was Extreme
    assert bands[(4, 4)] == "High"  # 16: was Extreme
    assert bands[(4, 5)] == "Extreme"  # 20
    escalated = {(r.current_likelihood, r.current_consequence) for r in escalated_risks(scoring)}
    assert escalated == {cell for cell, (score, _) in NPSA.items() if score >= 12}
    assert (3, 4) in escalated and (4, 3) in escalated  # 12 is escalated now
    assert len(risks) == 25


@pytest.mark.django_db
def test_the_heatmap_colours_follow_the_configuration():
    from risks.charts import matrix

    set_matrix(threshold=20)
    grid = matrix(Scoring.current(), counts=heatmap_counts(Risk.objects.all()))
    fills = {(c.likelihood, c.consequence): c.colour.fill for c in grid.cells}
    assert fills[(1, 1)] == "#007f3b" and fills[(5, 5)] == "#d5281b" and fills[(2, 4)] == "#ed8b00"


# --- the matrix as a schema ----------------------------------------------------------------------


def bands(*rows):
    return [{"name": n, "lowest": lo, "highest": hi, "colour": c} for n, lo, hi, c in rows]


BAD_BANDS = {
    "a gap (7 is no product, but 8 is missing)": (
        bands(
            ("Low", 1, 3, "green"), ("Moderate", 4, 6, "yellow"), ("High", 9, 12, "amber"), ("Extreme", 15, 25, "red")
        ),
        "No band holds a score of 8",
    ),
    "an overlap": (
        bands(("Low", 1, 4, "green"), ("Moderate", 4, 6, "yellow"), ("High", 8, 25, "amber")),
        "without overlapping",
    ),
    "out of order": (
        bands(("High", 8, 25, "amber"), ("Low", 1, 6, "green")),
        "without overlapping",
    ),
    "a band with no product in it": (
        bands(("Low", 1, 6, "green"), ("Odd", 7, 7, "grey"), ("High", 8, 25, "amber")),
        "would hold none",
    ),
    "a colour off the palette": (
        bands(("Low", 1, 6, "green"), ("High", 8, 25, "#ff00ff")),
        "Choose a colour",
    ),
    "the highest below the lowest": (bands(("Low", 1, 6, "green"), ("High", 25, 8, "red")), "same as or more"),
    "a score above 25": (bands(("Low", 1, 6, "green"), ("High", 8, 30, "red")), "from 1 to 25"),
    "the same name twice": (bands(("Low", 1, 6, "green"), ("low", 8, 25, "red")), "Two bands are called"),
    "no bands at all": ([], "at least one band"),
}


@pytest.mark.parametrize("case", sorted(BAD_BANDS))
def test_bands_that_do_not_hold_every_product_exactly_once_are_refused(case):
    bad, message = BAD_BANDS[case]
    problems = band_problems(bad)
    assert problems, case
    assert any(message in text for _, _, text in problems), problems


def test_the_default_bands_and_others_that_cover_every_product_are_valid():
    assert band_problems([dict(b) for b in DEFAULT_BANDS]) == []
    assert band_problems(bands(("All", 1, 25, "grey"))) == []
    assert band_problems(bands(("Low", 1, 7, "green"), ("High", 8, 25, "red"))) == []


@pytest.mark.parametrize("threshold", [0, 26, -1, None])
@pytest.mark.django_db
def test_the_escalation_threshold_is_a_whole_number_from_1_to_25(threshold):
    matrix = RiskMatrix.current()
    problems = matrix_problems(matrix.likelihood, matrix.consequence, matrix.bands, threshold)
    assert "escalation_threshold" in problems
    matrix.escalation_threshold = threshold
    with pytest.raises(ValidationError):
        matrix.full_clean()


@pytest.mark.parametrize("threshold", ["15", True, 15.5])
@pytest.mark.django_db
def test_a_threshold_stored_as_data_must_be_a_whole_number(threshold):
    matrix = RiskMatrix.current()
    assert "escalation_threshold" in matrix_problems(matrix.likelihood, matrix.consequence, matrix.bands, threshold)


@pytest.mark.django_db
def test_descriptors_need_five_names():
    matrix = RiskMatrix.current()
    matrix.likelihood = matrix.likelihood[:4]
    consequence = [dict(d) for d in matrix.consequence]
    consequence[2]["name"] = " "
    problems = matrix_problems(matrix.likelihood, consequence, matrix.bands, 15)
    assert problems["likelihood"] == ["Give the likelihood five descriptors, one for each level from 1 to 5."]
    assert problems["consequence"] == ["Enter a name for consequence 3, for example “Possible”."]
