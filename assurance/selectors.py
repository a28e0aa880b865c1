"""The IG status of partnerships: which items are required, and whether each is in place.

For a partnership that is not closed, each item the requirements matrix marks as required for its
arrangement type and level of data sharing is:

- a recorded item (DPIA, joint controller arrangement, Caldicott approval, privacy notice, ROPA):
  **in place** when its IG record is in place and its review date is today or later (no review
  date: in place); **expired** when in place but the review date has passed; **in progress** when
  recorded as in progress; **missing** when there is no record;
- an information sharing agreement or a data processing agreement: the same from its IG record,
  or from an agreement of that kind on the partnership, whichever is best: in force and not past
  its term end → **in place**; draft, out for comment or approved → **in progress**; expired,
  terminated, superseded, varied, or in force past its term end → **expired**;
- the partners' DSPT: from every partner organisation but the home trust, the worst of them
  (``organisations.dspt.assessment``): a partner with no status, "Not published" or "Standards Not
  Met" → **missing**; otherwise a partner whose assessment is older than the one expected today
  (``organisations.dspt.expected_year``: the newest year whose 30 June deadline has passed) →
  **expired**; otherwise a partner at "Approaching Standards" → **in progress**; otherwise (every
  partner at Standards Met or Exceeded, current) **in place**. No partner recorded → missing.

A partnership whose level of data sharing is not recorded has one gap, "Level of data sharing not
assessed", whatever its type. A *gap* is a required item not in place. Closed partnerships have
no gaps (their status is still shown on their page).

"Today" is the date in Europe/London. The rules are written twice, on purpose: as Python over one
partnership's prefetched records (:func:`partnership_ig`, for its page, with the reasons) and as
SQL conditions over any number of partnerships (:func:`status_expression`, :func:`gap_rows`,
:func:`has_gaps`, for the gaps page, its export and the register's filter: a fixed number of
queries whatever the register's size). Tests check both against a table of cases.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, CharField, DateField, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Concat

from agreements.models import AgreementStatus
from assurance import ig_state
from assurance.defaults import default_items
from assurance.ig_state import IN_PREPARATION, requirement_matrix
from assurance.models import (
    AGREEMENT_KINDS,
    ITEMS,
    Assurance,
    IGGap,
    IGItem,
    IGItemType,
    IGRequirement,
    IGState,
    RecordedStatus,
)
from core.attention import Item
from core.dates import day, local_today
from core.permissions import scope, scope_through
from partnerships.models import ArrangementType, Partnership, Status

LEVEL_NOT_ASSESSED = "data_sharing_level"
LEVEL_NOT_ASSESSED_LABEL = "Level of data sharing not assessed"
GAP_ITEM_CHOICES = [(LEVEL_NOT_ASSESSED, LEVEL_NOT_ASSESSED_LABEL), *((i.value, i.label) for i in ITEMS)]
OPEN = [status for status in Status.values if status != Status.CLOSED]
GAP_STATUSES = (Assurance.MISSING, Assurance.IN_PROGRESS, Assurance.EXPIRED)
# Best first: when an item has several sources (an IG record and agreements), the best one counts.
PRECEDENCE = (Assurance.IN_PLACE, Assurance.IN_PROGRESS, Assurance.EXPIRED, Assurance.MISSING)


# ---------------------------------------------------------------------------------------------
# The matrix


def required_items(arrangement_type, data_sharing, matrix=None):
    """The items required for one partnership, in the matrix's order (one query without ``matrix``)."""
    if not data_sharing:
        return []
    if matrix is None:
        row = IGRequirement.objects.filter(arrangement_type=arrangement_type, data_sharing=data_sharing).first()
        required = set(row.required_items) if row else default_items(arrangement_type, data_sharing)
    else:
        required = matrix.get((arrangement_type, data_sharing), set())
    return [item for item in ITEMS if item in required]


