"""The agreements' pages: thin subclasses of the generic views in ``core.views``.

Every status change goes through ``agreements.lifecycle``; a step it refuses is shown as an
error summary (HTTP 400) and nothing is written.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.views import View

from agreements import forms, lifecycle
from agreements.filters import AgreementFilter
from agreements.models import (
    ENDED_STATUSES,
    Agreement,
    AgreementDocument,
    AgreementParty,
    Commencement,
    Consultation,
    Indicator,
    Milestone,
    ScopeItem,
    signing_problem,
)
from agreements.models import AgreementStatus as S
from agreements.selectors import local_today, with_commencement
from core import views as generic
from core.exports import export_response
from core.models import AuditEntry
from core.pagination import paginate
from core.permissions import ALL, OWN, grant, require
from partnerships.models import Partnership

RECENT_CHANGES = 10
# While the terms are open: after approval they are fixed, and a change is a variation.
TERMS_OPEN = (S.DRAFT, S.OUT_FOR_COMMENT)
TERMS_FIXED = (
    "The terms of an agreement are fixed once it is approved (this one is “{status}”). "
    "To change an agreement in force, start a variation: a new version that every party signs again."
)


def day(date):
    """30 March 2022: the date as the trust writes it."""
    return f"{date.day} {date:%B %Y}"


def agreement_url(agreement, anchor=None):
    url = agreement.get_absolute_url()
    return f"{url}#{anchor}" if anchor else url


def changes_shown(agreement, can_view_documents):
    """The agreement's audit entries, as someone who may (or may not) see its documents may read them.

    Documents may be commercially sensitive (``core.permissions``): whoever may not see them does
    not see their entries either (title, file name, checksum), nor a signed copy's title.
    """
    entries = AuditEntry.objects.for_object(agreement).select_related("object_type")
    if can_view_documents:
        return entries
    return entries.exclude(object_type=ContentType.objects.get_for_model(AgreementDocument))


def hide_signed_copies(entries, can_view_documents):
    """Show a party's signed copy as "Uploaded", as its table does, to whoever may not see documents.

    The entries are changed in memory only, for display (audit entries cannot be saved again).
    """
    if can_view_documents:
        return entries
    for entry in entries:
        if entry.object_type.model_class() is AgreementParty:
            for values in (entry.before, entry.after):
                if values and values.get("signed_copy"):
                    values["signed_copy"] = "Uploaded"
    return entries


# --- the agreements list -----------------------------------------------------------------------


def list_queryset():
    parties = AgreementParty.objects.select_related("organisation").order_by("organisation__name")
    return with_commencement(Agreement.objects.select_related("partnership")).prefetch_related(
        Prefetch("parties", queryset=parties)
    )


def _party_names(agreement):
    return "; ".join(p.organisation.name for p in agreement.parties.all())


def _binding(agreement):
    return agreement.get_legally_binding_display()


class AgreementListView(generic.ObjectListView):
    model = Agreement
    filterset_class = AgreementFilter
    template_name = "agreements/agreement_list.html"
    default_sort = "partnership"
    columns = (
        generic.Column(
            "partnership",
            "Partnership",
            sort=["partnership__reference", "title", "version"],
            value=lambda a: a.partnership.reference,
            template="agreements/includes/partnership_cell.html",
        ),
        generic.Column("title", "Agreement", sort=["title", "version"], template="agreements/includes/title_cell.html"),
        generic.Column("kind", "Kind", sort="kind"),
        generic.Column("status", "Status", sort="status", template="agreements/includes/status_cell.html"),
        generic.Column("parties", "Parties", value=_party_names, template="agreements/includes/parties_cell.html"),
        generic.Column(
            "commencement_on", "Commencement", sort="commencement_on", template="agreements/includes/date_cell.html"
        ),
        generic.Column(
            "term_end_date", "Term ends", sort="term_end_date", template="agreements/includes/date_cell.html"
        ),
        generic.Column("legally_binding", "Legally binding", sort="legally_binding", value=_binding),
    )

    EXPORT_HEADERS = [
        "Partnership reference",
        "Partnership title",
        "Kind",
        "Title",
        "Version",
        "Status",
        "Parties",
        "Parties signed",
        "Commencement date",
        "Term ends",
        "Legally binding",
        "Clauses that are binding",
    ]

    def get_queryset(self):
        return list_queryset()

    def export_headers_and_rows(self, queryset):
        rows = (
            [
                a.partnership.reference,
                a.partnership.title,
                a.get_kind_display(),
                a.title,
                a.version,
                a.get_status_display(),
                _party_names(a),
                a.signed_count,
                a.commencement_on,
                a.term_end_date,
                a.get_legally_binding_display(),
                a.binding_exceptions,
            ]
            for a in queryset.iterator(chunk_size=2000)
        )
        return self.EXPORT_HEADERS, rows

    def export(self, fmt, queryset):
        if fmt not in self.export_formats:
            return super().export(fmt, queryset)
        headers, rows = self.export_headers_and_rows(queryset)
        return export_response(fmt, "agreements", headers, rows)


# --- the agreement page ------------------------------------------------------------------------


class Rights:
    """What the user may do on one agreement's page, asking the database once at most."""

    def __init__(self, user, agreement):
        self.user = user
        self.agreement = agreement
        self._owned = None

    def may(self, action, model):
        extent = grant(self.user, action, model)
        if extent == ALL:
            return True
        if extent != OWN:
            return False
        if self._owned is None:
            self._owned = Agreement.objects.owned_by(self.user).filter(pk=self.agreement.pk).exists()
        return self._owned


