"""Planning: every row of the file matched to the register and compared with it, nothing written.

Each row becomes a create, an update (with the changes listed) or "unchanged", and every
problem is noted against its row and column, so the preview shows them all at once. Planning
reads the register in a fixed number of queries, so 10,000 rows take seconds.
"""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import ServiceArea
from core.money import pounds
from core.permissions import permitted
from organisations.models import Organisation, normalise_name
from partnerships import parsing
from partnerships.importing.cells import SEVERAL_USERS, Ambiguous, CellReader
from partnerships.importing.columns import column_name, field_for_header
from partnerships.importing.errors import ImportFileError, Problem
from partnerships.importing.fields import CHOICE_FIELDS, FIELD_LABELS, FK_FIELDS, M2M_FIELDS, SCALAR_FIELDS
from partnerships.importing.nhs_numbers import NHS_NUMBER_PROBLEM, nhs_number_cells, tainted_columns
from partnerships.importing.plan import (
    Change,
    ImportPlan,
    LeadToConfirm,
    NewOrganisation,
    PlannedRow,
    RowData,
)
from partnerships.importing.register import Register
from partnerships.importing.totals import is_totals_row
from partnerships.models import ArrangementType, Partnership, Status, ValueQualifier
from partnerships.parsing import CellError, quote

NEW_REFERENCE = re.compile(r"P-\d+")


def build_plan(rows, header_index, mapping, user=None):
    """Plan the import of ``rows`` (from :func:`load_rows`) with the header at ``header_index``.

    ``mapping`` gives each column's register field key (or ``None`` to leave it out), as a
    list by column or a dict {column index: key}. Nothing is written. Every problem is listed
    in ``plan.problems`` (each row's also in ``plan.rows[i].problems``).
    """
    if not rows:
        raise ImportFileError("The file has no rows: there is nothing to import.")
    if not 0 <= header_index < len(rows):
        raise ImportFileError(f"The file has no row {header_index + 1} to use as its header row.")
    return Planner(rows, header_index, mapping, user=user).build()


def _money_text(value):
    return "Not known" if value is None else pounds(value)


def _date_text(value):
    return value.strftime("%d/%m/%Y") if value else "None"


