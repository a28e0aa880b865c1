"""The life of an agreement: the one statement of its steps, what each needs, and why one is not possible.

draft → out for comment → approved (awaiting signatures) → in force → varied / expired /
terminated / superseded. Out for comment may return to draft. Every party signs after approval;
the agreement comes into force only when all have. A variation is a new version, copied from the
one in force, that goes through the same life and every party signs again; when it comes into
force the earlier version becomes "varied". Superseding links two agreements both ways and ends
the older one.

This module only reads. The pages ask it which steps are possible now and why not the others
(:func:`refusal`, :func:`possible_steps`), where an agreement is in its life (:func:`progress`)
and what happens next (:func:`next_steps`); ``agreements.services`` takes the steps and refuses
with the same reasons; ``Agreement.save`` refuses any status change outside
:data:`ALLOWED_STATUS_CHANGES` (:func:`check_status_change`), whoever asks and through whatever
path, administrators and the ORM included.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from agreements.models import ENDED_STATUSES, AgreementStatus, Commencement
from core.dates import day, local_today

S = AgreementStatus

# While the terms are open: after approval they are fixed, and a change is a variation.
TERMS_OPEN = (S.DRAFT, S.OUT_FOR_COMMENT)
TERMS_FIXED = (
    "The terms of an agreement are fixed once it is approved (this one is “{status}”). "
    "To change an agreement in force, start a variation: a new version that every party signs again."
)
PARTIES_FIXED = (
    "Parties can only be added, changed or removed while the agreement is a draft or out for comment; "
    "this one is “{status}”. To change the parties of an agreement in force, start a variation."
)
NOT_SENT_FOR_COMMENT = "Rounds of comment are recorded once the agreement has been sent for comment."
SIGNATURES_WAIT = "Signatures are recorded once the agreement is approved; it is “{status}”."
SIGNED_IN_FUTURE = "The date of signature cannot be in the future."
TERMINATION_DATE_NEEDED = "Enter the date the agreement was terminated."


class StatusChangeRefused(ValidationError):
    """A status change the lifecycle does not allow, whoever asks for it."""


class TransitionRefused(StatusChangeRefused):
    """A lifecycle step the rules do not allow now, with the reason in plain words."""


# --- what a step needs: each a function (agreement, today) giving the reason it is missing, or None


def parties_named(agreement, today):
    if not agreement.parties.exists():
        return "Add the parties to the agreement before it is approved."
    return None


def every_party_signed(agreement, today=None):
    """Why ``agreement`` cannot be in force yet (no parties, or parties not yet signed), or None."""
    parties = list(agreement.parties.all())
    if not parties:
        return "An agreement needs its parties before it can come into force."
    missing = ", ".join(str(p.organisation) for p in parties if not p.has_signed)
    if missing:
        return f"The agreement cannot come into force until every party has signed. Not yet signed: {missing}."
    return None


def commencement_stated(agreement, today):
    if agreement.commencement == Commencement.STATED_DATE and agreement.stated_commencement_date is None:
        return "Enter the stated commencement date before the agreement comes into force."
    return None


def no_variation_in_progress(agreement, today):
    if variation_of(agreement) is not None:
        return "A variation of this agreement is already in progress."
    return None


def term_ended(agreement, today):
    if agreement.term_end_date is None or agreement.term_end_date >= today:
        return "Only an agreement whose term has ended can be marked as expired."
    return None


# --- the steps ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A step someone takes in an agreement's life: from which status, to which, and what else it needs."""

    name: str  # its page is ``agreements:<name>``, its write ``agreements.services.<name>``
    label: str
    from_status: str
    to: str | None = None  # None: no status change of its own (a variation is a new agreement)
    needs: tuple = ()
    not_possible: str = "This step is not possible while the agreement is “{status}”."
    secondary: bool = False

    @property
    def url_name(self):
        return f"agreements:{self.name}"

    @property
    def ends(self):
        """Whether the step ends the agreement (its button warns)."""
        return self.to in ENDED_STATUSES


STEPS = (
    Step("send_for_comment", "Send for comment", S.DRAFT, S.OUT_FOR_COMMENT),
    Step("approve", "Approve", S.OUT_FOR_COMMENT, S.APPROVED, needs=(parties_named,)),
    Step("return_to_draft", "Return to draft", S.OUT_FOR_COMMENT, S.DRAFT, secondary=True),
    Step(
        "bring_into_force",
        "Bring into force",
        S.APPROVED,
        S.IN_FORCE,
        needs=(every_party_signed, commencement_stated),
    ),
    Step(
        "start_variation",
        "Start a variation",
        S.IN_FORCE,
        needs=(no_variation_in_progress,),
        not_possible="Only an agreement in force can be varied; this one is “{status}”.",
    ),
    Step("supersede", "Record that it is superseded", S.IN_FORCE, S.SUPERSEDED, secondary=True),
    Step(
        "expire",
        "Mark as expired",
        S.IN_FORCE,
        S.EXPIRED,
        needs=(term_ended,),
        not_possible="Only an agreement in force can be marked as expired; this one is “{status}”.",
        secondary=True,
    ),
    Step("terminate", "Terminate", S.IN_FORCE, S.TERMINATED, secondary=True),
)
STEP = {step.name: step for step in STEPS}

