"""Generated malformed files: the import never crashes and never half-writes.

Whatever is uploaded (random bytes, damaged workbooks, ragged rows, huge cells, odd values),
the importer either imports a clean file completely or refuses with its own clear error
(:class:`RegisterImportError`) and leaves every table exactly as it was.
"""

import csv
import datetime
import io
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from partnerships.importing import ImportRefused, RegisterImportError, import_register
from partnerships.models import Partnership
from partnerships.spreadsheet import REGISTER_HEADERS
from partnerships.tests.importing import NHS_NUMBER, build_world, database_counts

HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
_names = itertools.count()

HEADER_WORDS = [*REGISTER_HEADERS, "Name", "Partners", "Value", "Ref", "Lead", "Type", "Comments", "Tier", ""]
CELL_WORDS = [
    "£65m",
    "c. £34m",
    "up to £2m",
    "TBC",
    "-",
    "twelve",
    "30/03/2022",
    "31/02/2022",
    "April 2022",
    "ongoing",
    "Live",
    "Ended",
    "MoU",
    "S75",
    "Zebra",
    "Oxfordshire Mind; Restore",
    "RTH, RWX",
    "Anne Clarke",
    "Nobody Known",
    "P-0001",
    "bad ref!",
    f"Patient {NHS_NUMBER}",
    "=SUM(A1:A9)",
    "'=cmd|' /C calc'!A0",
    "Yes",
]
text_cells = st.one_of(
    st.sampled_from(CELL_WORDS),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.integers(min_value=0, max_value=300_000).map(lambda n: "x" * n),  # huge cells
)
cells = st.one_of(
    st.none(),
    text_cells,
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(2200, 1, 1)),
)
grids = st.tuples(
    st.lists(st.lists(st.sampled_from(["Title", "Register", "", None]), max_size=3), max_size=3),  # title rows
    st.lists(st.sampled_from(HEADER_WORDS), max_size=12),  # the header
    st.lists(st.lists(cells, max_size=14), max_size=12),  # ragged data rows
)


@pytest.fixture
def world(users, make_user):
    return build_world(users, make_user)


def xlsx_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append([ILLEGAL_CHARACTERS_RE.sub("", v[:32000]) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([[("" if v is None else v) for v in row] for row in rows])
    return buffer.getvalue().encode("utf-8", "surrogatepass")


def attempt(tmp_path, name, content):
    """Import the file; return the plan, or None when it was refused. Anything else fails the test."""
    path = tmp_path / f"{next(_names)}-{name}"
    path.write_bytes(content)
    before = database_counts()
    try:
        plan = import_register(path)
    except RegisterImportError as error:
        assert error.message.strip()
        assert database_counts() == before, "a refused import must write nothing"
        return None
    after = database_counts()
    assert after["partnerships.Partnership"] == before["partnerships.Partnership"] + plan.created
    assert after["organisations.Organisation"] == before["organisations.Organisation"] + len(plan.new_organisations)
    return plan


@HYPOTHESIS
@given(content=st.binary(max_size=4000), extension=st.sampled_from(["csv", "xlsx"]))
def test_random_bytes(tmp_path, world, content, extension):
    attempt(tmp_path, f"random.{extension}", content)


@HYPOTHESIS
@given(grid=grids, as_xlsx=st.booleans(), delimiter=st.sampled_from([",", ";", "\t"]))
def test_random_cells_and_ragged_rows(tmp_path, world, grid, as_xlsx, delimiter):
    titles, header, data = grid
    rows = [*titles, header, *data]
    content = xlsx_bytes(rows) if as_xlsx else csv_bytes(rows, delimiter)
    attempt(tmp_path, "grid.xlsx" if as_xlsx else "grid.csv", content)


@HYPOTHESIS
@given(
    grid=grids,
    cut=st.integers(min_value=0, max_value=10_000),
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8),
)
def test_damaged_workbooks(tmp_path, world, grid, cut, flips):
    titles, header, data = grid
    content = bytearray(xlsx_bytes([*titles, header, *data]))
    for position, value in flips:
        content[position % len(content)] = value
    attempt(tmp_path, "damaged.xlsx", bytes(content[: max(cut, len(content) // 2)]))


@HYPOTHESIS
@given(
    names=st.lists(st.text(st.characters(categories=("L", "N", "Zs")), min_size=1, max_size=30), max_size=30),
    bad_at=st.integers(min_value=0),
    bad=st.sampled_from(
        [
            ["Bad money", "MoU", "Live", "lots"],
            ["Bad status", "MoU", "Zombie", ""],
            ["Bad date", "MoU", "Live", "", "31/02/2022"],
            [f"NHS {NHS_NUMBER}", "MoU", "Live", ""],
            ["", "MoU", "Live", "£1m"],
        ]
    ),
    as_xlsx=st.booleans(),
)
def test_one_bad_row_anywhere_means_nothing_is_written(tmp_path, world, names, bad_at, bad, as_xlsx):
    rows = [["Name", "Type", "Status", "Value", "Start date"]]
    rows += [[f"Partnership {name}", "Informal", "Live", "£1m"] for name in dict.fromkeys(names)]
    rows.insert(1 + bad_at % len(rows), bad)
    content = xlsx_bytes(rows) if as_xlsx else csv_bytes(rows)
    path = tmp_path / f"{next(_names)}-one-bad.{'xlsx' if as_xlsx else 'csv'}"
    path.write_bytes(content)
    before = database_counts()
    with pytest.raises(ImportRefused) as refused:
        import_register(path)
    assert refused.value.problems
    assert database_counts() == before
    assert not Partnership.objects.filter(title__startswith="Partnership ").exists()