def lifecycle_steps(agreement, parties):
    """The life of the agreement as steps: (label, state, hint), state "done", "current" or "to do"."""
    status = agreement.status
    signed = sum(1 for p in parties if p.has_signed)
    order = {S.DRAFT: 0, S.OUT_FOR_COMMENT: 1, S.APPROVED: 2, S.IN_FORCE: 3}
    position = order.get(status, 4)
    ended_hint = ""
    if status in ENDED_STATUSES:
        ended_hint = agreement.get_status_display()
        if agreement.ended_on:
            ended_hint += f", {day(agreement.ended_on)}"
    steps = [
        ("Draft", "The terms are written and agreed between the parties."),
        ("Out for comment", "Boards or committees give their feedback."),
        (
            "Approved and signed by every party",
            f"{signed} of {len(parties)} part{'y' if len(parties) == 1 else 'ies'} signed" if parties else "",
        ),
        ("In force", ""),
        ("Ended", ended_hint or "Varied, expired, terminated or superseded."),
    ]
    if agreement.commencement_on and position >= 3:
        steps[3] = ("In force", f"From {day(agreement.commencement_on)}")
    result = []
    for index, (label, hint) in enumerate(steps):
        state = "done" if index < position else "current" if index == position else "to do"
        result.append((label, state, hint))
    return result


