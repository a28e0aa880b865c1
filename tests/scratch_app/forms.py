from core.forms import AccordModelForm
from tests.scratch_app.models import Visit


class VisitForm(AccordModelForm):
    class Meta:
        model = Visit
        fields = ["visited_on", "follow_up_by", "note"]
        error_messages = {
            "visited_on": {"required": "Enter the date of the visit."},
            "note": {"required": "Say what you saw."},
        }