def required_condition(item, matrix):
    """Partnerships for which the matrix requires ``item``, as a plain condition on their columns
    (no subquery); ``None`` when no cell requires it.

    One term per level of data sharing: a level at which every type of arrangement requires the
    item is the level alone. Naming every type instead made SQLite walk the index of types over
    the whole register, three times slower for the IG gaps page at 50,000 partnerships."""
    by_level = {}
    for (arrangement_type, data_sharing), items in matrix.items():
        if item in items:
            by_level.setdefault(data_sharing, set()).add(arrangement_type)
    if not by_level:
        return None
    every_type = set(ArrangementType.values)
    condition = Q()
    for data_sharing, types in sorted(by_level.items()):
        if types >= every_type:
            condition |= Q(data_sharing=data_sharing)
        else:
            condition |= Q(data_sharing=data_sharing, arrangement_type__in=sorted(types))
    return condition


# ---------------------------------------------------------------------------------------------
# One partnership, in Python (its page)


def record_status(record, today):
    if record is None:
        return Assurance.MISSING
    if record.status == RecordedStatus.IN_PROGRESS:
        return Assurance.IN_PROGRESS
    if record.review_on is None or record.review_on >= today:
        return Assurance.IN_PLACE
    return Assurance.EXPIRED


def agreement_status(agreement, today):
    if agreement.status in IN_PREPARATION:
        return Assurance.IN_PROGRESS
    if agreement.status == AgreementStatus.IN_FORCE and (
        agreement.term_end_date is None or agreement.term_end_date >= today
    ):
        return Assurance.IN_PLACE
    return Assurance.EXPIRED


def best(statuses):
    return min(statuses, key=PRECEDENCE.index, default=Assurance.MISSING)


DSPT_WORST_FIRST = (Assurance.MISSING, Assurance.EXPIRED, Assurance.IN_PROGRESS, Assurance.IN_PLACE)


@dataclass
class ItemState:
    """One required item of one partnership: its status and why."""

    item: IGItemType
    status: Assurance
    reasons: list = field(default_factory=list)
    record: IGItem | None = None
    document: object = None  # the record's latest IGDocument
    partners: list = field(default_factory=list)  # for partner DSPT: (organisation, assessment)
    partner_notes: list = field(default_factory=list)  # for partner DSPT: (organisation, why not in place)

    @property
    def label(self):
        return self.item.label

    @property
    def is_gap(self):
        return self.status != Assurance.IN_PLACE

    @property
    def recordable(self):
        return self.item != IGItemType.PARTNER_DSPT

    @property
    def status_label(self):
        return Assurance(self.status).label


def _recorded_state(item, record, agreements, today):
    sources = []
    reasons = []
    if record is not None:
        status = record_status(record, today)
        sources.append(status)
        if status == Assurance.IN_PROGRESS:
            reasons.append("Recorded as in progress.")
        elif status == Assurance.IN_PLACE:
            review = f", review by {day(record.review_on)}" if record.review_on else ""
            approved = f"Approved on {day(record.approved_on)}" if record.approved_on else "In place"
            reasons.append(f"{approved}{review}.")
        else:
            reasons.append(f"The review date, {day(record.review_on)}, has passed: review it and record the outcome.")
    for agreement in agreements:
        status = agreement_status(agreement, today)
        sources.append(status)
        if status == Assurance.IN_PLACE:
            until = f" until {day(agreement.term_end_date)}" if agreement.term_end_date else ""
            reasons.append(f"Agreement “{agreement}” is in force{until}.")
        elif status == Assurance.IN_PROGRESS:
            reasons.append(f"Agreement “{agreement}” is {agreement.get_status_display().lower()}.")
        elif agreement.status == AgreementStatus.IN_FORCE:
            reasons.append(f"Agreement “{agreement}”: its term ended on {day(agreement.term_end_date)}.")
        else:
            reasons.append(f"Agreement “{agreement}” is {agreement.get_status_display().lower()}.")
    status = best(sources)
    if status == Assurance.MISSING:
        if item in AGREEMENT_KINDS:
            reasons.append("Not recorded, neither as an IG record nor as an agreement of this kind.")
        else:
            reasons.append("Not recorded yet.")
    document = None
    if record is not None:
        documents = list(record.documents.all())
        document = documents[0] if documents else None
    return ItemState(item, status, reasons, record, document)


