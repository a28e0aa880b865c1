"""The 5×5 risk matrix: score, band and escalation, from the configuration in force.

Score = likelihood × consequence. A score's band and whether it is escalated are never stored:
they are worked out from the trust's matrix (``risks.models.RiskMatrix``), so when an
administrator changes the bands or the escalation threshold every risk follows at once. The
rule exists twice on purpose, in this one module: in Python for one risk (:meth:`Scoring.band`,
:meth:`Scoring.is_escalated`) and as SQL expressions built from the same configuration for
lists, filters, exports and the heatmap (:meth:`Scoring.band_sql`, :meth:`Scoring.annotate`).
Tests check the two agree for all 25 cells, before and after a change of configuration.

The matrix is also validated here as a schema (:func:`matrix_problems`): five descriptors of
each kind, bands in order that hold every score the matrix can give exactly once, colours from
the palette below, an escalation threshold from 1 to 25.
"""

from dataclasses import dataclass

from django.db.models import BooleanField, Case, CharField, F, Q, Value, When
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from core.nhs_number import contains_nhs_number
from core.validators import NHS_NUMBER_MESSAGE

LEVELS = (1, 2, 3, 4, 5)
# The only scores a 5×5 matrix gives: the bands must hold each of them exactly once.
PRODUCTS = tuple(sorted({likelihood * consequence for likelihood in LEVELS for consequence in LEVELS}))
POSITIONS = ("inherent", "current", "target")
POSITION_LABELS = {
    "inherent": "Inherent (before controls)",
    "current": "Current (with controls in place)",
    "target": "Target (after further actions)",
}
MAX_BANDS = 6
NAME_LENGTH = 40
GUIDANCE_LENGTH = 300


@dataclass(frozen=True)
class Colour:
    label: str
    fill: str  # the cell of a heatmap
    text: str  # text on that fill (contrast of 4.5:1 or more)
    tag: str  # the NHS.UK tag modifier for the same colour


# The colours a band may have: NHS.UK palette colours, each with a matching tag.
COLOURS = {
    "green": Colour("Green", "#007f3b", "#ffffff", "nhsuk-tag--green"),
    "yellow": Colour("Yellow", "#ffeb3b", "#212b32", "nhsuk-tag--yellow"),
    "amber": Colour("Amber", "#ed8b00", "#212b32", "nhsuk-tag--orange"),
    "red": Colour("Red", "#d5281b", "#ffffff", "nhsuk-tag--red"),
    "pink": Colour("Pink", "#ae2573", "#ffffff", "nhsuk-tag--pink"),
    "purple": Colour("Purple", "#330072", "#ffffff", "nhsuk-tag--purple"),
    "blue": Colour("Blue", "#005eb8", "#ffffff", "nhsuk-tag--blue"),
    "grey": Colour("Grey", "#4c6272", "#ffffff", "nhsuk-tag--grey"),
}
COLOUR_CHOICES = [(key, colour.label) for key, colour in COLOURS.items()]
UNBANDED = Colour("No band", "#d8dde0", "#212b32", "nhsuk-tag--white")

# The NPSA defaults ("A risk matrix for risk managers", January 2008).
DEFAULT_LIKELIHOOD = [
    {"name": "Rare", "guidance": "This will probably never happen or recur (probability under 0.1%)."},
    {
        "name": "Unlikely",
        "guidance": "Do not expect it to happen or recur, but it is possible it may do so (0.1% to 1%).",
    },
    {"name": "Possible", "guidance": "Might happen or recur occasionally (1% to 10%)."},
    {"name": "Likely", "guidance": "Will probably happen or recur, but it is not a persisting issue (10% to 50%)."},
    {"name": "Almost certain", "guidance": "Will undoubtedly happen or recur, possibly frequently (over 50%)."},
]
DEFAULT_CONSEQUENCE = [
    {"name": "Negligible", "guidance": "Minimal injury needing no or minimal treatment; no time off work."},
    {"name": "Minor", "guidance": "Minor injury or illness needing minor intervention; up to 3 days off work."},
    {
        "name": "Moderate",
        "guidance": "Moderate injury needing professional intervention; 4 to 14 days off work; a reportable incident.",
    },
    {"name": "Major", "guidance": "Major injury leading to long-term incapacity or disability; over 14 days off work."},
    {"name": "Catastrophic", "guidance": "An incident leading to death, or multiple permanent injuries."},
]
DEFAULT_BANDS = [
    {"name": "Low", "lowest": 1, "highest": 3, "colour": "green"},
    {"name": "Moderate", "lowest": 4, "highest": 6, "colour": "yellow"},
    {"name": "High", "lowest": 8, "highest": 12, "colour": "amber"},
    {"name": "Extreme", "lowest": 15, "highest": 25, "colour": "red"},
]
DEFAULT_THRESHOLD = 15
CONSEQUENCE_DOMAINS = (
    "safety of patients, staff or public; quality, complaints or audit; human resources, staffing or "
    "competence; statutory duty or inspections; adverse publicity or reputation; business objectives or "
    "projects; finance, including claims; service or business interruption; environmental impact"
)


