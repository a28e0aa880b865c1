"""Cross-cutting records: the audit trail, the trust's reference lists, and what every uploaded
document is (:class:`Document`, the parent of agreement and IG documents)."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from core.append_only import AppendOnlyError as AppendOnlyError  # where callers have imported it from
from core.append_only import AppendOnlyModel, AppendOnlyQuerySet
from core.audit import readable
from core.documents import document_path, document_storage
from core.validators import reject_nhs_number


class AuditEntryQuerySet(AppendOnlyQuerySet):
    def for_object(self, obj):
        """Entries about ``obj`` itself and about its children (partners, headlines, ...)."""
        ct = ContentType.objects.get_for_model(obj.__class__)
        return self.filter(models.Q(object_type=ct, object_id=obj.pk) | models.Q(parent_type=ct, parent_id=obj.pk))


class AuditEntry(AppendOnlyModel):
    """One create, update or delete of one record: who, when, what, before and after.

    The user's name and the object's label are copied in so the entry still reads correctly
    after either is deleted; the foreign keys deliberately have no database constraint and are
    never cascaded. Updates and deletes are refused here and by database triggers.
    """

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"

    timestamp = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    user_name = models.CharField(max_length=150, blank=True)
    request_id = models.UUIDField(null=True, blank=True, db_index=True)
    source = models.CharField(max_length=20, default="system")
    # The API token a change came through (``source`` "api"): its id and label, copied in so the
    # entry still says which after the token is revoked. Nullable, so adding them kept the table
    # (and its append-only triggers) as it was.
    token_id = models.BigIntegerField(null=True, blank=True)
    token_name = models.CharField(max_length=120, null=True, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.ForeignKey(ContentType, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    object_id = models.BigIntegerField()
    object_label = models.CharField(max_length=300)
    parent_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    parent_id = models.BigIntegerField(null=True, blank=True)
    parent_label = models.CharField(max_length=300, blank=True)
    changed_fields = models.JSONField(default=list)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-timestamp", "-id"]
        # Django's internal manager would otherwise bypass the append-only queryset.
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["parent_type", "parent_id"]),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.get_action_display()} {self.object_label} by {self.user_name or 'system'}"

    def through(self):
        """How the change was made: "web", "import", … and, for the API, with which token."""
        if self.token_name:
            return f"{self.source}, token {self.token_name}"
        return self.source

    def changes(self):
        """(field label, before, after) for display: each field by its label, in the model's own
        words, and each value as the pages show it (``core.audit.readable``)."""
        before, after = self.before or {}, self.after or {}
        model = self.object_type.model_class()
        rows = []
        for name in self.changed_fields:
            model_field = _model_field(model, name)
            label = capfirst(model_field.verbose_name) if model_field is not None else name
            rows.append((label, readable(model_field, before.get(name)), readable(model_field, after.get(name))))
        return rows


def _model_field(model, name):
    """The model's field called ``name``; ``None`` if the model or the field is gone."""
    try:
        return model._meta.get_field(name)
    except (AttributeError, FieldDoesNotExist):
        return None


class ReferenceItem(models.Model):
    """An entry of a list the administrator keeps (objectives, BAF themes, service areas)."""

    name = models.CharField(max_length=200, validators=[reject_nhs_number])
    is_active = models.BooleanField(
        default=True, help_text="Inactive entries stay on existing records but cannot be chosen."
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """An entry's page is its edit page on the administration's reference lists."""
        return reverse(f"core:{self._meta.model_name}_edit", args=[self.pk])

    def clean(self):
        self.name = " ".join((self.name or "").split())
        clash = type(self).objects.filter(name__iexact=self.name).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError({"name": f"“{self.name}” is already on this list."})


class StrategicObjective(ReferenceItem):
    number = models.PositiveSmallIntegerField(unique=True, help_text="As numbered in board papers.")
    description = models.CharField(max_length=300, blank=True, validators=[reject_nhs_number])

    class Meta(ReferenceItem.Meta):
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}) {self.name}"


class BafRiskTheme(ReferenceItem):
    """A strategic risk theme of the Board Assurance Framework."""

    strategic_objective = models.ForeignKey(
        StrategicObjective, null=True, blank=True, on_delete=models.PROTECT, related_name="baf_themes"
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = "BAF risk theme"


class ServiceArea(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        pass


class TierThresholds(models.Model):
    """The annual values that set a partnership's tier. One row, edited by an administrator."""

    tier1_min_value = models.DecimalField(
        "Tier 1 from (£ a year)", max_digits=14, decimal_places=2, default=Decimal("1000000")
    )
    tier2_min_value = models.DecimalField(
        "Tier 2 from (£ a year)", max_digits=14, decimal_places=2, default=Decimal("100000")
    )

    class Meta:
        verbose_name = "tier thresholds"
        verbose_name_plural = "tier thresholds"

    def __str__(self):
        return f"Tier 1 from £{self.tier1_min_value:,.0f}, Tier 2 from £{self.tier2_min_value:,.0f}"

    def get_absolute_url(self):
        return reverse("core:tierthresholds_edit")

    def clean(self):
        if self.tier2_min_value is not None and self.tier2_min_value < 0:
            raise ValidationError({"tier2_min_value": "Enter an amount of £0 or more."})
        if (
            self.tier1_min_value is not None
            and self.tier2_min_value is not None
            and self.tier1_min_value <= self.tier2_min_value
        ):
            raise ValidationError({"tier1_min_value": "The Tier 1 threshold must be higher than the Tier 2 threshold."})

    @classmethod
    def current(cls):
        """The thresholds in force: the saved row, or the defaults until one is saved.

        Reading never writes, so a page that shows a tier cannot change the database.
        """
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class DocumentQuerySet(models.QuerySet):
    """A document is "owned" by whoever owns its parent (the agreement's or IG item's partnership)."""

    def owned_by(self, user):
        parent = self.model._meta.get_field(self.model.parent_field).related_model
        return self.filter(**{f"{self.model.parent_field}__in": parent._default_manager.owned_by(user)})


class Document(models.Model):
    """One uploaded file of a parent record (an agreement, an IG item). Files are only ever added:
    a new file is the next version, and every version stays downloadable.

    A subclass adds the foreign key to its parent, named by ``parent_field`` (``related_name``
    "documents"), and names its permission-checked download page (``download_url_name``).
    Checking, storing and serving the bytes is ``core.documents``'.
    """

    parent_field = None
    download_url_name = None

    version = models.PositiveSmallIntegerField(editable=False)
    file = models.FileField(upload_to=document_path, storage=document_storage, max_length=200, editable=False)
    original_name = models.CharField(max_length=200, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveBigIntegerField(editable=False)
    sha256 = models.CharField("SHA-256 checksum", max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def parent(self):
        return getattr(self, self.parent_field)

    @property
    def label(self):
        """What the document is called in lists: its title where it has one, else its file name."""
        return self.original_name

    def get_absolute_url(self):
        return reverse(self.download_url_name, args=[self.pk])
