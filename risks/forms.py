"""The risk profile's forms: a risk, its closing, its further actions, "no significant risk" in a
domain, and the risk matrix an administrator keeps.

Likelihood and consequence are chosen from the descriptors of the matrix in force ("3 Possible"),
so the words people see are the trust's own. The rules of a risk (target not above current, a
reason for a current score above the inherent one, a BAF theme once escalated) are in
``Risk.clean``, which every form runs.
"""

from django import forms
from django.core.exceptions import ValidationError

from core.dates import local_today
from core.forms import AccordForm, AccordModelForm
from core.models import BafRiskTheme
from core.validators import reject_nhs_number
from risks import scoring
from risks.models import NoSignificantRisk, Risk, RiskAction, RiskMatrix


def _required(form, messages):
    for name, message in messages.items():
        if name in form.fields:
            form.fields[name].error_messages["required"] = message


def level_field(label, descriptors, kind, position):
    choices = [("", f"Choose the {position} {kind}")] + [
        (d.level, f"{d.level} {d.name}{': ' + d.guidance if d.guidance else ''}") for d in descriptors
    ]
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        error_messages={
            "required": f"Choose the {position} {kind}, from 1 to 5.",
            "invalid_choice": f"Choose the {position} {kind} from the list, from 1 to 5.",
        },
    )


