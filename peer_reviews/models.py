"""Peer quality reviews: a partnership's rounds of peer-to-peer review, the operational areas each
round reviews, the CQC key questions rated for each area, and the actions that follow findings.

A round rates every area on the same five CQC key questions, so an area holds its five ratings and
findings itself: the ratings page is one record's edit page (one save, one stale-save check, one
audit entry naming each rating changed).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from core.dates import local_today
from core.links import reverse_pk
from core.validators import reject_nhs_number
from organisations.models import Organisation
from partnerships.models import Partnership, PartnershipChildQuerySet


class KeyQuestion(models.TextChoices):
    """The five CQC key questions (REFERENCE.md §2)."""

    SAFE = "safe", "Safe"
    EFFECTIVE = "effective", "Effective"
    CARING = "caring", "Caring"
    RESPONSIVE = "responsive", "Responsive"
    WELL_LED = "well_led", "Well-led"


class Rating(models.TextChoices):
    """The four CQC ratings, best first."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


# Higher is better: what "better", "same" and "worse" between two rounds compare.
RANK = {Rating.OUTSTANDING: 4, Rating.GOOD: 3, Rating.REQUIRES_IMPROVEMENT: 2, Rating.INADEQUATE: 1}
# NHS.UK tag colours for each rating (the rating is always written beside its colour).
COLOUR = {
    Rating.OUTSTANDING: "blue",
    Rating.GOOD: "green",
    Rating.REQUIRES_IMPROVEMENT: "orange",
    Rating.INADEQUATE: "red",
}
# Findings are needed where a key question falls short: they are what the actions follow.
NEEDS_FINDINGS = {Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE}


def findings_field(key_question):
    return f"{key_question}_findings"


class ReviewRound(models.Model):
    """A round of peer-to-peer quality reviews of a partnership ("OMHP October 2019")."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="review_rounds")
    title = models.CharField(max_length=200, validators=[reject_nhs_number], help_text="For example, OMHP 2018/19.")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Leave blank while the round is under way.")
    reviewing_organisations = models.ManyToManyField(
        Organisation, related_name="peer_reviews_made", verbose_name="reviewing organisations"
    )
    reviewed_organisations = models.ManyToManyField(
        Organisation, related_name="peer_reviews_received", verbose_name="reviewed organisations"
    )

    objects = PartnershipChildQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = "peer review round"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse_pk("peer_reviews:detail", self.pk)

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date must be the same as or after the start date."})


class AreaQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(round__partnership__in=Partnership.objects.owned_by(user))


def rating_field(question):
    return models.CharField(
        question.label, max_length=20, choices=Rating.choices, blank=True, help_text="Leave blank until rated."
    )


def findings_text(question):
    return models.TextField(f"{question.label}: findings", blank=True, validators=[reject_nhs_number])


class ReviewArea(models.Model):
    """An operational area a round reviews, with its rating and findings for each key question."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField("operational area", max_length=120, validators=[reject_nhs_number])
    position = models.PositiveSmallIntegerField(default=0, editable=False)
    safe = rating_field(KeyQuestion.SAFE)
    safe_findings = findings_text(KeyQuestion.SAFE)
    effective = rating_field(KeyQuestion.EFFECTIVE)
    effective_findings = findings_text(KeyQuestion.EFFECTIVE)
    caring = rating_field(KeyQuestion.CARING)
    caring_findings = findings_text(KeyQuestion.CARING)
    responsive = rating_field(KeyQuestion.RESPONSIVE)
    responsive_findings = findings_text(KeyQuestion.RESPONSIVE)
    well_led = rating_field(KeyQuestion.WELL_LED)
    well_led_findings = findings_text(KeyQuestion.WELL_LED)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["round", "position", "pk"]
        verbose_name = "operational area"
        constraints = [models.UniqueConstraint("round", Lower("name"), name="one_area_of_a_name_per_round")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{self.round.get_absolute_url()}#area-{self.pk}"

    def validate_constraints(self, exclude=None):
        """The same name twice in a round, whatever its case, refused in words."""
        same = ReviewArea.objects.filter(round_id=self.round_id, name__iexact=self.name).exclude(pk=self.pk)
        if self.round_id and same.exists():
            raise ValidationError({"name": "This round already reviews an operational area of that name."})
        super().validate_constraints(exclude=exclude)

    def clean(self):
        errors = {}
        for question in KeyQuestion:
            rating, findings = getattr(self, question.value), getattr(self, findings_field(question.value)).strip()
            if findings and not rating:
                errors[question.value] = f"Choose a rating for {question.label.lower()}: the findings need one."
            elif rating in NEEDS_FINDINGS and not findings:
                errors[findings_field(question.value)] = (
                    f"Record the findings that make {question.label.lower()} {Rating(rating).label.lower()}."
                )
        if errors:
            raise ValidationError(errors)

    def ratings(self):
        """[(key question, rating or "", findings)] in the order CQC asks them."""
        return [(q, getattr(self, q.value), getattr(self, findings_field(q.value))) for q in KeyQuestion]

    def is_rated(self):
        return any(getattr(self, q.value) for q in KeyQuestion)


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class ActionQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(area__round__partnership__in=Partnership.objects.owned_by(user))

    def overdue(self, today):
        """Open actions past their due date (``today`` in Europe/London): derived, never stored."""
        return self.filter(status=ActionStatus.OPEN, due_date__lt=today)


class ReviewAction(models.Model):
    """An action that follows a finding: on an area's key question, owned by an Accord user."""

    area = models.ForeignKey(ReviewArea, on_delete=models.PROTECT, related_name="actions")
    key_question = models.CharField(max_length=20, choices=KeyQuestion.choices)
    description = models.TextField("action", validators=[reject_nhs_number])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="peer_review_actions", verbose_name="owner"
    )
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = "peer review action"
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        text = " ".join(self.description.split())
        return f"{text[:80]}{'…' if len(text) > 80 else ''}"

    def get_absolute_url(self):
        return f"{reverse_pk('peer_reviews:detail', self.area.round_id)}#action-{self.pk}"

    def is_overdue(self, today=None):
        return self.status == ActionStatus.OPEN and self.due_date < (today or local_today())

    def clean(self):
        if self.area_id and self.key_question and not getattr(self.area, self.key_question, ""):
            raise ValidationError(
                {"key_question": "Rate this key question for the area first: an action follows a finding."}
            )