def guidance(agreement, parties, milestones, documents, consultations, variation, today):
    """What happens next and what is missing: [(text, level)], level "info", "warning" or "overdue"."""
    items = []
    status = agreement.status
    if status in TERMS_OPEN:
        if not parties:
            items.append(("Add the parties before approval.", "warning"))
        if not documents:
            items.append(("No document has been uploaded yet: add the draft so that it can be read.", "info"))
    if status == S.DRAFT:
        items.append(("Send the draft for comment when it is ready, for example to each party's board.", "info"))
    elif status == S.OUT_FOR_COMMENT:
        if not consultations:
            items.append(("Record each round of comment: the board or committee, the date and its feedback.", "info"))
        if parties:
            items.append(("Approve the agreement once the comments are resolved; then each party signs it.", "info"))
    elif status == S.APPROVED:
        unsigned = [p.organisation.name for p in parties if not p.has_signed]
        if unsigned:
            items.append((f"Waiting for signatures from {_and_list(unsigned)}.", "warning"))
        else:
            items.append(("Every party has signed: bring the agreement into force.", "info"))
    stated_date_missing = (
        agreement.commencement == Commencement.STATED_DATE and agreement.stated_commencement_date is None
    )
    if status in (S.DRAFT, S.OUT_FOR_COMMENT, S.APPROVED) and stated_date_missing:
        items.append(("Enter the stated commencement date: it cannot come into force without it.", "warning"))
    if status == S.IN_FORCE:
        end = agreement.term_end_date
        if end is None:
            items.append(("No term end date is recorded: it runs until it is ended.", "info"))
        else:
            days = (end - today).days
            if days < 0:
                items.append(
                    (
                        f"The term ended on {day(end)}, {-days} day{'s' if days != -1 else ''} ago: "
                        "mark the agreement as expired, or record what replaces it.",
                        "warning",
                    )
                )
            elif days == 0:
                items.append(("The term ends today.", "warning"))
            else:
                level = "warning" if days <= 90 else "info"
                items.append((f"Term ends in {days} day{'s' if days != 1 else ''}, on {day(end)}.", level))
        if variation is not None:
            items.append(
                (f"A variation (version {variation.version}) is in progress: {variation.get_status_display()}.", "info")
            )
    if status == S.SUPERSEDED and agreement.superseded_by_id:
        items.append((f"Superseded by {agreement.superseded_by}.", "info"))
    elif status == S.VARIED and variation is not None:
        items.append((f"Replaced by version {variation.version}.", "info"))
    elif status in (S.EXPIRED, S.TERMINATED) and agreement.ended_on:
        items.append((f"{agreement.get_status_display()} on {day(agreement.ended_on)}.", "info"))
    if status not in ENDED_STATUSES:
        for milestone, overdue in milestones:
            if overdue:
                items.append(
                    (f"Milestone “{milestone.title}” is overdue: it was due on {day(milestone.due_date)}.", "overdue")
                )
    return items


def _and_list(names):
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def lifecycle_actions(agreement, parties, variation, today):
    """The lifecycle steps possible now: [(url name, label, secondary?)]."""
    status = agreement.status
    if status == S.DRAFT:
        return [("agreements:send_for_comment", "Send for comment", False)]
    if status == S.OUT_FOR_COMMENT:
        actions = [("agreements:approve", "Approve", False)] if parties else []
        return [*actions, ("agreements:return_to_draft", "Return to draft", True)]
    if status == S.APPROVED:
        ready = parties and all(p.has_signed for p in parties)
        if ready and not (
            agreement.commencement == Commencement.STATED_DATE and agreement.stated_commencement_date is None
        ):
            return [("agreements:bring_into_force", "Bring into force", False)]
        return []
    if status == S.IN_FORCE:
        actions = [] if variation is not None else [("agreements:start_variation", "Start a variation", False)]
        actions.append(("agreements:supersede", "Record that it is superseded", True))
        if agreement.term_end_date and agreement.term_end_date < today:
            actions.append(("agreements:expire", "Mark as expired", True))
        actions.append(("agreements:terminate", "Terminate", True))
        return actions
    return []


class AgreementDetailView(generic.ObjectDetailView):
    model = Agreement

    def get_queryset(self):
        return with_commencement(
            Agreement.objects.select_related(
                "partnership", "partnership__lead", "varies", "variation", "superseded_by__partnership"
            )
        ).prefetch_related(
            Prefetch(
                "parties",
                queryset=AgreementParty.objects.select_related("organisation", "signed_copy", "recorded_by"),
            ),
            "consultations",
            Prefetch("documents", queryset=AgreementDocument.objects.select_related("uploaded_by")),
            "scope_items",
            "milestones",
            "indicators",
            Prefetch("supersedes", queryset=Agreement.objects.select_related("partnership").order_by("version")),
        )

    def get_context_data(self):
        agreement = self.object
        user = self.request.user
        today = local_today()
        rights = Rights(user, agreement)
        parties = list(agreement.parties.all())
        milestones = [(m, m.is_overdue(today)) for m in agreement.milestones.all()]
        documents = list(agreement.documents.all())
        consultations = list(agreement.consultations.all())
        variation = getattr(agreement, "variation", None)
        can_change = rights.may("change", Agreement)
        can_transition = rights.may("transition", Agreement)
        can_view_documents = rights.may("view", AgreementDocument)
        terms_open = agreement.status in TERMS_OPEN
        return {
            "view": self,
            "object": agreement,
            "agreement": agreement,
            "today": today,
            "parties": parties,
            "milestones": milestones,
            "documents": documents,
            "consultations": consultations,
            "variation": variation,
            "supersedes": list(agreement.supersedes.all()),
            "steps": lifecycle_steps(agreement, parties),
            "guidance": guidance(agreement, parties, milestones, documents, consultations, variation, today),
            "actions": lifecycle_actions(agreement, parties, variation, today) if can_transition else [],
            "can_change": can_change and terms_open,
            "can_sign": can_transition and agreement.status == S.APPROVED,
            "can_edit_parties": rights.may("change", AgreementParty) and terms_open,
            "can_add_parties": rights.may("add", AgreementParty) and terms_open,
            "can_add_consultations": rights.may("add", Consultation) and agreement.status != S.DRAFT,
            "can_edit_consultations": rights.may("change", Consultation),
            "can_edit_children": rights.may("change", Milestone),
            "can_add_children": rights.may("add", Milestone),
            "can_view_documents": can_view_documents,
            "can_add_documents": rights.may("add", AgreementDocument),
            "recent_changes": hide_signed_copies(
                list(changes_shown(agreement, can_view_documents)[:RECENT_CHANGES]), can_view_documents
            ),
        }