def _dspt_note(org, state, today):
    """Why one partner's DSPT does not count as in place."""
    if not org.dspt_status:
        return "no DSPT status recorded."
    if state == Assurance.EXPIRED:
        year = f"({org.dspt_year})" if org.dspt_year else "(no year recorded)"
        return f"{org.get_dspt_status_display()} {year} is not current: {org.dspt_not_current_reason(today)}."
    return f"{org.dspt_text}."


def _dspt_state(organisations, today):
    partners = [(org, org.dspt_assessment(today)) for org in organisations]
    if not partners:
        return ItemState(IGItemType.PARTNER_DSPT, Assurance.MISSING, ["No partner organisations recorded."])
    status = min((a for _, a in partners), key=DSPT_WORST_FIRST.index)
    notes = [(org, _dspt_note(org, state, today)) for org, state in partners if state != Assurance.IN_PLACE]
    reasons = [f"{org}: {note}" for org, note in notes]
    if status == Assurance.IN_PLACE:
        reasons.append("Every partner is at Standards Met or better in a current assessment.")
    return ItemState(IGItemType.PARTNER_DSPT, status, reasons, partners=partners, partner_notes=notes)


@dataclass
class PartnershipIG:
    """The IG section of a partnership's page."""

    level_assessed: bool
    closed: bool
    items: list  # ItemState, required items only, in the matrix's order
    other_records: list  # IG records of items not required

    @property
    def gaps(self):
        if self.closed:
            return []
        if not self.level_assessed:
            return [LEVEL_NOT_ASSESSED_LABEL]
        return [state for state in self.items if state.is_gap]


def partnership_ig(partnership, today=None, matrix=None):
    """Every required item's state, from records prefetched on ``partnership`` (``ig_items`` with
    their ``documents`` newest first, ``agreements``, ``partner_roles`` with their organisation):
    one query for the matrix row (none when ``matrix`` is given), whatever the partnership holds."""
    today = today or local_today()
    records = {record.item: record for record in partnership.ig_items.all()}
    required = required_items(partnership.arrangement_type, partnership.data_sharing, matrix)
    states = []
    for item in required:
        if item == IGItemType.PARTNER_DSPT:
            organisations = [
                r.organisation for r in partnership.partner_roles.all() if not r.organisation.is_home_trust
            ]
            states.append(_dspt_state(organisations, today))
            continue
        kind = AGREEMENT_KINDS.get(item)
        agreements = [a for a in partnership.agreements.all() if kind and a.kind == kind]
        states.append(_recorded_state(item, records.get(item), agreements, today))
    others = [record for key, record in sorted(records.items()) if key not in required]
    return PartnershipIG(
        level_assessed=bool(partnership.data_sharing),
        closed=partnership.status == Status.CLOSED,
        items=states,
        other_records=others,
    )


# ---------------------------------------------------------------------------------------------
# Any number of partnerships, in SQL (the gaps page, its export, the register's filter)


def _among(item, condition=None):
    """Partnerships whose derived row for ``item`` meets ``condition``, as ``pk IN (ids)``: the
    database reads the ids once per query, for conditions over the whole register."""
    return Q(pk__in=ig_state.partnerships_with(item, condition))


def _having(item, condition=None):
    """The same as a correlated EXISTS: one index lookup per partnership, for a page's rows."""
    rows = IGState.objects.filter(partnership=OuterRef("pk"), item=item)
    return Exists(rows if condition is None else rows.filter(condition))