# Not a step anyone takes: the version in force becomes "varied" when its variation comes into force.
REPLACED_BY_ITS_VARIATION = (S.IN_FORCE, S.VARIED)
# (from, to): the only status changes there are. ``Agreement.save`` refuses every other one.
ALLOWED_STATUS_CHANGES = frozenset({(s.from_status, s.to) for s in STEPS if s.to} | {REPLACED_BY_ITS_VARIATION})


def refusal(step, agreement, today=None):
    """Why ``step`` cannot be taken on ``agreement`` now, in plain words, or None when it can."""
    if agreement.status != step.from_status:
        return step.not_possible.format(status=agreement.get_status_display())
    today = today or local_today()
    return next((reason for need in step.needs if (reason := need(agreement, today))), None)


def possible_steps(agreement, today=None):
    """The steps that can be taken now, in the order the page offers them."""
    return [step for step in STEPS if refusal(step, agreement, today) is None]


def check_status_change(agreement, old):
    """Refuse ``agreement``'s status unless the lifecycle allows the change from ``old`` (None: a new one)."""
    new = agreement.status
    if old is None and new != S.DRAFT:
        raise StatusChangeRefused("A new agreement starts as a draft.")
    if old is not None and old != new and (old, new) not in ALLOWED_STATUS_CHANGES:
        raise StatusChangeRefused(f"An agreement that is “{S(old).label}” cannot become “{S(new).label}”.")
    if new == S.IN_FORCE and old != S.IN_FORCE and (problem := every_party_signed(agreement)):
        raise StatusChangeRefused(problem)


# --- what may change while the agreement is where it is -----------------------------------------


def terms_refusal(agreement):
    """Why the terms cannot be edited now, or None."""
    if agreement.status in TERMS_OPEN:
        return None
    return TERMS_FIXED.format(status=agreement.get_status_display())


def parties_refusal(agreement):
    """Why parties cannot be added, changed or removed now, or None."""
    if agreement.status in TERMS_OPEN:
        return None
    return PARTIES_FIXED.format(status=agreement.get_status_display())


def consultation_refusal(agreement):
    """Why a round of comment cannot be recorded now, or None."""
    return NOT_SENT_FOR_COMMENT if agreement.status == S.DRAFT else None


def signing_refusal(agreement):
    """Why no signature can be recorded on the agreement now, or None."""
    if agreement.status != S.APPROVED:
        return SIGNATURES_WAIT.format(status=agreement.get_status_display())
    return None


def signature_refusal(party):
    """Why ``party``'s signature cannot be recorded now, or None."""
    if reason := signing_refusal(party.agreement):
        return reason
    if party.has_signed:
        return f"{party.organisation} has already signed, on {day(party.signed_on)}."
    return None


def signed_copy_refusal(agreement, signed_copy):
    if signed_copy is not None and signed_copy.agreement_id != agreement.pk:
        return "The signed copy must be a document of this agreement."
    return None


def signature_date_refusal(signed_on, today=None):
    return SIGNED_IN_FUTURE if signed_on > (today or local_today()) else None


def termination_refusal(agreement, ended_on):
    """Why the agreement cannot be recorded as terminated on ``ended_on``, or None."""
    if ended_on is None:
        return TERMINATION_DATE_NEEDED
    start = commencement_date(agreement)
    if start and ended_on < start:
        return "An agreement cannot be terminated before it came into force."
    return None


def replacement_refusal(agreement, replacement):
    """Why ``replacement`` cannot supersede ``agreement``, or None."""
    if replacement.pk == agreement.pk:
        return "An agreement cannot supersede itself."
    if replacement.status in ENDED_STATUSES:
        return "The replacing agreement has itself ended; choose one that is current."
    return None


# --- reading where an agreement is ---------------------------------------------------------------


def variation_of(agreement):
    """The later version varying ``agreement`` (in progress or in force), or None."""
    return getattr(agreement, "variation", None)


def commencement_date(agreement):
    """The date the agreement comes (or came) into force, or None while that is not known.

    By default the date the last party signs; otherwise the stated date.
    """
    if agreement.commencement == Commencement.STATED_DATE:
        return agreement.stated_commencement_date
    dates = [p.signed_on for p in agreement.parties.all()]
    if not dates or None in dates:
        return None
    return max(dates)


