"""The IG item form (with its document) and the requirements grid (saved by ``assurance.services``)."""

from django import forms

from assurance.models import ITEMS, RECORDED_ITEMS, SHORT_LABELS, IGItem, IGItemType, RecordedStatus
from core.forms import AccordForm, AccordModelForm
from core.forms_documents import DocumentUploadMixin, accepted_files, document_field
from partnerships.models import ArrangementType, DataSharing


class IGItemForm(DocumentUploadMixin, AccordModelForm):
    """Record or update one IG item of a partnership; a file uploaded here is its next document."""

    file = document_field(label="Document", required=False)

    # Whether a date or the document is needed depends on the status, so no field says "(optional)".
    mark_optional = False

    class Meta:
        model = IGItem
        fields = ["item", "status", "approved_on", "review_on", "notes"]
        widgets = {
            "item": forms.RadioSelect,
            "status": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"item": "Which IG item is this?", "status": "Where is it up to?"}
        help_texts = {
            "approved_on": "When it was approved or signed off; needed once it is in place. For example, 30/03/2025",
            "review_on": "When it must next be reviewed; needed once it is in place. After this date it no longer "
            "counts as in place. For example, 30/03/2026",
            "notes": "Optional. For example, who approved it, or what is still to be done.",
        }
        error_messages = {
            "item": {"required": "Choose which IG item this is."},
            "status": {"required": "Choose whether it is in progress or in place."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["item"]
        else:
            self.fields["item"].choices = [(i.value, i.label) for i in RECORDED_ITEMS]
        self.fields["file"].help_text = (
            f"The document itself, needed once the item is in place (unless one was uploaded before): "
            f"{accepted_files()}. A new file becomes the next version; earlier versions are kept."
        )

    def clean_item(self):
        item = self.cleaned_data["item"]
        partnership = self.instance.partnership
        if IGItem.objects.filter(partnership=partnership, item=item).exists():
            raise forms.ValidationError(
                f"{IGItemType(item).label} is already recorded for this partnership: update that record instead."
            )
        return item

    def clean(self):
        data = super().clean()
        in_place = data.get("status") == RecordedStatus.IN_PLACE
        has_document = self.instance.pk is not None and self.instance.documents.exists()
        if in_place and "file" not in self.errors and not data.get("file") and not has_document:
            self.add_error("file", "Upload the document: an item in place needs one as evidence.")
        return data


def cell_name(arrangement_type, data_sharing, item):
    return f"{arrangement_type}__{data_sharing}__{item}"


class RequirementsForm(AccordForm):
    """The whole matrix: a checkbox per arrangement type × level of data sharing × IG item."""

    mark_optional = False

    def __init__(self, *args, matrix=None, **kwargs):
        super().__init__(*args, **kwargs)
        matrix = matrix or {}
        for arrangement_type in ArrangementType:
            for level in DataSharing:
                required = matrix.get((arrangement_type.value, level.value), set())
                for item in ITEMS:
                    self.fields[cell_name(arrangement_type, level, item)] = forms.BooleanField(
                        required=False,
                        initial=item in required,
                        label=f"{arrangement_type.label}, {level.label.lower()}: {item.label}",
                    )

    def cells(self):
        """{(arrangement type, level): set of items ticked}, once valid."""
        return {
            (arrangement_type.value, level.value): {
                item.value for item in ITEMS if self.cleaned_data.get(cell_name(arrangement_type, level, item))
            }
            for arrangement_type in ArrangementType
            for level in DataSharing
        }

    def grid(self):
        """For the template: a table per level, a row per arrangement type, a bound field per item
        (with the item's short name, which a phone shows beside the checkbox)."""
        return [
            {
                "level": level,
                "items": [(item, SHORT_LABELS[item]) for item in ITEMS],
                "rows": [
                    {
                        "arrangement_type": arrangement_type,
                        "cells": [
                            (SHORT_LABELS[item], self[cell_name(arrangement_type, level, item)]) for item in ITEMS
                        ],
                    }
                    for arrangement_type in ArrangementType
                ],
            }
            for level in DataSharing
        ]