def _ordered_conditions(item, today, test=_among):
    """([(condition, status), ...] in the order they are tested, the default status) for ``item``:
    each condition whether the partnership's derived row (``assurance.ig_state``) has that status
    today, written by ``test`` (:func:`_among` or :func:`_having`)."""
    conditions = ig_state.status_conditions(item, today)
    if item == IGItemType.PARTNER_DSPT:
        return [
            (~test(item), Assurance.MISSING),
            (test(item, conditions["expired"]), Assurance.EXPIRED),
            (test(item, conditions["in_progress"]), Assurance.IN_PROGRESS),
        ], Assurance.IN_PLACE
    return [
        (test(item, conditions["in_place"]), Assurance.IN_PLACE),
        (test(item, conditions["in_progress"]), Assurance.IN_PROGRESS),
        (test(item, conditions["expired"]), Assurance.EXPIRED),
    ], Assurance.MISSING


def status_expression(item, today):
    """The status of ``item`` for each partnership, as one SQL CASE (whether or not it is required):
    for the rows shown or exported, so a lookup per row."""
    ordered, default = _ordered_conditions(item, today, test=_having)
    return Case(
        *(When(condition, then=Value(status.value)) for condition, status in ordered),
        default=Value(default.value),
        output_field=CharField(),
    )


def not_in_place(item, today):
    """Partnerships for which ``item`` is not in place, as a condition."""
    return ~_among(item, ig_state.status_conditions(item, today)["in_place"])


def counted(queryset):
    """Partnerships whose IG gaps count: every one not closed (named, so the database can seek
    each status in an index that starts with it)."""
    return queryset.filter(status__in=OPEN)


def has_gaps(today):
    """Partnerships (not closed) with at least one gap today, as one condition (the register's
    filter, the work queue, the dashboard): their IG gap row (``assurance.ig_state``) starts on or
    before today. Worked out from each required item's state instead, as :func:`gap_rows` does for
    the rows it lists, it took 50 to 120 ms to count at 50,000 partnerships."""
    gapped = IGGap.objects.filter(gap_from__lte=today).values("partnership_id")
    # "Not closed" rather than each open status: with the register sorted by reference, the
    # database then walks the partnerships in that order and stops at a page of them.
    return ~Q(status=Status.CLOSED) & Q(pk__in=gapped)


LEAD_NAME = Concat(F("lead__first_name"), Value(" "), F("lead__last_name"), output_field=CharField())
GAP_FIELDS = (
    "pk",
    "reference",
    "title",
    "arrangement_type",
    "data_sharing",
    "lead_name",
    "item",
    "item_order",
    "ig_status",
)


def status_condition(item, today, statuses):
    """Partnerships for which ``item``'s status is one of ``statuses``, as a condition (no CASE),
    or ``None`` when none can be."""
    wanted = set(statuses)
    if wanted == set(GAP_STATUSES):
        return not_in_place(item, today)
    ordered, default = _ordered_conditions(item, today)
    parts, earlier = [], Q()
    for condition, status in ordered:
        if status in wanted:
            parts.append(earlier & condition)
        earlier &= ~condition
    if default in wanted:
        parts.append(earlier)
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


@dataclass(frozen=True)
class Branch:
    """The partnerships with one kind of gap: a queryset, the item and its place in the order;
    ``base`` is the queryset without the gap's condition, to read rows already known to match."""

    queryset: object
    item: str
    order: int
    today: object
    base: object = None

    def status(self):
        if self.item == LEVEL_NOT_ASSESSED:
            return Value(Assurance.MISSING.value, output_field=CharField())
        return status_expression(IGItemType(self.item), self.today)

    def rows(self, fields, with_status=True):
        annotated = self.queryset.annotate(
            item=Value(self.item, output_field=CharField()),
            item_order=Value(self.order, output_field=IntegerField()),
        )
        if "lead_name" in fields:  # only when shown or sorted by: it joins the users
            annotated = annotated.annotate(lead_name=LEAD_NAME)
        if with_status:
            annotated = annotated.annotate(ig_status=self.status())
        return annotated.order_by().values(*fields)


def _union(querysets):
    return querysets[0].union(*querysets[1:], all=True) if len(querysets) > 1 else querysets[0]