class AgreementHistoryView(generic.ObjectHistoryView):
    model = Agreement

    def get(self, request, **kwargs):
        self.check()
        can_view_documents = Rights(request.user, self.object).may("view", AgreementDocument)
        page = paginate(changes_shown(self.object, can_view_documents), request.GET.get("page"), self.page_size)
        hide_signed_copies(page.object_list, can_view_documents)
        return render(request, self.template_name, {"view": self, "object": self.object, "page": page})


# --- create and edit ---------------------------------------------------------------------------


class AgreementEditView(generic.ObjectEditView):
    """Add an agreement to a partnership, or edit its terms while they are open."""

    model = Agreement
    form_class = forms.AgreementForm
    parent_model = Partnership
    parent_field = "partnership"
    template_name = "agreements/agreement_form.html"

    def refusal(self):
        if not self.is_create and self.object.status not in TERMS_OPEN:
            return TERMS_FIXED.format(status=self.object.get_status_display())
        return None

    def success_url(self, obj):
        return obj.get_absolute_url()

    def cancel_url(self):
        return self.parent.get_absolute_url() if self.is_create else self.object.get_absolute_url()


# --- the agreement's records -------------------------------------------------------------------


class AgreementChildEditView(generic.ObjectEditView):
    parent_model = Agreement
    parent_field = "agreement"
    anchor = None

    def get_queryset(self):
        return self.model._default_manager.select_related("agreement")

    def success_url(self, obj):
        return agreement_url(self.parent, self.anchor)

    def cancel_url(self):
        return agreement_url(self.parent, self.anchor)


class AgreementChildDeleteView(generic.ObjectDeleteView):
    anchor = None

    def get_queryset(self):
        return self.model._default_manager.select_related("agreement")

    def after_delete_url(self):
        return agreement_url(self.object.agreement, self.anchor)


def parties_refusal(agreement):
    if agreement.status in TERMS_OPEN:
        return None
    return (
        f"Parties can only be added, changed or removed while the agreement is a draft or out for comment; "
        f"this one is “{agreement.get_status_display()}”. To change the parties of an agreement in force, "
        "start a variation."
    )


class PartyEditView(AgreementChildEditView):
    model = AgreementParty
    form_class = forms.PartyForm
    anchor = "parties"

    def refusal(self):
        return parties_refusal(self.parent)

    def success_message(self, obj):
        return f"Party {'added' if self.is_create else 'saved'}: {obj.organisation}"


class PartyDeleteView(AgreementChildDeleteView):
    model = AgreementParty
    anchor = "parties"

    def refusal(self):
        return parties_refusal(self.object.agreement)


class ConsultationEditView(AgreementChildEditView):
    model = Consultation
    form_class = forms.ConsultationForm
    anchor = "comment"

    def refusal(self):
        if self.is_create and self.parent.status == S.DRAFT:
            return "Rounds of comment are recorded once the agreement has been sent for comment."
        return None


class ConsultationDeleteView(AgreementChildDeleteView):
    model = Consultation
    anchor = "comment"