def _same_text(a, b, collapse=False):
    a = (a or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    b = (b or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if collapse:
        return " ".join(a.split()) == " ".join(b.split())
    return a == b


def _row_list(rows):
    """ "4, 5, 9" (at most ten row numbers, then "and N more")."""
    return ", ".join(str(r) for r in rows[:10]) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")


def may_add_service_areas(user):
    """New service areas come with an import run by a user allowed to add them (or from the command line)."""
    return user is None or permitted(user, "add_from_import", ServiceArea)


def _same_link(new, current_id):
    """Does the row's person or service area (an unsaved new one never does) equal the one linked now?"""
    if new is None:
        return current_id is None
    return new.pk is not None and new.pk == current_id


class Planner:
    """Plans one file against the register: every row's action and every problem."""

    def __init__(self, rows, header_index, mapping, user=None):
        self.rows = rows
        self.header_index = header_index
        self.headers = list(rows[header_index]) if 0 <= header_index < len(rows) else []
        width = max((len(r) for r in rows), default=0)
        if isinstance(mapping, dict):
            mapping = [mapping.get(i) for i in range(width)]
        mapping = [m or None for m in mapping]
        self.mapping = (mapping + [None] * width)[:width]
        self.plan = ImportPlan(headers=self.headers, header_index=header_index, mapping=self.mapping, user=user)
        self.columns = {}  # field key -> column index
        self.tainted_by_row = {}  # row number -> the indexes of its cells holding an NHS number

    # -- the whole file ---------------------------------------------------------------------

    def build(self):
        self.assign_columns()
        self.note_what_is_not_imported()
        self.register = Register()
        self.cells = CellReader(self.register, may_add_service_areas(self.plan.user))
        rows = self.table_rows()
        if "service_area" in self.columns:
            self.cells.service_areas.prepare(self.column_texts(rows, self.columns["service_area"]))
        parsed = [self.read_row(number, row) for number, row in rows]
        self.match(parsed)
        self.compare(parsed)
        self.plan.rows = [data.planned for data in parsed]
        self.plan.new_organisations = self.new_organisations()
        self.plan.new_service_areas = self.new_service_areas()
        self.note_closed_organisations()
        # Title rows and the header are not imported, but an NHS number there is refused too.
        self.plan.problems += nhs_number_cells(self.rows[: self.header_index + 1], self.headers)
        self.plan.problems += [p for planned in self.plan.rows for p in planned.problems]
        return self.plan

    def table_rows(self):
        """(row number, cells) of the rows under the header that hold something, totals rows left out."""
        filled = [
            (index + 1, row)
            for index, row in enumerate(self.rows)
            if index > self.header_index and any(not parsing.is_blank(c) for c in row)
        ]
        kept = []
        for position, (number, row) in enumerate(filled):
            if is_totals_row(row, last=position == len(filled) - 1):
                self.plan.skipped.append(number)
                self.plan.notices.append(f"Row {number} looks like a totals row and was skipped.")
                self.plan.problems += nhs_number_cells([row], self.headers, first=number)
            else:
                kept.append((number, row))
        return kept

    def tainted(self, number, row):
        """The row's cells holding an NHS number, worked out once per row."""
        if number not in self.tainted_by_row:
            self.tainted_by_row[number] = tainted_columns(row)
        return self.tainted_by_row[number]

    def column_texts(self, rows, index):
        """The text cells of one column (those holding an NHS number left out: never proposed as a name)."""
        return [
            parsing.text_of(row[index])
            for number, row in rows
            if index < len(row) and not parsing.is_blank(row[index]) and index not in self.tainted(number, row)
        ]

    def new_organisations(self):
        """The organisations to create, each noting the rows that add it (in file order)."""
        for planned in self.plan.rows:
            for org in planned.add_partners:
                if isinstance(org, NewOrganisation) and (not org.rows or org.rows[-1] != planned.row):
                    org.rows.append(planned.row)
        return [new for new in self.cells.new_orgs.values() if new.rows]

    def new_service_areas(self):
        """The service areas to add: those a row to be written points at, each noting its rows."""
        by_instance = {id(new.instance): new for new in self.cells.service_areas.new.values()}
        for planned in self.plan.rows:
            if planned.instance is None or planned.hidden:
                continue
            new = by_instance.get(id(planned.instance.service_area))
            if new is not None and (planned.action == "create" or "service_area" in planned.updates):
                new.rows.append(planned.row)
        return [new for new in by_instance.values() if new.rows]

    def file_problem(self, message, column=""):
        self.plan.problems.append(Problem(None, column, message))

    def problem(self, planned, key_or_index, message):
        index = self.columns.get(key_or_index) if isinstance(key_or_index, str) else key_or_index
        column = column_name(self.headers, index) if index is not None else FIELD_LABELS.get(key_or_index, "")
        planned.problems.append(Problem(planned.row, column, message))

    # -- the columns ------------------------------------------------------------------------

    def assign_columns(self):
        """Each mapped field to its column; a field chosen for two columns, or no name column, is a problem."""
        for index, key in enumerate(self.mapping):
            if key is None:
                continue
            if key not in FIELD_LABELS:
                self.mapping[index] = None
                continue
            if key in self.columns:
                first = column_name(self.headers, self.columns[key])
                self.file_problem(
                    f"{FIELD_LABELS[key]} is chosen for two columns ({first} and {column_name(self.headers, index)}). "
                    "Choose it for one column only.",
                )
                continue
            self.columns[key] = index
        if "title" not in self.columns:
            self.file_problem(
                "No column is matched to Partnership name. Choose the column that holds each partnership's name."
            )

    def note_what_is_not_imported(self):
        """Notices for the columns left out, by name, and the defaults new partnerships get instead."""
        notices = self.plan.notices
        tier = [i for i, h in enumerate(self.headers) if field_for_header(h) == "tier"]
        if tier:
            notices.append(
                "Tier is worked out by Accord from the value and strategic contribution, "
                "so the Tier column is not imported."
            )
        self.plan.not_imported = [
            column_name(self.headers, index)
            for index, key in enumerate(self.mapping)
            if key is None and index not in tier and self.column_has_content(index)
        ]
        if self.plan.not_imported:
            notices.append(f"Not imported: {', '.join(self.plan.not_imported)}.")
        if "arrangement_type" not in self.columns:
            notices.append("No column is matched to Type of arrangement: new partnerships will be recorded as “Other”.")
        if "status" not in self.columns:
            notices.append("No column is matched to Status: new partnerships will be recorded as “Proposed”.")
        if "value_qualifier" in self.columns and "annual_value" not in self.columns:
            notices.append("The value qualifier column is not imported because no column holds the annual value.")
            del self.columns["value_qualifier"]
        if "partners" in self.columns:
            notices.append(
                "Partners in the file are added to each partnership. An import never removes a partner "
                "that is already recorded, and existing partners keep their roles."
            )

    def column_has_content(self, index):
        """Does the column hold anything in the header row or below it?"""
        return any(index < len(row) and not parsing.is_blank(row[index]) for row in self.rows[self.header_index :])

    # -- one row ----------------------------------------------------------------------------

    def read_row(self, number, row):
        """Parse one data row: each mapped cell read, each problem noted against its column."""
        planned = PlannedRow(row=number)
        data = RowData(planned, {}, self.tainted(number, row), set())
        for index in sorted(data.tainted):
            self.problem(planned, index, NHS_NUMBER_PROBLEM)
        planned.hidden = bool(data.tainted)
        for key, index in self.columns.items():
            if index in data.tainted:
                data.failed.add(key)
                continue
            try:
                data.values[key] = self.cells.parse(key, row[index] if index < len(row) else None)
            except CellError as error:
                data.failed.add(key)
                self.problem(planned, key, error.message)
        self.settle_value(planned, data.values)
        self.settle_lead(data)
        if "title" in self.columns and "title" not in data.failed and not data.values.get("title"):
            data.failed.add("title")
            self.problem(planned, "title", "Enter the partnership's name: every row needs one.")
        planned.title = data.values.get("title", "")
        planned.reference = data.values.get("reference", "")
        return data

    def settle_value(self, planned, values):
        """One qualifier and one note for the annual value, from the value cell or their own columns.

        "c. £5k" in the value cell and "Approximate" in a qualifier column agree; a remark in the
        value cell ("0 - in-kind support") is the value's note unless a note column says otherwise.
        """
        if "annual_value" not in values:
            values.pop("value_qualifier", None)
            return
        amount, qualifier, note = values.pop("annual_value")
        column_qualifier = values.pop("value_qualifier", "")
        if amount is None:
            qualifier = ValueQualifier.EXACT
        elif column_qualifier and qualifier != ValueQualifier.EXACT and column_qualifier != qualifier:
            self.problem(
                planned,
                "value_qualifier",
                f"The annual value says “{ValueQualifier(qualifier).label.lower()}” but this column says "
                f"“{ValueQualifier(column_qualifier).label.lower()}”. Make them agree.",
            )
        else:
            qualifier = column_qualifier or qualifier
        column_note = values.get("value_note", "")
        if note and column_note and normalise_name(note) != normalise_name(column_note):
            self.problem(
                planned,
                "value_note",
                f"The annual value's cell says {quote(note)} but this column says {quote(column_note)}. "
                "Make them agree, or leave one of them blank.",
            )
        values["annual_value"], values["value_qualifier"] = amount, qualifier
        values["value_note"] = column_note or note

    def settle_lead(self, data):
        """The lead as the file writes it is kept; the user it names is linked only when there is one.

        Without a "Lead as recorded" column the lead cell's text is the recorded lead. A lead no
        user can be linked to leaves the partnership's link as it is, to be confirmed later.
        """
        if "lead" not in data.values:
            return
        lead = data.values.pop("lead")
        recorded = data.values.get("recorded_lead", "")
        if "recorded_lead" not in self.columns or (lead.user is None and not recorded):
            data.values["recorded_lead"] = lead.text
        elif lead.user is None and lead.text and normalise_name(lead.text) != normalise_name(recorded):
            self.problem(
                data.planned,
                "lead",
                f"No user can be linked to {quote(lead.text)}, and the lead as recorded says {quote(recorded)}. "
                "Make them agree, or leave one of them blank.",
            )
        if lead.user is not None or not lead.text:
            data.values["lead"] = lead.user
        else:
            data.unlinked_lead = lead

    def resolve_people(self, data, current):
        """Settle cells naming several users: the current holder if among them, else a problem (a
        sponsor) or a lead to confirm."""
        lead = data.unlinked_lead
        held = getattr(current, "lead_id", None) if current is not None else None
        if lead is not None and lead.reason == SEVERAL_USERS and held in lead.candidates:
            data.values["lead"], data.unlinked_lead = self.register.users[held], None
        value = data.values.get("executive_sponsor")
        if not isinstance(value, Ambiguous):
            return
        held = getattr(current, "executive_sponsor_id", None) if current is not None else None
        if held in value.user_ids:
            data.values["executive_sponsor"] = self.register.users[held]
        else:
            del data.values["executive_sponsor"]
            data.failed.add("executive_sponsor")
            self.problem(
                data.planned,
                "executive_sponsor",
                f"More than one user is called {quote(value.text)}. Write their username or e-mail address instead.",
            )

    def note_lead_to_confirm(self, data, current):
        """A lead the file names whom no single active user matches: kept as text and listed."""
        lead, planned = data.unlinked_lead, data.planned
        kept = getattr(current, "lead", None) if current is not None else None
        self.plan.leads_to_confirm.append(
            LeadToConfirm(planned.row, planned.reference, planned.title, lead.text, lead.reason, str(kept or ""))
        )

    # -- matching rows to the register ------------------------------------------------------

    def match(self, parsed):
        """Find each row's partnership (by reference, or by title without a reference column)."""
        seen = {}
        matched_ids = {}
        for data in parsed:
            found = self.find_existing(data, seen)
            if found is not None:
                matched_ids[data.planned.row] = found
        self.register.load_matched(set(matched_ids.values()), self.columns)
        for data in parsed:
            if data.planned.row in matched_ids:
                data.planned.instance = self.register.matched[matched_ids[data.planned.row]]
        self.number_new_rows(parsed)

    def find_existing(self, data, seen):
        """The id of the partnership a row names, or None; ``seen`` catches a row naming one twice.

        By its reference, or by its name when it has none (no Reference column, or a blank cell):
        a register re-imported without references updates the partnerships it created.
        """
        planned, values, register = data.planned, data.values, self.register
        if values.get("reference") or "reference" in data.failed:
            key = values.get("reference")
            if not key:
                return None
            label, column = key, "reference"
            found = register.by_reference.get(key)
        else:
            title = values.get("title")
            if not title:
                return None
            key = normalise_name(title)
            label, column = quote(title), "title"
            candidates = register.by_title.get(key, [])
            if len(candidates) > 1:
                self.problem(
                    planned,
                    "title",
                    f"{len(candidates)} partnerships on the register are called {label}. Write the reference of "
                    "the one this row is about in a Reference column.",
                )
                return None
            found = candidates[0] if candidates else None
        if key in seen:
            self.problem(planned, column, f"{label} is also on row {seen[key]}. Each partnership can appear only once.")
            return None
        seen[key] = planned.row
        return found

    def number_new_rows(self, parsed):
        """New partnerships without a reference get the next free ones, in file order."""
        numbers = [int(r[2:]) for r in self.register.by_reference if NEW_REFERENCE.fullmatch(r)]
        numbers += [
            int(d.values["reference"][2:]) for d in parsed if NEW_REFERENCE.fullmatch(d.values.get("reference") or "")
        ]
        highest = max(numbers, default=0)
        for data in parsed:
            if data.planned.instance is None and not data.values.get("reference") and "reference" not in data.failed:
                highest += 1
                data.values["reference"] = data.planned.reference = f"P-{highest:04d}"

    def note_closed_organisations(self):
        """Closed organisations (a CCG after 2022) are linked as the file says, but the preview says so."""
        closed = {}
        for planned in self.plan.rows:
            for org in planned.add_partners:
                if isinstance(org, Organisation) and getattr(org, "closed_on", None):
                    closed.setdefault(org.name, []).append(planned.row)
        for name, rows in closed.items():
            self.plan.notices.append(
                f"{name} has closed, but row{'s' if len(rows) > 1 else ''} {_row_list(rows)} "
                f"add{'' if len(rows) > 1 else 's'} it as a partner. Check this is right."
            )

    # -- comparing rows with the register ---------------------------------------------------

    def compare(self, parsed):
        now = timezone.now()
        user = self.plan.user if getattr(self.plan.user, "pk", None) else None
        for data in parsed:
            planned = data.planned
            self.resolve_people(data, planned.instance)
            if planned.hidden:
                planned.action, planned.instance = "refused", None
                continue
            if data.unlinked_lead is not None:
                self.note_lead_to_confirm(data, planned.instance)
            self.check_retired(data)
            if planned.instance is None:
                self.plan_create(planned, data.values, now, user)
            else:
                self.plan_update(planned, data.values)
            self.check_rules(planned)

    def check_retired(self, data):
        """People who have left and list entries no longer in use stay where they are, but are not newly chosen."""
        instance, values = data.planned.instance, data.values
        for key, what in (("lead", "user"), ("executive_sponsor", "user"), ("service_area", "service area")):
            item = values.get(key)
            if item is None or getattr(item, "is_active", True):
                continue
            if instance is None or getattr(instance, f"{key}_id") != item.pk:
                del values[key]
                message = (
                    f"{item} no longer has an active account. Name someone who does, or leave the cell blank."
                    if what == "user"
                    else f"“{item}” is no longer in use. Choose a current service area, or leave the cell blank."
                )
                self.problem(data.planned, key, message)
        for name in M2M_FIELDS:
            items = values.get(name) or []
            held = self.register.existing_m2m[name].get(instance.pk, set()) if instance is not None else set()
            retired = [str(i) for i in items if not i.is_active and i.pk not in held]
            if retired:
                del values[name]
                listed = ", ".join(f"“{r}”" for r in retired)
                self.problem(
                    data.planned,
                    name,
                    f"{listed} {'is' if len(retired) == 1 else 'are'} no longer in use. Leave it out.",
                )

    def plan_create(self, planned, values, now, user):
        planned.action = "create"
        instance = Partnership(
            reference=values.get("reference", ""),
            arrangement_type=ArrangementType.OTHER,
            status=Status.PROPOSED,
            status_changed_at=now,
            status_changed_by=user,
        )
        for key in SCALAR_FIELDS:
            if key in values:
                setattr(instance, key, values[key])
        planned.instance = instance
        for name in M2M_FIELDS:
            if values.get(name):
                planned.m2m[name] = {o.pk for o in values[name]}
        planned.add_partners = list(values.get("partners", []))

    def plan_update(self, planned, values):
        instance = planned.instance
        planned.reference = instance.reference
        changes = self.scalar_changes(planned, values) + self.m2m_changes(planned, values)
        if "partners" in values:
            changes += self.partner_changes(planned, values["partners"])
        planned.changes = changes
        planned.action = "update" if changes else "unchanged"
        if not changes:
            planned.instance = None  # nothing to write

    def scalar_changes(self, planned, values):
        """The partnership's own fields the row changes: noted in ``planned.updates`` and set on it."""
        instance, changes = planned.instance, []
        for key in SCALAR_FIELDS:
            if key not in values:
                continue
            new, old = values[key], getattr(instance, key)
            if key in FK_FIELDS:
                same = _same_link(new, getattr(instance, f"{key}_id"))
            elif key in ("title", "purpose", "notes"):
                same = _same_text(old, new, collapse=key == "title")
            else:
                same = old == new
            if not same:
                changes.append(Change(key, FIELD_LABELS.get(key, key), self.display(key, old), self.display(key, new)))
                planned.updates[key] = new
                setattr(instance, key, new)
        return changes

    def m2m_changes(self, planned, values):
        """The objectives and BAF themes the row replaces (the file's list is the whole list)."""
        changes = []
        for name in M2M_FIELDS:
            if name not in values:
                continue
            new_ids = {o.pk for o in values[name]}
            old_ids = self.register.existing_m2m[name].get(planned.instance.pk, set())
            if new_ids != old_ids:
                planned.m2m[name] = new_ids
                changes.append(
                    Change(name, FIELD_LABELS[name], self.listing(name, old_ids), self.listing(name, new_ids))
                )
        return changes

    def partner_changes(self, planned, partners):
        """Partners the row adds: an import never removes one, so those already linked are kept."""
        current = self.register.existing_partners.get(planned.instance.pk, set())
        planned.kept_partners = len(current)
        planned.add_partners = [o for o in partners if not (isinstance(o, Organisation) and o.pk in current)]
        if not planned.add_partners:
            return []
        added = "; ".join(o.name for o in planned.add_partners)
        return [Change("partners", FIELD_LABELS["partners"], "", f"adds {added}")]

    def display(self, key, value):
        if value is None or value == "":
            return "Not known" if key == "annual_value" else "None"
        if key == "annual_value":
            return _money_text(value)
        if isinstance(value, datetime.date):
            return _date_text(value)
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if key in CHOICE_FIELDS:
            return str(dict(Partnership._meta.get_field(key).flatchoices).get(value, value))
        if isinstance(value, Decimal):
            return str(value)
        text = " ".join(str(value).split())
        return text if len(text) <= 80 else text[:79] + "…"

    def listing(self, name, ids):
        model = Partnership._meta.get_field(name).related_model
        items = {
            "strategic_objectives": {o.pk: o for o in self.register.objectives},
            "baf_themes": {t.pk: t for t in self.register.baf_themes.values()},
        }[name]
        labels = sorted(str(items[i]) if i in items else str(model(pk=i)) for i in ids)
        return "; ".join(labels) or "None"

    def check_rules(self, planned):
        """The register's own rules (end after start, closed needs an end date, ...)."""
        instance = planned.instance
        if instance is None:
            return
        try:
            instance.clean()
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                column_key = key
                if key == "end_date" and instance.status == Status.CLOSED and "end_date" not in self.columns:
                    column_key = "status"
                for message in messages:
                    self.problem(planned, column_key, message)