class GapRows:
    """The gaps as a sliceable, countable, sortable list for ``Paginator``.

    The database counts, sorts and slices the UNION ALL of one SELECT per item. Working out which
    partnerships lack an item means a few subqueries per partnership and item, so a page is read
    without doing that twice: :meth:`read_page` fetches the page's keys and the total in one query
    (a window count), then the page's rows with their status (a CASE of subqueries worked out only
    for the rows shown, unless the rows are sorted by status). ``count()`` and slicing then answer
    from what was read; any other slice or count is one query of its own.
    """

    def __init__(self, branches, ordering=("reference", "item_order")):
        self.branches = branches
        self.ordering = tuple(ordering)
        self._page = None  # ((start, stop), total, rows) once read

    def order_by(self, *ordering):
        return GapRows(self.branches, ordering)

    def _sorted_by_status(self):
        return any(name.lstrip("-") == "ig_status" for name in self.ordering)

    def _key_fields(self):
        """The columns a page is chosen by: its identity and the sort's columns."""
        sort = [name.lstrip("-") for name in self.ordering]
        return list(dict.fromkeys(["pk", "item", "item_order", *sort]))

    def count(self):
        if self._page is not None:
            return self._page[1]
        return _union([b.rows(("pk",), with_status=False) for b in self.branches]).count()

    def __len__(self):
        return self.count()

    def all_rows(self):
        """Every row with its status, sorted (for exports)."""
        return _union([b.rows(GAP_FIELDS) for b in self.branches]).order_by(*self.ordering)

    def __iter__(self):
        return iter(self.all_rows())

    def iterator(self, chunk_size=2000):
        return self.all_rows().iterator(chunk_size=chunk_size)

    def read_page(self, start, stop, last=False):
        """Read rows ``start``–``stop`` and the total in one query (plus one for their rows).
        Returns the total, or ``None`` when the slice is past the end (nothing is kept then).

        ``last`` reads the last page instead, whatever ``start``: in the reverse order, so the
        total and the page come in one query too, where counting first would read the whole
        list twice."""
        fields = self._key_fields()
        union = _union([b.rows(fields, with_status=self._sorted_by_status()) for b in self.branches])
        sql, params = union.query.get_compiler(using=union.db).as_sql()
        quote = connection.ops.quote_name
        size = stop - start
        order = ", ".join(
            f"{quote(n.lstrip('-'))} {'DESC' if n.startswith('-') != last else 'ASC'}" for n in self.ordering
        )
        columns = ", ".join(quote(f) for f in fields)
        # Only column names from this module, quoted, are written into the SQL; values are parameters.
        query = f"SELECT {columns}, COUNT(*) OVER () FROM ({sql}) gaps ORDER BY {order} LIMIT %s OFFSET %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(query, [*params, size, 0 if last else start])
            found = cursor.fetchall()
        if not found:
            return None
        total = found[0][-1]
        if last:
            start = (total - 1) // size * size
            stop = start + size
            found = found[: total - start][::-1]
        keys = [dict(zip(fields, row[:-1], strict=True)) for row in found]
        self._page = ((start, stop), total, self._rows_of(keys))
        return total

    def _rows_of(self, keys):
        """The full rows (with status) of the given keys, in their order: one query."""
        by_item = {}
        for key in keys:
            by_item.setdefault(key["item"], []).append(key["pk"])
        rows = _union(
            [
                Branch(b.base.filter(pk__in=by_item[b.item]), b.item, b.order, b.today).rows(GAP_FIELDS)
                for b in self.branches
                if b.item in by_item
            ]
        )
        found = {(row["pk"], row["item"]): row for row in rows}
        return [found[(key["pk"], key["item"])] for key in keys]

    def __getitem__(self, key):
        if not isinstance(key, slice):
            raise TypeError("GapRows are read a page (a slice) at a time.")
        start, stop = key.start or 0, key.stop
        if self._page is not None:
            (read_start, read_stop), total, rows = self._page
            # The paginator asks for less than a page at the end of the list.
            if read_start == start and stop <= max(read_stop, total):
                return rows[: stop - start]
        if self.read_page(start, stop) is None:
            return []
        return self._page[2]


