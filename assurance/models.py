"""Information-governance (IG) assurance: which IG items a partnership needs, and what it has.

- :class:`IGRequirement` is the requirements matrix, kept as data by an administrator: for each
  type of arrangement and level of data sharing, which IG items are required. The defaults shipped
  (and why) are in ``assurance.defaults``; a cell with no row requires those.
- :class:`IGItem` is what a partnership has recorded for one item (a DPIA, say): in progress or in
  place, when it was approved, when it is due for review, notes, and its documents
  (:class:`IGDocument`, a ``core.models.Document``: only ever added, each the next version).

Whether each required item is in place, in progress, missing or expired is computed, never
typed, in ``assurance.selectors``: from the IG items, from the partnership's agreements (an
information sharing or data processing agreement recorded as an agreement counts), and for
"partner DSPT" from every partner organisation's recorded DSPT status (``organisations.dspt``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from agreements.models import AgreementKind
from core.dates import local_today
from core.loading import QuickPartialLoad
from core.models import Document
from core.validators import reject_nhs_number
from partnerships.models import ArrangementType, DataSharing, Partnership, PartnershipChildQuerySet


class IGItemType(models.TextChoices):
    ISA = "isa", "Information sharing agreement"
    DPIA = "dpia", "Data protection impact assessment (DPIA)"
    DPA = "dpa", "Data processing agreement"
    JOINT_CONTROLLER = "joint_controller", "Joint controller arrangement"
    CALDICOTT = "caldicott", "Caldicott Guardian approval"
    PARTNER_DSPT = "partner_dspt", "Partners' DSPT status Standards Met or better"
    PRIVACY_NOTICE = "privacy_notice", "Privacy notice updated"
    ROPA = "ropa", "Record of processing activities (ROPA) entry"


ITEMS = tuple(IGItemType)
SHORT_LABELS = {
    IGItemType.ISA: "ISA",
    IGItemType.DPIA: "DPIA",
    IGItemType.DPA: "DPA",
    IGItemType.JOINT_CONTROLLER: "Joint controller",
    IGItemType.CALDICOTT: "Caldicott",
    IGItemType.PARTNER_DSPT: "Partner DSPT",
    IGItemType.PRIVACY_NOTICE: "Privacy notice",
    IGItemType.ROPA: "ROPA",
}
# Items a person records (with a document); the partners' DSPT is read from the organisations.
RECORDED_ITEMS = tuple(item for item in ITEMS if item != IGItemType.PARTNER_DSPT)
# Items an agreement of this kind, recorded on the partnership, also evidences.
AGREEMENT_KINDS = {
    IGItemType.ISA: AgreementKind.INFORMATION_SHARING,
    IGItemType.DPA: AgreementKind.DATA_PROCESSING,
}


class Assurance(models.TextChoices):
    """The computed status of a required item."""

    IN_PLACE = "in_place", "In place"
    IN_PROGRESS = "in_progress", "In progress"
    MISSING = "missing", "Missing"
    EXPIRED = "expired", "Expired"


class IGRequirement(models.Model):
    """One cell of the requirements matrix: an arrangement type at a level of data sharing.

    One boolean per IG item, named after the item (``IGItemType``). A cell with no row requires the
    defaults of ``assurance.defaults``.
    """

    arrangement_type = models.CharField(max_length=40, choices=ArrangementType.choices)
    data_sharing = models.CharField("level of data sharing", max_length=20, choices=DataSharing.choices)
    isa = models.BooleanField(IGItemType.ISA.label, default=False)
    dpia = models.BooleanField(IGItemType.DPIA.label, default=False)
    dpa = models.BooleanField(IGItemType.DPA.label, default=False)
    joint_controller = models.BooleanField(IGItemType.JOINT_CONTROLLER.label, default=False)
    caldicott = models.BooleanField(IGItemType.CALDICOTT.label, default=False)
    partner_dspt = models.BooleanField(IGItemType.PARTNER_DSPT.label, default=False)
    privacy_notice = models.BooleanField(IGItemType.PRIVACY_NOTICE.label, default=False)
    ropa = models.BooleanField(IGItemType.ROPA.label, default=False)

    class Meta:
        verbose_name = "IG requirement"
        verbose_name_plural = "IG requirements"
        ordering = ["arrangement_type", "data_sharing"]
        constraints = [
            models.UniqueConstraint(fields=["arrangement_type", "data_sharing"], name="one_requirement_per_cell")
        ]

    def __str__(self):
        return f"{self.get_arrangement_type_display()}, {self.get_data_sharing_display().lower()}"

    def get_absolute_url(self):
        return reverse("assurance:requirements")

    @property
    def required_items(self):
        return [item for item in ITEMS if getattr(self, item.value)]


class RecordedStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    IN_PLACE = "in_place", "In place"


class IGItem(QuickPartialLoad, models.Model):
    """What a partnership has for one IG item: its status, dates, notes and documents."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="ig_items")
    item = models.CharField("IG item", max_length=30, choices=[(i.value, i.label) for i in RECORDED_ITEMS])
    status = models.CharField(max_length=20, choices=RecordedStatus.choices, default=RecordedStatus.IN_PROGRESS)
    approved_on = models.DateField("approved on", null=True, blank=True)
    review_on = models.DateField(
        "review date", null=True, blank=True, help_text="After this date the item no longer counts as in place."
    )
    notes = models.TextField(blank=True, validators=[reject_nhs_number])

    objects = PartnershipChildQuerySet.as_manager()

    class Meta:
        verbose_name = "IG item"
        verbose_name_plural = "IG items"
        ordering = ["partnership", "item"]
        constraints = [models.UniqueConstraint(fields=["partnership", "item"], name="one_ig_item_per_partnership")]
        # The work queue's "IG items to review": items in place by review date, soonest first.
        indexes = [
            models.Index(
                fields=["review_on", "partnership"],
                condition=models.Q(status="in_place"),
                name="igitem_in_place_review",
            )
        ]

    def __str__(self):
        # The enums' labels, not get_status_display(), which flattens the field's choices every time it is
        # asked (the work queue's download names tens of thousands of items).
        return f"{IGItemType(self.item).label}: {RecordedStatus(self.status).label.lower()}"

    def get_absolute_url(self):
        return f"{self.partnership.get_absolute_url()}#information-governance"

    def clean(self):
        errors = {}
        if self.status == RecordedStatus.IN_PLACE:
            if not self.approved_on:
                errors["approved_on"] = "Enter the date it was approved: an item in place needs one."
            if not self.review_on:
                errors["review_on"] = (
                    "Enter the review date: an item in place needs one, so Accord can tell when it expires."
                )
        if self.approved_on and self.approved_on > local_today():
            errors.setdefault("approved_on", "The approval date cannot be in the future.")
        if self.approved_on and self.review_on and self.review_on < self.approved_on:
            errors.setdefault("review_on", "The review date must be the same as or after the approval date.")
        if errors:
            raise ValidationError(errors)