PROGRESS_ORDER = (S.DRAFT, S.OUT_FOR_COMMENT, S.APPROVED, S.IN_FORCE)  # then ended


def progress(agreement):
    """The life of the agreement as steps: (label, state, hint), state "done", "current" or "to do"."""
    parties = list(agreement.parties.all())
    signed = sum(1 for p in parties if p.has_signed)
    position = PROGRESS_ORDER.index(agreement.status) if agreement.status in PROGRESS_ORDER else len(PROGRESS_ORDER)
    commenced = commencement_date(agreement) if position >= PROGRESS_ORDER.index(S.IN_FORCE) else None
    ended = ""
    if agreement.status in ENDED_STATUSES:
        ended = agreement.get_status_display() + (f", {day(agreement.ended_on)}" if agreement.ended_on else "")
    steps = [
        ("Draft", "The terms are written and agreed between the parties."),
        ("Out for comment", "Boards or committees give their feedback."),
        (
            "Approved and signed by every party",
            f"{signed} of {len(parties)} part{'y' if len(parties) == 1 else 'ies'} signed" if parties else "",
        ),
        ("In force", f"From {day(commenced)}" if commenced else ""),
        ("Ended", ended or "Varied, expired, terminated or superseded."),
    ]
    return [
        (label, "done" if index < position else "current" if index == position else "to do", hint)
        for index, (label, hint) in enumerate(steps)
    ]


def next_steps(agreement, today):
    """What happens next and what is missing: [(text, level)], level "info", "warning" or "overdue".

    Reads the agreement's parties, documents, rounds of comment, milestones and variation, prefetched
    by the page.
    """
    items = []
    status = agreement.status
    parties = list(agreement.parties.all())
    if status in TERMS_OPEN:
        if not parties:
            items.append(("Add the parties before approval.", "warning"))
        if not agreement.documents.all():
            items.append(("No document has been uploaded yet: add the draft so that it can be read.", "info"))
    items += _waiting_for(agreement, parties)
    if status in (*TERMS_OPEN, S.APPROVED) and commencement_stated(agreement, today):
        items.append(("Enter the stated commencement date: it cannot come into force without it.", "warning"))
    if status == S.IN_FORCE:
        items += _term(agreement.term_end_date, today)
        if variation := variation_of(agreement):
            items.append(
                (f"A variation (version {variation.version}) is in progress: {variation.get_status_display()}.", "info")
            )
    items += _how_it_ended(agreement)
    if status not in ENDED_STATUSES:
        items += [
            (f"Milestone “{m.title}” is overdue: it was due on {day(m.due_date)}.", "overdue")
            for m in agreement.milestones.all()
            if m.is_overdue(today)
        ]
    return items


def _waiting_for(agreement, parties):
    """The next step of an agreement on its way into force."""
    status = agreement.status
    if status == S.DRAFT:
        return [("Send the draft for comment when it is ready, for example to each party's board.", "info")]
    if status == S.OUT_FOR_COMMENT:
        items = []
        if not agreement.consultations.all():
            items.append(("Record each round of comment: the board or committee, the date and its feedback.", "info"))
        if parties:
            items.append(("Approve the agreement once the comments are resolved; then each party signs it.", "info"))
        return items
    if status == S.APPROVED:
        unsigned = [p.organisation.name for p in parties if not p.has_signed]
        if unsigned:
            return [(f"Waiting for signatures from {_and_list(unsigned)}.", "warning")]
        return [("Every party has signed: bring the agreement into force.", "info")]
    return []


def _term(end, today):
    if end is None:
        return [("No term end date is recorded: it runs until it is ended.", "info")]
    days = (end - today).days
    if days < 0:
        ended = f"The term ended on {day(end)}, {-days} day{'s' if days != -1 else ''} ago"
        return [(f"{ended}: mark the agreement as expired, or record what replaces it.", "warning")]
    if days == 0:
        return [("The term ends today.", "warning")]
    return [(f"Term ends in {days} day{'s' if days != 1 else ''}, on {day(end)}.", "warning" if days <= 90 else "info")]


def _how_it_ended(agreement):
    status = agreement.status
    if status == S.SUPERSEDED and agreement.superseded_by_id:
        return [(f"Superseded by {agreement.superseded_by}.", "info")]
    if status == S.VARIED and (variation := variation_of(agreement)):
        return [(f"Replaced by version {variation.version}.", "info")]
    if status in (S.EXPIRED, S.TERMINATED) and agreement.ended_on:
        return [(f"{agreement.get_status_display()} on {day(agreement.ended_on)}.", "info")]
    return []


def _and_list(names):
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