class ScopeItemEditView(AgreementChildEditView):
    model = ScopeItem
    form_class = forms.ScopeItemForm
    anchor = "scope"


class ScopeItemDeleteView(AgreementChildDeleteView):
    model = ScopeItem
    anchor = "scope"


class MilestoneEditView(AgreementChildEditView):
    model = Milestone
    form_class = forms.MilestoneForm
    anchor = "milestones"


class MilestoneDeleteView(AgreementChildDeleteView):
    model = Milestone
    anchor = "milestones"


class IndicatorEditView(AgreementChildEditView):
    model = Indicator
    form_class = forms.IndicatorForm
    anchor = "indicators"


class IndicatorDeleteView(AgreementChildDeleteView):
    model = Indicator
    anchor = "indicators"


# --- lifecycle steps ---------------------------------------------------------------------------


class TransitionView(generic.ObjectMixin, View):
    """One lifecycle step: a page with a confirm button (and a few fields for some steps).

    The user needs the "transition" right on the agreement; ``agreements.lifecycle`` decides
    whether the step is allowed now. A refusal is an error summary (400) and nothing changes.
    """

    model = Agreement
    action = "transition"
    form_class = forms.ConfirmForm
    template_name = "agreements/transition.html"
    title = ""
    button = ""
    intro = ""
    possible_from = ()
    not_possible = "This step is not possible while the agreement is “{status}”."
    warning = False

    @property
    def agreement(self):
        return self.object

    def check(self):
        require(self.request.user, "transition", self.agreement)

    def refusal(self):
        """Why the step cannot be taken now (shown instead of the button), or None."""
        if self.agreement.status not in self.possible_from:
            return self.not_possible.format(status=self.agreement.get_status_display())
        return None

    def get_form(self, data=None):
        return self.form_class(data, user=self.request.user, agreement=self.agreement)

    def get(self, request, pk):
        self.check()
        return self.render(self.get_form(), refusal=self.refusal())

    def post(self, request, pk):
        self.check()
        refusal = self.refusal()
        if refusal:
            return self.render(self.get_form(), status=400, refusal=refusal)
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    result = self.perform(form)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, self.success_message(result))
                return redirect(self.success_url(result))
        return self.render(form, status=400)

    def perform(self, form):
        raise NotImplementedError

    def success_message(self, result):
        return f"{self.title}: done."

    def success_url(self, result):
        return self.agreement.get_absolute_url()

    def render(self, form, status=200, refusal=None):
        context = {
            "view": self,
            "form": form,
            "agreement": self.agreement,
            "object": self.object,
            "refusal": refusal,
            "cancel_url": self.agreement.get_absolute_url(),
        }
        return render(self.request, self.template_name, context, status=status)


class SendForCommentView(TransitionView):
    title = "Send for comment"
    button = "Send for comment"
    intro = "The draft goes to the parties' boards or committees for comment. Record each round of comment as it comes."
    possible_from = (S.DRAFT,)

    def perform(self, form):
        return lifecycle.send_for_comment(self.agreement)

    def success_message(self, result):
        return f"Sent for comment: {result}"


class ReturnToDraftView(TransitionView):
    title = "Return to draft"
    button = "Return to draft"
    intro = "The agreement goes back to being a draft, for example to rework it after the comments."
    possible_from = (S.OUT_FOR_COMMENT,)

    def perform(self, form):
        return lifecycle.return_to_draft(self.agreement)

    def success_message(self, result):
        return f"Returned to draft: {result}"


class ApproveView(TransitionView):
    title = "Approve the agreement"
    button = "Approve"
    intro = "Once approved, the terms are fixed and each party signs. A later change needs a variation."
    possible_from = (S.OUT_FOR_COMMENT,)

    def perform(self, form):
        return lifecycle.approve(self.agreement)

    def success_message(self, result):
        return f"Approved: {result}. Record each party's signature as it comes."


class BringIntoForceView(TransitionView):
    title = "Bring into force"
    button = "Bring into force"
    intro = "The agreement comes into force once every party has signed."
    possible_from = (S.APPROVED,)

    def refusal(self):
        return super().refusal() or signing_problem(self.agreement)

    def perform(self, form):
        return lifecycle.bring_into_force(self.agreement)

    def success_message(self, result):
        start = lifecycle.commencement_date(result)
        return f"In force{f' from {day(start)}' if start else ''}: {result}"


