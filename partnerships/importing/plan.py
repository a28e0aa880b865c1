"""The plan of an import: what each row of the file will do, and every problem found.

A plan is built by :func:`partnerships.importing.planner.build_plan` without writing anything,
shown on the preview page, and written by :func:`partnerships.importing.writing.commit_plan`.
"""

from dataclasses import dataclass, field

from core.models import ServiceArea
from organisations.models import Organisation
from partnerships.models import Partnership


@dataclass
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass
class NewOrganisation:
    """A partner the file names that is not on the register yet: created when the plan is written."""

    name: str
    ods_code: str | None
    rows: list = field(default_factory=list)
    instance: Organisation | None = None


@dataclass
class NewServiceArea:
    """A service area (directorate) the file names that is not on Accord's list: added with the plan.

    ``instance`` is the unsaved entry the planned partnerships point at; writing saves it first.
    """

    name: str
    instance: ServiceArea
    rows: list = field(default_factory=list)


@dataclass
class LeadToConfirm:
    """A lead the file names whom no user could be linked to: kept as text, for the coordinator to confirm."""

    row: int
    reference: str
    title: str
    text: str  # the lead as the file writes it
    reason: str
    kept: str = ""  # the user the partnership stays linked to, if it has one


@dataclass
class PlannedRow:
    row: int
    action: str = "create"  # create | update | unchanged
    reference: str = ""
    title: str = ""
    hidden: bool = False  # holds an NHS number: never shown, never written
    problems: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    instance: Partnership | None = None
    updates: dict = field(default_factory=dict)  # field -> new value, for an existing partnership
    m2m: dict = field(default_factory=dict)  # name -> set of ids, only when it changes
    add_partners: list = field(default_factory=list)  # Organisation or NewOrganisation
    kept_partners: int = 0  # existing partner links this row leaves in place


@dataclass
class RowData:
    """One data row while it is planned: its parsed values and which of its cells failed."""

    planned: PlannedRow
    values: dict  # field key -> parsed value, for the mapped columns that could be read
    tainted: set  # column indexes holding an NHS number
    failed: set  # field keys whose cell could not be read
    unlinked_lead: object = None  # the row's LeadCell when no single active user could be linked


@dataclass
class ImportPlan:
    headers: list
    header_index: int
    mapping: list  # one register field key (or None) per column
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    new_organisations: list = field(default_factory=list)
    new_service_areas: list = field(default_factory=list)
    leads_to_confirm: list = field(default_factory=list)
    not_imported: list = field(default_factory=list)  # the names of the columns left out
    skipped: list = field(default_factory=list)  # totals rows: recognised and not imported
    user: object = None
    committed: bool = False

    @property
    def header_row(self):
        return self.header_index + 1

    def count(self, action):
        return sum(1 for r in self.rows if r.action == action)

    @property
    def created(self):
        return self.count("create")

    @property
    def updated(self):
        return self.count("update")

    @property
    def unchanged(self):
        return self.count("unchanged")

    @property
    def to_write(self):
        return self.created + self.updated

    def summary(self):
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "new_organisations": len(self.new_organisations),
            "new_service_areas": len(self.new_service_areas),
            "leads_to_confirm": len(self.leads_to_confirm),
            "problems": len(self.problems),
        }
