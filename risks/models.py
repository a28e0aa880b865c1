"""Risk profiles: each partnership's risks in six domains, scored on the NHS 5×5 matrix.

A risk belongs to a partnership and to one of the six domains the trust frames its partnership
risks around (the seed "Trust partnerships update report"). It is scored three times, each a
likelihood and a consequence from 1 to 5: inherent (before controls), current (with the controls
in place) and target (after the further actions). Score, band and escalation are computed from
the matrix in force (``RiskMatrix``, ``risks.scoring``), never stored. A lead who finds no
significant risk in a domain records that (``NoSignificantRisk``), which counts as assessed.

The rules hold for every path that saves through ``full_clean`` (the pages, the services):
the target may not be above the current score; the current score may be above the inherent one
only with a reason; a current score at or above the escalation threshold needs a BAF risk theme.
The database itself refuses positions off the matrix, a target above the current score, a higher
current score without a reason, and a closed risk without a closing date.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone

from core.dates import local_today
from core.links import reverse_pk
from core.models import BafRiskTheme
from core.validators import reject_nhs_number
from partnerships.models import Partnership, PartnershipChildQuerySet
from risks import scoring


class RiskDomain(models.TextChoices):
    PATIENT_SAFETY = "patient_safety", "Patient safety"
    STAFF_WELLBEING = "staff_wellbeing", "Staff wellbeing"
    INFORMATION_GOVERNANCE = "information_governance", "Information governance (data security)"
    FINANCES = "finances", "Finances"
    SYSTEMS = "systems", "Systems"
    REPUTATION = "reputation", "Organisational reputation"


DOMAIN_COUNT = len(RiskDomain.choices)


class Treatment(models.TextChoices):
    TREAT = "treat", "Treat: act to reduce it"
    TOLERATE = "tolerate", "Tolerate: accept it as it is"
    TRANSFER = "transfer", "Transfer: pass it to another party, for example by insurance or contract"
    TERMINATE = "terminate", "Terminate: stop the activity that gives rise to it"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


def _level(verbose_name):
    """A likelihood or consequence: a whole number from 1 to 5 (no choices, so the audit trail
    keeps the number itself, which the score-over-time chart reads back)."""
    return models.PositiveSmallIntegerField(verbose_name, validators=[MinValueValidator(1), MaxValueValidator(5)])


def _on_the_matrix(position):
    return Q(**{f"{position}_likelihood__gte": 1, f"{position}_likelihood__lte": 5}) & Q(
        **{f"{position}_consequence__gte": 1, f"{position}_consequence__lte": 5}
    )


def _score(position):
    return F(f"{position}_likelihood") * F(f"{position}_consequence")


class RiskQuerySet(PartnershipChildQuerySet):
    def open(self):
        return self.filter(status=RiskStatus.OPEN)


class Risk(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="risks")
    domain = models.CharField(max_length=30, choices=RiskDomain.choices)
    title = models.CharField(max_length=200, validators=[reject_nhs_number])
    description = models.TextField(
        validators=[reject_nhs_number],
        help_text="Cause, event and effect: “Because of …, there is a risk that …, which would lead to …”.",
    )
    owner = models.CharField(
        "risk owner", max_length=150, validators=[reject_nhs_number], help_text="The person accountable for it."
    )
    existing_controls = models.TextField(blank=True, validators=[reject_nhs_number])
    inherent_likelihood = _level("inherent likelihood")
    inherent_consequence = _level("inherent consequence")
    current_likelihood = _level("current likelihood")
    current_consequence = _level("current consequence")
    current_above_inherent_reason = models.TextField(
        "why the current score is above the inherent score",
        blank=True,
        validators=[reject_nhs_number],
        help_text="Only when the current score is higher than the inherent score.",
    )
    target_likelihood = _level("target likelihood")
    target_consequence = _level("target consequence")
    treatment = models.CharField(max_length=20, choices=Treatment.choices)
    review_date = models.DateField("next review")
    baf_theme = models.ForeignKey(
        BafRiskTheme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partnership_risks",
        verbose_name="BAF risk theme",
        help_text="Needed when the current score reaches the escalation threshold.",
    )
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN, editable=False)
    closed_on = models.DateField(null=True, blank=True, editable=False)
    closing_note = models.TextField(
        "why the risk was closed", blank=True, editable=False, validators=[reject_nhs_number]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__reference", "domain", "title", "pk"]
        indexes = [
            # The heatmap: open risks counted by current position, over the register or one domain.
            models.Index(fields=["status", "current_likelihood", "current_consequence"], name="risk_heatmap"),
            models.Index(
                fields=["domain", "status", "current_likelihood", "current_consequence"], name="risk_heatmap_domain"
            ),
            # A partnership's profile: open risks by domain, by review date, and the highest score.
            models.Index(fields=["partnership", "status", "domain"], name="risk_profile_domains"),
            models.Index(fields=["partnership", "status", "review_date"], name="risk_profile_reviews"),
            models.Index(
                fields=["partnership", "status", "current_likelihood", "current_consequence"],
                name="risk_profile_scores",
            ),
            # The work queue's "escalated, no BAF theme": risks by status, theme and current score,
            # so "open, no theme, at or above the threshold" (which the trust may change) is one
            # range of it. Whole, not partial: SQLite then prefers it to the heatmap's index, and
            # PostgreSQL keeps statistics of the score.
            models.Index(
                models.F("status"),
                models.F("baf_theme"),
                models.F("current_likelihood") * models.F("current_consequence"),
                name="risk_status_theme_score",
            ),
        ]
        constraints = [
            *[
                models.CheckConstraint(condition=_on_the_matrix(p), name=f"risk_{p}_on_the_matrix")
                for p in scoring.POSITIONS
            ],
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(_score("target"), _score("current"))),
                name="risk_target_not_above_current",
            ),
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(_score("current"), _score("inherent")))
                | ~Q(current_above_inherent_reason=""),
                name="risk_higher_current_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=RiskStatus.OPEN, closed_on__isnull=True)
                | Q(status=RiskStatus.CLOSED, closed_on__isnull=False),
                name="risk_closed_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse_pk("risks:detail", self.pk)

    @property
    def is_open(self):
        return self.status == RiskStatus.OPEN

    def is_review_overdue(self, today=None):
        return self.is_open and self.review_date is not None and self.review_date < (today or local_today())

    def positions(self, matrix_scoring):
        """(inherent, current, target), each scored and banded by the matrix in force."""
        return [matrix_scoring.assess(self, p) for p in scoring.POSITIONS]

    def clean(self):
        errors = {}
        levels = {}
        for position in scoring.POSITIONS:
            likelihood = getattr(self, f"{position}_likelihood")
            consequence = getattr(self, f"{position}_consequence")
            if likelihood in scoring.LEVELS and consequence in scoring.LEVELS:
                levels[position] = scoring.Scoring.score(likelihood, consequence)
        current, inherent, target = (levels.get(p) for p in ("current", "inherent", "target"))
        if current is not None and target is not None and target > current:
            errors["target_likelihood"] = (
                f"The target score ({self.target_likelihood} × {self.target_consequence} = {target}) cannot be "
                f"higher than the current score ({current}). The target is where the risk should be once the "
                "further actions are done: lower the target likelihood or consequence."
            )
        needs_reason = current is not None and inherent is not None and current > inherent
        if needs_reason and not (self.current_above_inherent_reason or "").strip():
            errors["current_above_inherent_reason"] = (
                f"Say why the current score ({current}) is higher than the inherent score ({inherent}): "
                "controls normally lower a risk, so a higher current score needs a reason."
            )
        if current is not None and self.status == RiskStatus.OPEN and self.baf_theme_id is None:
            matrix = scoring.Scoring.current()
            if matrix.is_escalated(current):
                errors["baf_theme"] = (
                    f"A current score of {current} is at or above the escalation threshold of {matrix.threshold}, "
                    "so the risk goes to the corporate risk register: choose the BAF risk theme it maps to."
                )
        if self.status == RiskStatus.CLOSED and self.closed_on is None:
            errors["closed_on"] = "Enter the date the risk was closed."
        if errors:
            raise ValidationError(errors)


class RiskActionQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(risk__partnership__in=Partnership.objects.owned_by(user))


class RiskAction(models.Model):
    """A further action planned to bring a risk down to its target."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(validators=[reject_nhs_number])
    owner = models.CharField(max_length=150, validators=[reject_nhs_number])
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)

    objects = RiskActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = "further action"

    def __str__(self):
        text = " ".join(self.description.split())
        return f"{text[:80]}{'…' if len(text) > 80 else ''}"

    def get_absolute_url(self):
        return f"{self.risk.get_absolute_url()}#actions"

    def is_overdue(self, today=None):
        return self.status != ActionStatus.COMPLETE and self.due_date < (today or local_today())