def gap_rows(today, partnerships=None, items=None, statuses=None, matrix=None):
    """Every gap (a partnership × a required item not in place) as :class:`GapRows` of
    ``GAP_FIELDS``, each row a dict; ``None`` when nothing can match.

    ``partnerships`` (a filtered queryset) narrows the partnerships, ``items`` the items (keys of
    ``GAP_ITEM_CHOICES``) and ``statuses`` the statuses. The number of queries never depends on
    the register's size: the conditions are SQL, one SELECT per item.
    """
    matrix = requirement_matrix() if matrix is None else matrix
    base = counted(Partnership.objects.all() if partnerships is None else partnerships)
    branches = []
    wanted = set(items or [key for key, _ in GAP_ITEM_CHOICES])
    statuses = {Assurance(status) for status in (statuses or GAP_STATUSES)}
    if LEVEL_NOT_ASSESSED in wanted and Assurance.MISSING in statuses:
        branches.append(Branch(base.filter(data_sharing=""), LEVEL_NOT_ASSESSED, 0, today, base))
    for order, item in enumerate(ITEMS, start=1):
        required = required_condition(item, matrix)
        condition = status_condition(item, today, statuses) if item.value in wanted and required else None
        if condition is not None:
            branches.append(Branch(base.filter(required).filter(condition), item.value, order, today, base))
    return GapRows(branches) if branches else None


def item_label(key):
    return dict(GAP_ITEM_CHOICES).get(key, key)


# --- "needs attention" ----------------------------------------------------------------------------

EXPIRY_NOTICE_DAYS = 30  # an IG item in place needs attention this long before its review date


def gap_attention_rows(user, today):
    """The open partnerships the user looks after with at least one IG item required and not in
    place: due now."""
    partnerships = scope(user, "change", Partnership.objects.all()).filter(has_gaps(today))
    return partnerships.only(*ITEM_FIELDS).annotate(attention_due=Value(today, output_field=DateField()))


# All that ``gap_item`` reads of a partnership (its title, its page): the work queue's download reads
# 30,000 of them, and a partnership read whole (timestamps and all) took a fifth of its time.
ITEM_FIELDS = ("reference", "title")


def gap_item(partnership, today):
    return Item(
        partnership, "IG gap", "red", "An IG item its arrangement and data sharing need is not in place.", today
    )


def expiring_item_rows(user, today):
    """IG items in place, of partnerships the user looks after, whose review date is within 30
    days or has passed."""
    soon = today + datetime.timedelta(days=EXPIRY_NOTICE_DAYS)
    # Closed partnerships left out through the join, not an IN over every open one: the database
    # then reads the few items due from their index (``igitem_in_place_review``).
    items = IGItem.objects.filter(status=RecordedStatus.IN_PLACE, review_on__lte=soon).exclude(
        partnership__status=Status.CLOSED
    )
    items = scope_through(user, "change", items, "partnership", Partnership.objects.all())
    read = items.select_related("partnership").only(*EXPIRING_ITEM_FIELDS)  # what expiring_ig_item reads
    return read.annotate(attention_due=F("review_on"))


# All that ``expiring_ig_item`` reads (the item's name and status, its review date, its partnership's
# page): thousands of them in the work queue's download, each read whole with its partnership before.
EXPIRING_ITEM_FIELDS = ("item", "status", "review_on", "partnership", "partnership__reference", "partnership__title")


def expiring_ig_item(item, today):
    ended = item.review_on < today
    tag, colour = ("IG review overdue", "red") if ended else ("IG review due", "yellow")
    message = f"Its review {'was' if ended else 'is'} due on {day(item.review_on)}."
    return Item(item, tag, colour, message, item.review_on)
