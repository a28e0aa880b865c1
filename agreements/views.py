"""The agreements' pages: thin subclasses of the generic views in ``core.views``.

What is possible when is ``agreements.lifecycle``'s to say, and every step is taken by
``agreements.services``; a step refused is shown as an error summary (HTTP 400) and nothing is
written.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.views import View

from agreements import forms, lifecycle, services
from agreements.filters import AgreementFilter
from agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementParty,
    Consultation,
    Indicator,
    Milestone,
    ScopeItem,
)
from agreements.selectors import with_commencement
from core import views as generic
from core.dates import day, local_today
from core.exports import export_response
from core.models import AuditEntry
from core.pagination import paginate
from core.permissions import ALL, OWN, grant, require
from partnerships.models import Partnership

RECENT_CHANGES = 10


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
        today = local_today()
        rights = Rights(self.request.user, agreement)
        can_view_documents = rights.may("view", AgreementDocument)
        terms_open = lifecycle.terms_refusal(agreement) is None
        consultation_refusal = lifecycle.consultation_refusal(agreement)
        return {
            "view": self,
            "object": agreement,
            "agreement": agreement,
            "today": today,
            "parties": list(agreement.parties.all()),
            "milestones": [(m, m.is_overdue(today)) for m in agreement.milestones.all()],
            "documents": list(agreement.documents.all()),
            "consultations": list(agreement.consultations.all()),
            "consultation_refusal": consultation_refusal,
            "variation": lifecycle.variation_of(agreement),
            "supersedes": list(agreement.supersedes.all()),
            "steps": lifecycle.progress(agreement),
            "guidance": lifecycle.next_steps(agreement, today),
            "actions": lifecycle.possible_steps(agreement, today) if rights.may("transition", Agreement) else [],
            "can_change": rights.may("change", Agreement) and terms_open,
            "can_sign": rights.may("transition", Agreement) and lifecycle.signing_refusal(agreement) is None,
            "can_edit_parties": rights.may("change", AgreementParty) and terms_open,
            "can_add_parties": rights.may("add", AgreementParty) and terms_open,
            "can_add_consultations": rights.may("add", Consultation) and consultation_refusal is None,
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
        return None if self.is_create else lifecycle.terms_refusal(self.object)

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


class PartyEditView(AgreementChildEditView):
    model = AgreementParty
    form_class = forms.PartyForm
    anchor = "parties"

    def refusal(self):
        return lifecycle.parties_refusal(self.parent)

    def success_message(self, obj):
        return f"Party {'added' if self.is_create else 'saved'}: {obj.organisation}"


class PartyDeleteView(AgreementChildDeleteView):
    model = AgreementParty
    anchor = "parties"

    def refusal(self):
        return lifecycle.parties_refusal(self.object.agreement)


class ConsultationEditView(AgreementChildEditView):
    model = Consultation
    form_class = forms.ConsultationForm
    anchor = "comment"

    def refusal(self):
        return lifecycle.consultation_refusal(self.parent) if self.is_create else None


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

    The user needs the "transition" right on the agreement; ``agreements.lifecycle`` says whether
    the step is possible now and ``agreements.services`` takes it. A refusal is an error summary
    (400) and nothing changes.
    """

    model = Agreement
    action = "transition"
    form_class = forms.ConfirmForm
    template_name = "agreements/transition.html"
    step = None  # an agreements.lifecycle.Step
    title = ""
    intro = ""

    def get_queryset(self):
        parties = AgreementParty.objects.select_related("organisation")
        return Agreement.objects.prefetch_related(Prefetch("parties", queryset=parties))

    @property
    def agreement(self):
        return self.object

    @property
    def button(self):
        return self.step.label

    @property
    def warning(self):
        return self.step.ends

    def check(self):
        require(self.request.user, "transition", self.agreement)

    def refusal(self):
        """Why the step cannot be taken now (shown instead of the button), or None."""
        return lifecycle.refusal(self.step, self.agreement)

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
                    self.read_for_update()
                    result = self.perform(form)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, self.success_message(result))
                return redirect(self.success_url(result))
        return self.render(form, status=400)

    def read_for_update(self):
        """Read the record again, its row locked until the step ends, and ask again whether the step
        is possible. A step saves the whole agreement: from a copy read before somebody else's save
        it would silently undo that save, and two people taking the same step at once could both
        pass the check above."""
        self.lock_object()
        refusal = self.refusal()
        if refusal:
            raise ValidationError(refusal)

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
    step = lifecycle.STEP["send_for_comment"]
    title = "Send for comment"
    intro = "The draft goes to the parties' boards or committees for comment. Record each round of comment as it comes."

    def perform(self, form):
        return services.send_for_comment(self.agreement)

    def success_message(self, result):
        return f"Sent for comment: {result}"


