"""What the risks app shows on other apps' pages (registered in ``risks/apps.py``)."""

from risks.scoring import Scoring
from risks.selectors import attach_risk_profiles, load_profile


def partnership_risk_profile(request, partnership):
    """The partnership page's "Risk profile" section: its six domains and open risks."""
    return {"profile": load_profile(partnership, request.user, Scoring.for_request(request))}


def register_risk_columns(partnerships, request):
    """The register's risk profile columns for the rows of one page: one query for the page."""
    return attach_risk_profiles(partnerships, Scoring.for_request(request))