class RiskForm(AccordModelForm):
    class Meta:
        model = Risk
        fields = [
            "domain",
            "title",
            "description",
            "owner",
            "existing_controls",
            "inherent_likelihood",
            "inherent_consequence",
            "current_likelihood",
            "current_consequence",
            "current_above_inherent_reason",
            "target_likelihood",
            "target_consequence",
            "treatment",
            "review_date",
            "baf_theme",
        ]
        widgets = {
            "domain": forms.RadioSelect,
            "treatment": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "existing_controls": forms.Textarea(attrs={"rows": 4}),
            "current_above_inherent_reason": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "domain": "Domain",
            "title": "Risk",
            "description": "Description",
            "owner": "Risk owner",
            "existing_controls": "Existing controls",
            "treatment": "Treatment",
            "review_date": "Next review",
            "baf_theme": "BAF risk theme",
        }
        help_texts = {
            "title": "A short name, for example “Limited resources to support the collaborative”.",
            "existing_controls": "What is already in place that lowers the risk.",
            "review_date": "When the risk will next be reviewed. For example, 30/09/2025",
        }

    def __init__(self, *args, matrix_scoring=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scoring = matrix_scoring or scoring.Scoring.current()
        for position in scoring.POSITIONS:
            self.fields[f"{position}_likelihood"] = level_field(
                f"{position.capitalize()} likelihood", self.scoring.likelihood, "likelihood", position
            )
            self.fields[f"{position}_consequence"] = level_field(
                f"{position.capitalize()} consequence", self.scoring.consequence, "consequence", position
            )
        self.fields["inherent_likelihood"].help_text = "Before the existing controls."
        self.fields["current_likelihood"].help_text = "With the existing controls in place."
        self.fields[
            "target_likelihood"
        ].help_text = "Once the further actions are done: where the trust is willing to hold the risk."
        themes = BafRiskTheme.objects.filter(is_active=True)
        if self.instance.baf_theme_id:
            themes = themes | BafRiskTheme.objects.filter(pk=self.instance.baf_theme_id)
        self.fields["baf_theme"].queryset = themes.order_by("name")
        self.fields["baf_theme"].empty_label = "None"
        self.fields["baf_theme"].help_text = (
            f"Needed when the current score is {self.scoring.threshold} or more: the risk then goes to the "
            "corporate risk register, mapped to a Board Assurance Framework risk theme."
        )
        _required(
            self,
            {
                "domain": "Choose the domain the risk is in.",
                "title": "Enter the risk, in a few words.",
                "description": "Describe the risk: its cause, the event and its effect.",
                "owner": "Enter the name of the risk owner.",
                "treatment": "Choose how the risk is treated.",
                "review_date": "Enter the date of the next review.",
            },
        )

    def clean_current_above_inherent_reason(self):
        """Checked before ``clean`` may drop it as not needed: an NHS number is refused either way."""
        reason = self.cleaned_data["current_above_inherent_reason"]
        reject_nhs_number(reason)
        return reason

    def clean(self):
        data = super().clean()
        scores = {}
        for position in scoring.POSITIONS:
            likelihood, consequence = data.get(f"{position}_likelihood"), data.get(f"{position}_consequence")
            if likelihood and consequence:
                scores[position] = likelihood * consequence
        if "current" in scores and "inherent" in scores and scores["current"] <= scores["inherent"]:
            data["current_above_inherent_reason"] = ""
        return data


class CloseRiskForm(AccordForm):
    closed_on = forms.DateField(
        label="Date closed",
        error_messages={"required": "Enter the date the risk was closed."},
    )
    closing_note = forms.CharField(
        label="Why is the risk being closed?",
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[reject_nhs_number],
        help_text="For example, the service was decommissioned, or the actions brought it within appetite for good.",
        error_messages={"required": "Say why the risk is being closed."},
    )

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        kwargs.setdefault("initial", {"closed_on": local_today()})
        super().__init__(*args, **kwargs)

    def clean_closed_on(self):
        closed_on = self.cleaned_data["closed_on"]
        if closed_on > local_today():
            raise ValidationError("The date closed cannot be in the future.")
        if self.instance.created_at and closed_on < self.instance.created_at.date():
            raise ValidationError(
                f"The date closed cannot be before the risk was recorded ({self.instance.created_at:%d/%m/%Y})."
            )
        return closed_on

    def save(self):
        from risks.services import close_risk

        return close_risk(self.instance, self.cleaned_data["closed_on"], self.cleaned_data["closing_note"])


class RiskActionForm(AccordModelForm):
    class Meta:
        model = RiskAction
        fields = ["description", "owner", "due_date", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "status": forms.RadioSelect}
        labels = {"description": "Action", "owner": "Owner", "due_date": "Due date", "status": "Status"}
        help_texts = {
            "description": "What will be done to bring the risk down to its target.",
            "due_date": "For example, 31/03/2025",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(
            self,
            {
                "description": "Describe the action.",
                "owner": "Enter the name of the person who owns the action.",
                "due_date": "Enter the date the action is due.",
                "status": "Choose the status of the action.",
            },
        )


class NoSignificantRiskForm(AccordModelForm):
    class Meta:
        model = NoSignificantRisk
        fields = ["note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        labels = {"note": "Why is there no significant risk in this domain?"}


# --- the matrix -----------------------------------------------------------------------------------


class RiskMatrixForm(AccordForm):
    """The matrix as fields: five descriptors of each kind, up to six bands and the threshold.

    A band row left entirely blank is no band. Problems are shown next to the field they are
    about (``risks.scoring.band_problems``); the same rules are checked again by ``RiskMatrix.clean``.
    """

    # The matrix's fields that this form shows as a field per descriptor and band.
    record_fields = ("likelihood", "consequence", "bands")

    escalation_threshold = forms.IntegerField(
        label="Escalation threshold",
        help_text="A current score at or above this goes to the corporate risk register and needs a BAF risk theme. "
        "For example, 15.",
        error_messages={
            "required": "Enter the escalation threshold, from 1 to 25.",
            "invalid": "Enter the escalation threshold as a whole number from 1 to 25, for example 15.",
        },
    )

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance or RiskMatrix.current()
        m = self.instance
        initial = {"escalation_threshold": m.escalation_threshold}
        for kind, descriptors in (("likelihood", m.likelihood), ("consequence", m.consequence)):
            for n, d in enumerate(descriptors, 1):
                initial[f"{kind}_{n}_name"] = d.get("name", "")
                initial[f"{kind}_{n}_guidance"] = d.get("guidance", "")
        for n, band in enumerate(m.bands, 1):
            for key in ("name", "lowest", "highest", "colour"):
                initial[f"band_{n}_{key}"] = band.get(key)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        fields = {}
        for kind in ("likelihood", "consequence"):
            for n in scoring.LEVELS:
                fields[f"{kind}_{n}_name"] = forms.CharField(
                    label=f"{kind.capitalize()} {n}: name",
                    max_length=scoring.NAME_LENGTH,
                    validators=[reject_nhs_number],
                    error_messages={"required": f"Enter a name for {kind} {n}."},
                )
                fields[f"{kind}_{n}_guidance"] = forms.CharField(
                    label=f"{kind.capitalize()} {n}: guidance",
                    required=False,
                    max_length=scoring.GUIDANCE_LENGTH,
                    validators=[reject_nhs_number],
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        for n in range(1, scoring.MAX_BANDS + 1):
            fields[f"band_{n}_name"] = forms.CharField(
                label=f"Band {n}: name", required=False, max_length=scoring.NAME_LENGTH, validators=[reject_nhs_number]
            )
            fields[f"band_{n}_lowest"] = forms.IntegerField(
                label=f"Band {n}: lowest score",
                required=False,
                error_messages={"invalid": f"Enter the lowest score of band {n} as a whole number from 1 to 25."},
            )
            fields[f"band_{n}_highest"] = forms.IntegerField(
                label=f"Band {n}: highest score",
                required=False,
                error_messages={"invalid": f"Enter the highest score of band {n} as a whole number from 1 to 25."},
            )
            fields[f"band_{n}_colour"] = forms.ChoiceField(
                label=f"Band {n}: colour", required=False, choices=[("", "Choose a colour"), *scoring.COLOUR_CHOICES]
            )
        fields["escalation_threshold"] = self.fields.pop("escalation_threshold")
        self.fields.update(fields)
        for name in fields:
            if name.endswith(("_lowest", "_highest")) or name == "escalation_threshold":
                self.fields[name].widget = forms.TextInput(
                    attrs={"inputmode": "numeric", "spellcheck": "false", "class": "nhsuk-input--width-2"}
                )
        from core.forms import style_widgets

        style_widgets(self)

    # Groups of bound fields, for the template.
    def descriptor_rows(self, kind):
        return [(n, self[f"{kind}_{n}_name"], self[f"{kind}_{n}_guidance"]) for n in scoring.LEVELS]

    def likelihood_rows(self):
        return self.descriptor_rows("likelihood")

    def consequence_rows(self):
        return self.descriptor_rows("consequence")

    def band_rows(self):
        return [
            (n, [self[f"band_{n}_{key}"] for key in ("name", "lowest", "highest", "colour")])
            for n in range(1, scoring.MAX_BANDS + 1)
        ]

    def clean(self):
        data = super().clean()
        bands, rows = [], []
        for n in range(1, scoring.MAX_BANDS + 1):
            keys = [f"band_{n}_{key}" for key in ("name", "lowest", "highest", "colour")]
            if any(k in self.errors for k in keys):
                return data
            values = [data.get(k) for k in keys]
            if all(v in (None, "") for v in values):
                continue
            name, lowest, highest, colour = values
            bands.append({"name": (name or "").strip(), "lowest": lowest, "highest": highest, "colour": colour})
            rows.append(n)
        problems = scoring.band_problems(bands)
        for index, key, message in problems:
            if index is None:
                self.add_error(None, message)
            else:
                name = f"band_{rows[index]}_{key}"
                if name not in self.errors:
                    self.add_error(name, message)
        threshold = data.get("escalation_threshold")
        if threshold is not None and "escalation_threshold" not in self.errors:
            for message in scoring.threshold_problems(threshold):
                self.add_error("escalation_threshold", message)
        self.bands = bands
        return data

    def save(self):
        data = self.cleaned_data
        matrix = self.instance
        for kind in ("likelihood", "consequence"):
            setattr(
                matrix,
                kind,
                [
                    {"name": data[f"{kind}_{n}_name"].strip(), "guidance": data[f"{kind}_{n}_guidance"].strip()}
                    for n in scoring.LEVELS
                ],
            )
        matrix.bands = self.bands
        matrix.escalation_threshold = data["escalation_threshold"]
        matrix.pk = 1
        matrix.full_clean()
        matrix.save()
        return matrix