class IGState(models.Model):
    """What one partnership's records say of one IG item, as dates: derived, never typed in, kept in
    step with the records by ``assurance.ig_state`` (which says why it exists)."""

    # No database foreign key: the rows of a partnership being deleted are removed after it
    # (``ig_state._partnership_deleted``), so a refresh sent during the delete cannot block it.
    partnership = models.ForeignKey(Partnership, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    item = models.CharField(max_length=30, choices=[(i.value, i.label) for i in ITEMS])
    in_place_until = models.DateField(null=True)
    in_progress = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "item"], name="one_ig_state_per_item")]
        indexes = [models.Index(fields=["item", "in_place_until", "in_progress", "partnership"], name="igstate_idx")]

    def __str__(self):
        return f"IG state: {IGItemType(self.item).label}"

    @property
    def key(self):
        return (self.partnership_id, self.item)


class IGGap(models.Model):
    """The first day a partnership has an IG gap, its records being as they are: derived, never
    typed in, kept in step with its IG state, its arrangement type and level of data sharing and
    the requirements matrix by ``assurance.ig_state``. No row: no gap however long (every item
    required is in place with no end, or none is required)."""

    # As IGState's: no database foreign key, the row removed after its partnership.
    partnership = models.ForeignKey(Partnership, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    gap_from = models.DateField("IG gap from")

    class Meta:
        verbose_name = "IG gap"
        constraints = [models.UniqueConstraint(fields=["partnership"], name="one_ig_gap_per_partnership")]
        indexes = [models.Index(fields=["gap_from", "partnership"], name="iggap_from")]

    def __str__(self):
        if self.gap_from == datetime.date.min:  # ``ig_state.ALWAYS``
            return "IG gap: a required item is not in place"
        return f"IG gap from {self.gap_from:%d/%m/%Y}"

    @property
    def key(self):
        return self.partnership_id


class IGDocument(Document):
    """One uploaded file evidencing an IG item. Only ever added: a new file is the next version."""

    parent_field = "item"
    download_url_name = "assurance:document"

    item = models.ForeignKey(IGItem, on_delete=models.PROTECT, related_name="documents")

    class Meta:
        verbose_name = "IG document"
        verbose_name_plural = "IG documents"
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["item", "version"], name="one_ig_document_version")]

    def __str__(self):
        return f"{IGItemType(self.item.item).label} v{self.version} ({self.original_name})"
