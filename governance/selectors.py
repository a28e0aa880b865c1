"""Reads of governance that more than one page (and later the coordinator's work queue) ask."""

from django.db.models import Exists, OuterRef

from governance import rules
from governance.models import Decision, DecisionStatus, ItemDeclaration


def decisions_for_review(decisions=None):
    """Closed decisions on whose item a member declared, after the close, an interest that would
    have barred them: the result stands (DECISIONS.md), the decision is flagged for review."""
    decisions = Decision.objects.all() if decisions is None else decisions
    late = ItemDeclaration.objects.filter(
        item=OuterRef("item"),
        declared_at__gt=OuterRef("closed_at"),
        management__in=[c.value for c in rules.BARS_VOTING],
    )
    return decisions.filter(status=DecisionStatus.CLOSED).filter(Exists(late))