class StartVariationView(TransitionView):
    title = "Start a variation"
    button = "Start a variation"
    intro = (
        "A variation is a new version of the agreement, copied from this one: its terms, parties, scope, "
        "milestones and indicators. Edit it, send it for comment, approve it, and every party signs it again. "
        "This version stays in force, and readable, until the variation comes into force."
    )
    possible_from = (S.IN_FORCE,)
    not_possible = "Only an agreement in force can be varied; this one is “{status}”."

    def refusal(self):
        refusal = super().refusal()
        if refusal is None and Agreement.objects.filter(varies=self.agreement).exists():
            return "A variation of this agreement is already in progress."
        return refusal

    def perform(self, form):
        return lifecycle.start_variation(self.agreement)

    def success_message(self, result):
        return f"Version {result.version} started as a draft: edit its terms, then send it for comment."

    def success_url(self, result):
        return result.get_absolute_url()


class SupersedeView(TransitionView):
    title = "Record that the agreement is superseded"
    button = "Record that it is superseded"
    intro = "Another agreement replaces this one. Both are linked, and this one ends."
    form_class = forms.SupersedeForm
    possible_from = (S.IN_FORCE,)
    warning = True

    def perform(self, form):
        return lifecycle.supersede(self.agreement, form.cleaned_data["replacement"], form.cleaned_data["ended_on"])

    def success_message(self, result):
        return f"{result} is superseded by {result.superseded_by}."


class ExpireView(TransitionView):
    title = "Mark as expired"
    button = "Mark as expired"
    intro = "The agreement's term has ended and it was not renewed or replaced."
    possible_from = (S.IN_FORCE,)
    not_possible = "Only an agreement in force can be marked as expired; this one is “{status}”."
    warning = True

    def refusal(self):
        refusal = super().refusal()
        end = self.agreement.term_end_date
        if refusal is None and (end is None or end >= local_today()):
            return "Only an agreement whose term has ended can be marked as expired."
        return refusal

    def perform(self, form):
        return lifecycle.expire(self.agreement, today=local_today())

    def success_message(self, result):
        return f"Expired on {day(result.ended_on)}: {result}"


class TerminateView(TransitionView):
    title = "Terminate the agreement"
    button = "Terminate"
    intro = "The agreement ends before its term, for example on notice by a party."
    form_class = forms.TerminateForm
    possible_from = (S.IN_FORCE,)
    warning = True

    def perform(self, form):
        return lifecycle.terminate(self.agreement, form.cleaned_data["ended_on"])

    def success_message(self, result):
        return f"Terminated on {day(result.ended_on)}: {result}"


class SignatureView(TransitionView):
    """Record one party's signature (the object in the URL is the party)."""

    model = AgreementParty
    form_class = forms.SignatureForm
    title = "Record a signature"
    button = "Record the signature"
    possible_from = (S.APPROVED,)
    not_possible = "Signatures are recorded once the agreement is approved; it is “{status}”."

    def get_queryset(self):
        return AgreementParty.objects.select_related("agreement", "organisation")

    @property
    def agreement(self):
        return self.object.agreement

    @property
    def intro(self):
        return f"The signature of {self.object.organisation} on {self.agreement}."

    def refusal(self):
        refusal = super().refusal()
        if refusal is None and self.object.has_signed:
            return f"{self.object.organisation} has already signed, on {day(self.object.signed_on)}."
        return refusal

    def get_form(self, data=None):
        return self.form_class(data, user=self.request.user, party=self.object)

    def perform(self, form):
        data = form.cleaned_data
        return lifecycle.record_signature(
            self.object,
            data["signatory_name"],
            data["signatory_position"],
            data["signed_on"],
            signed_copy=data.get("signed_copy"),
            user=self.request.user,
        )

    def success_message(self, result):
        return f"Signature recorded: {result.organisation}, {day(result.signed_on)}."

    def success_url(self, result):
        return agreement_url(self.agreement, "parties")