class ReturnToDraftView(TransitionView):
    step = lifecycle.STEP["return_to_draft"]
    title = "Return to draft"
    intro = "The agreement goes back to being a draft, for example to rework it after the comments."

    def perform(self, form):
        return services.return_to_draft(self.agreement)

    def success_message(self, result):
        return f"Returned to draft: {result}"


class ApproveView(TransitionView):
    step = lifecycle.STEP["approve"]
    title = "Approve the agreement"
    intro = "Once approved, the terms are fixed and each party signs. A later change needs a variation."

    def perform(self, form):
        return services.approve(self.agreement)

    def success_message(self, result):
        return f"Approved: {result}. Record each party's signature as it comes."


class BringIntoForceView(TransitionView):
    step = lifecycle.STEP["bring_into_force"]
    title = "Bring into force"
    intro = "The agreement comes into force once every party has signed."

    def perform(self, form):
        return services.bring_into_force(self.agreement)

    def success_message(self, result):
        start = lifecycle.commencement_date(result)
        return f"In force{f' from {day(start)}' if start else ''}: {result}"


class StartVariationView(TransitionView):
    step = lifecycle.STEP["start_variation"]
    title = "Start a variation"
    intro = (
        "A variation is a new version of the agreement, copied from this one: its terms, parties, scope, "
        "milestones and indicators. Edit it, send it for comment, approve it, and every party signs it again. "
        "This version stays in force, and readable, until the variation comes into force."
    )

    def perform(self, form):
        return services.start_variation(self.agreement)

    def success_message(self, result):
        return f"Version {result.version} started as a draft: edit its terms, then send it for comment."

    def success_url(self, result):
        return result.get_absolute_url()


class SupersedeView(TransitionView):
    step = lifecycle.STEP["supersede"]
    title = "Record that the agreement is superseded"
    intro = "Another agreement replaces this one. Both are linked, and this one ends."
    form_class = forms.SupersedeForm

    def perform(self, form):
        return services.supersede(self.agreement, form.cleaned_data["replacement"], form.cleaned_data["ended_on"])

    def success_message(self, result):
        return f"{result} is superseded by {result.superseded_by}."


class ExpireView(TransitionView):
    step = lifecycle.STEP["expire"]
    title = "Mark as expired"
    intro = "The agreement's term has ended and it was not renewed or replaced."

    def perform(self, form):
        return services.expire(self.agreement)

    def success_message(self, result):
        return f"Expired on {day(result.ended_on)}: {result}"


class TerminateView(TransitionView):
    step = lifecycle.STEP["terminate"]
    title = "Terminate the agreement"
    intro = "The agreement ends before its term, for example on notice by a party."
    form_class = forms.TerminateForm

    def perform(self, form):
        return services.terminate(self.agreement, form.cleaned_data["ended_on"])

    def success_message(self, result):
        return f"Terminated on {day(result.ended_on)}: {result}"


class SignatureView(TransitionView):
    """Record one party's signature (the object in the URL is the party)."""

    model = AgreementParty
    form_class = forms.SignatureForm
    title = "Record a signature"
    button = "Record the signature"
    warning = False

    def get_queryset(self):
        return AgreementParty.objects.select_related("agreement", "organisation")

    @property
    def agreement(self):
        return self.object.agreement

    @property
    def intro(self):
        return f"The signature of {self.object.organisation} on {self.agreement}."

    def refusal(self):
        return lifecycle.signature_refusal(self.object)

    def get_form(self, data=None):
        return self.form_class(data, user=self.request.user, party=self.object)

    def perform(self, form):
        data = form.cleaned_data
        return services.record_signature(
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
