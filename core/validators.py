"""Field validators shared by every model with free text."""

from django.core.exceptions import ValidationError

from core.nhs_number import contains_nhs_number

NHS_NUMBER_MESSAGE = (
    "This looks like it contains an NHS number. Accord must not hold patient information: "
    "remove the number and try again."
)


def reject_nhs_number(value):
    """Refuse free text containing a valid NHS number, without repeating the number."""
    if contains_nhs_number(value):
        raise ValidationError(NHS_NUMBER_MESSAGE, code="nhs_number")
