"""The work queue's rows of Accord's cross-cutting tests (``tests/rows.py`` says what each table is)."""

from tests.rows import NOT_ALLOWED, OK, Page, everyone

# Everyone signed in has a work page: what their rights reach (a partner contributor's: their
# organisation's self-assessments and actions); nobody posts to it.
PAGES = {
    "reporting:work": Page(get=everyone(OK, contributor=OK), post=everyone(NOT_ALLOWED, contributor=NOT_ALLOWED)),
    # The dashboard: the trust's own people, partner contributors never.
    "reporting:dashboard": Page(get=everyone(OK), post=everyone(NOT_ALLOWED)),
}

# The queue's download holds what the page lists for each role (``test_work.py`` checks the rows).
PARTNER_PAGES = {"reporting:work": lambda w: [[]]}
