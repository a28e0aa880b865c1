"""A site visit to a partnership: who went, when, and what they noted."""

from django.db import models
from django.urls import reverse

from core.validators import reject_nhs_number
from partnerships.models import Partnership


class VisitQuerySet(models.QuerySet):
    def owned_by(self, user):
        """A lead's own visits: those of the partnerships they lead or are delegated on."""
        return self.filter(partnership__in=Partnership.objects.owned_by(user))


class Visit(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField("date of the visit")
    follow_up_by = models.DateField("follow up by", null=True, blank=True)
    note = models.TextField(validators=[reject_nhs_number])

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "pk"]

    def __str__(self):
        return f"Visit on {self.visited_on:%d %b %Y}"

    def get_absolute_url(self):
        return reverse("scratch:list")