@dataclass(frozen=True)
class Band:
    name: str
    lowest: int
    highest: int
    colour_key: str

    @property
    def colour(self):
        return COLOURS.get(self.colour_key, UNBANDED)

    def holds(self, score):
        return self.lowest <= score <= self.highest

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class Descriptor:
    level: int
    name: str
    guidance: str

    def __str__(self):
        return f"{self.level} {self.name}"


@dataclass(frozen=True)
class Assessment:
    """One position of one risk (inherent, current or target), scored and banded."""

    position: str
    likelihood: int
    consequence: int
    score: int
    band: Band | None

    @property
    def label(self):
        return POSITION_LABELS[self.position]


class Scoring:
    """The matrix in force, ready to score one risk in Python or a list of risks in SQL."""

    def __init__(self, matrix):
        self.matrix = matrix
        self.bands = [Band(b["name"], int(b["lowest"]), int(b["highest"]), b["colour"]) for b in matrix.bands]
        self.threshold = int(matrix.escalation_threshold)
        self.likelihood = [Descriptor(n, d["name"], d.get("guidance", "")) for n, d in enumerate(matrix.likelihood, 1)]
        self.consequence = [
            Descriptor(n, d["name"], d.get("guidance", "")) for n, d in enumerate(matrix.consequence, 1)
        ]

    @classmethod
    def current(cls):
        from risks.models import RiskMatrix

        return cls(RiskMatrix.current())

    @classmethod
    def for_request(cls, request):
        """The matrix in force, read once per request however many parts of the page need it."""
        scoring = getattr(request, "_accord_risk_scoring", None)
        if scoring is None:
            scoring = cls.current()
            request._accord_risk_scoring = scoring
        return scoring

    # -- one risk, in Python -------------------------------------------------------------

    @staticmethod
    def score(likelihood, consequence):
        return int(likelihood) * int(consequence)

    def band(self, score):
        """The band holding ``score`` (the first whose highest score reaches it), or None."""
        if score is None:
            return None
        return next((band for band in self.bands if score <= band.highest), None)

    def band_named(self, name):
        return next((band for band in self.bands if band.name == name), None)

    def is_escalated(self, score):
        return score is not None and score >= self.threshold

    def assess(self, risk, position):
        likelihood = getattr(risk, f"{position}_likelihood")
        consequence = getattr(risk, f"{position}_consequence")
        score = self.score(likelihood, consequence)
        return Assessment(position, likelihood, consequence, score, self.band(score))

    def likelihood_name(self, level):
        return self.likelihood[level - 1].name

    def consequence_name(self, level):
        return self.consequence[level - 1].name

    # -- many risks, in SQL --------------------------------------------------------------

    @staticmethod
    def score_sql(position="current", prefix=""):
        """``likelihood × consequence`` of a position, as a column expression."""
        return F(f"{prefix}{position}_likelihood") * F(f"{prefix}{position}_consequence")

    def band_sql(self, score, attribute="name"):
        """The band's name (or colour) of a score expression: the same rule as :meth:`band`.

        The bands are in order and hold every score the matrix gives, so the first band whose
        highest score reaches the score is its band.
        """
        whens = [
            When(LessThanOrEqual(score, Value(band.highest)), then=Value(getattr(band, attribute)))
            for band in self.bands
        ]
        return Case(*whens, default=Value(None), output_field=CharField())

    def escalated_sql(self, score):
        return Case(
            When(GreaterThanOrEqual(score, Value(self.threshold)), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )

    def annotate(self, queryset, positions=POSITIONS):
        """Risks with ``<position>_score``, ``<position>_band`` and ``<position>_colour`` for each
        position, and ``escalated`` (the current score at or above the threshold)."""
        annotations = {}
        for position in positions:
            score = self.score_sql(position)
            annotations[f"{position}_score"] = score
            annotations[f"{position}_band"] = self.band_sql(score)
            annotations[f"{position}_colour"] = self.band_sql(score, "colour_key")
        annotations["escalated"] = self.escalated_sql(self.score_sql("current"))
        return queryset.annotate(**annotations)

    def escalated_condition(self):
        """The current score at or above the threshold, for ``queryset.filter(...)``."""
        return GreaterThanOrEqual(self.score_sql("current"), Value(self.threshold))

    def band_condition(self, name):
        """The current score in the band called ``name`` (nothing when there is no such band)."""
        band = self.band_named(name)
        score = self.score_sql("current")
        if band is None:
            return Q(pk__in=[])
        return GreaterThanOrEqual(score, Value(band.lowest)) & LessThanOrEqual(score, Value(band.highest))


# -- the matrix as a schema ------------------------------------------------------------------


def descriptor_problems(descriptors, kind):
    """[(index or None, field, message)] for a list of five descriptors (likelihood or consequence)."""
    problems = []
    if not isinstance(descriptors, list) or len(descriptors) != len(LEVELS):
        return [(None, "name", f"Give the {kind} five descriptors, one for each level from 1 to 5.")]
    for index, item in enumerate(descriptors):
        name = str((item or {}).get("name") or "").strip()
        guidance = str((item or {}).get("guidance") or "")
        if not name:
            problems.append((index, "name", f"Enter a name for {kind} {index + 1}, for example “Possible”."))
        elif len(name) > NAME_LENGTH:
            problems.append(
                (index, "name", f"The name of {kind} {index + 1} must be {NAME_LENGTH} characters or fewer.")
            )
        if len(guidance) > GUIDANCE_LENGTH:
            problems.append(
                (
                    index,
                    "guidance",
                    f"The guidance for {kind} {index + 1} must be {GUIDANCE_LENGTH} characters or fewer.",
                )
            )
        for field, text in (("name", name), ("guidance", guidance)):
            if contains_nhs_number(text):
                problems.append((index, field, NHS_NUMBER_MESSAGE))
    return problems


def band_problems(bands):
    """[(index or None, field, message)]: what is wrong with a list of bands, in plain words.

    Bands are given lowest first; each has a name, a lowest and a highest score and a colour from
    the palette; they do not overlap; and together they hold every score the matrix can give
    (1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25) exactly once, each band at least one of them.
    """
    problems = []
    if not isinstance(bands, list) or not bands:
        return [(None, "name", "Enter at least one band.")]
    if len(bands) > MAX_BANDS:
        problems.append((None, "name", f"Enter no more than {MAX_BANDS} bands."))
    names = {}
    ranges = []
    for index, band in enumerate(bands):
        band = band or {}
        name = str(band.get("name") or "").strip()
        label = f"band {index + 1}" if not name else f"band “{name}”"
        if not name:
            problems.append((index, "name", f"Enter a name for band {index + 1}, for example “High”."))
        elif len(name) > NAME_LENGTH:
            problems.append((index, "name", f"The name of band {index + 1} must be {NAME_LENGTH} characters or fewer."))
        elif name.casefold() in names:
            problems.append((index, "name", f"Two bands are called “{name}”: give each band its own name."))
        else:
            names[name.casefold()] = index
        if contains_nhs_number(name):
            problems.append((index, "name", NHS_NUMBER_MESSAGE))
        if band.get("colour") not in COLOURS:
            problems.append((index, "colour", f"Choose a colour for {label}."))
        lowest, highest = band.get("lowest"), band.get("highest")
        if not isinstance(lowest, int) or not 1 <= lowest <= 25:
            problems.append((index, "lowest", f"Enter the lowest score of {label} as a whole number from 1 to 25."))
            continue
        if not isinstance(highest, int) or not 1 <= highest <= 25:
            problems.append((index, "highest", f"Enter the highest score of {label} as a whole number from 1 to 25."))
            continue
        if highest < lowest:
            problems.append(
                (index, "highest", f"The highest score of {label} must be the same as or more than its lowest.")
            )
            continue
        if not any(lowest <= p <= highest for p in PRODUCTS):
            problems.append(
                (
                    index,
                    "lowest",
                    f"No score the matrix can give is from {lowest} to {highest}: {label} would hold none.",
                )
            )
        if ranges and lowest <= ranges[-1][2]:
            problems.append(
                (
                    index,
                    "lowest",
                    f"Bands go from the lowest scores to the highest without overlapping: {label} must start above "
                    f"{ranges[-1][2]}, where the band before it ends.",
                )
            )
        ranges.append((index, lowest, highest))
    if not problems:
        missing = [p for p in PRODUCTS if not any(low <= p <= high for _, low, high in ranges)]
        if missing:
            scores = ", ".join(str(p) for p in missing)
            problems.append(
                (
                    None,
                    "name",
                    f"No band holds a score of {scores}. Every score the matrix can give "
                    f"({', '.join(str(p) for p in PRODUCTS)}) must be in exactly one band.",
                )
            )
    return problems


def threshold_problems(threshold):
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 1 <= threshold <= 25:
        return ["Enter the escalation threshold as a whole number from 1 to 25, for example 15."]
    return []


def matrix_problems(likelihood, consequence, bands, threshold):
    """{field: [messages]} for a whole matrix (empty when it is valid)."""
    found = {
        "likelihood": [m for _, _, m in descriptor_problems(likelihood, "likelihood")],
        "consequence": [m for _, _, m in descriptor_problems(consequence, "consequence")],
        "bands": [m for _, _, m in band_problems(bands)],
        "escalation_threshold": threshold_problems(threshold),
    }
    return {field: messages for field, messages in found.items() if messages}