class NoSignificantRisk(models.Model):
    """A lead's record that a domain of a partnership holds no significant risk (it counts as assessed)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="no_significant_risks")
    domain = models.CharField(max_length=30, choices=RiskDomain.choices)
    assessed_on = models.DateField(default=timezone.localdate, editable=False)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    note = models.TextField(
        "why there is no significant risk",
        blank=True,
        validators=[reject_nhs_number],
        help_text="For example, no patient contact and no data shared.",
    )

    objects = PartnershipChildQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__reference", "domain"]
        verbose_name = "“no significant risk” record"
        constraints = [models.UniqueConstraint(fields=["partnership", "domain"], name="one_assessment_per_domain")]

    def __str__(self):
        return f"No significant risk: {self.get_domain_display()}"

    def get_absolute_url(self):
        return f"{reverse_pk('risks:profile', self.partnership_id)}#{self.domain}"


class RiskMatrix(models.Model):
    """The trust's 5×5 matrix: descriptors, bands and colours, escalation threshold. One row.

    Defaults are the NPSA's (created by a data migration); an administrator may adapt them, and
    every score's band and escalation follow at once (``risks.scoring``).
    """

    likelihood = models.JSONField("likelihood descriptors", default=list)
    consequence = models.JSONField("consequence descriptors", default=list)
    bands = models.JSONField(default=list)
    escalation_threshold = models.PositiveSmallIntegerField(
        default=scoring.DEFAULT_THRESHOLD,
        validators=[MinValueValidator(1), MaxValueValidator(25)],
        help_text="A current score at or above this goes to the corporate risk register.",
    )

    class Meta:
        verbose_name = "risk matrix"
        verbose_name_plural = "risk matrix"

    def __str__(self):
        bands = ", ".join(f"{b['name']} {b['lowest']}–{b['highest']}" for b in self.bands or [])
        return f"Bands {bands}; escalation at {self.escalation_threshold}"

    def get_absolute_url(self):
        return reverse("risks:matrix")

    def clean(self):
        problems = scoring.matrix_problems(self.likelihood, self.consequence, self.bands, self.escalation_threshold)
        if problems:
            raise ValidationError(problems)

    @classmethod
    def defaults(cls):
        return cls(
            pk=1,
            likelihood=[dict(d) for d in scoring.DEFAULT_LIKELIHOOD],
            consequence=[dict(d) for d in scoring.DEFAULT_CONSEQUENCE],
            bands=[dict(b) for b in scoring.DEFAULT_BANDS],
            escalation_threshold=scoring.DEFAULT_THRESHOLD,
        )

    @classmethod
    def current(cls):
        """The matrix in force: the saved row (made by a migration), or the NPSA defaults."""
        return cls.objects.filter(pk=1).first() or cls.defaults()


class HighestScore(models.Model):
    """The highest current score of a partnership's open risks, when it has any: derived, never
    typed in, kept in step with its risks by ``risks.highest`` (which says why it exists)."""

    # A partnership with open risks cannot be deleted (risks are protected), so neither can its row.
    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="risk_highest")
    score = models.PositiveSmallIntegerField("highest current score")

    class Meta:
        verbose_name = "highest current score"

    def __str__(self):
        return f"Highest current score: {self.score}"

    @property
    def key(self):
        return self.partnership_id


class ProfileState(models.Model):
    """What a partnership's risk profile's completeness is worked out from: how many of the six
    domains are assessed and when its first open risk falls due for review. Derived, never typed
    in, kept in step with its risks and "no significant risk" records by ``risks.profile_state``
    (which says why it exists). No row: no domain assessed, no open risk."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="risk_profile_state")
    assessed = models.PositiveSmallIntegerField("domains assessed")
    review_due = models.DateField("first open risk's review", null=True, blank=True)

    class Meta:
        verbose_name = "risk profile state"
        indexes = [models.Index(fields=["assessed", "review_due"], name="risk_profile_state")]

    def __str__(self):
        return f"Risk profile: {self.assessed} domains assessed"

    @property
    def key(self):
        return self.partnership_id
