"""The administration: its index, the reference lists and the tier thresholds.

The three reference lists (strategic objectives, BAF risk themes, service areas) share one set
of views, parametrised by a :class:`ReferenceList`; :func:`reference_urls` gives each list its
pages, named after the model (``core:servicearea_list``, ``core:servicearea_edit``, ...).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.views import View

from core import registry
from core import views as generic
from core.forms_reference import TierThresholdsForm, reference_form
from core.models import BafRiskTheme, ServiceArea, StrategicObjective, TierThresholds
from core.permissions import permitted, require

# -- What uses a reference item -------------------------------------------------------------


def _usage_relations(model):
    """Every relation pointing at ``model`` (partnerships, BAF themes, ...): what may use an entry."""
    return [rel for rel in model._meta.related_objects if not rel.related_model._meta.auto_created]


def _usage_key(rel):
    return f"used_by_{rel.name}"


def with_usage(queryset):
    """Annotate how many records of each kind use each entry (one subquery per kind)."""
    annotations = {}
    for rel in _usage_relations(queryset.model):
        users = (
            rel.related_model._base_manager.filter(**{rel.field.name: OuterRef("pk")})
            .order_by()
            .values(rel.field.name)
            .annotate(n=Count("pk", distinct=True))
            .values("n")
        )
        annotations[_usage_key(rel)] = Coalesce(Subquery(users, output_field=IntegerField()), Value(0))
    return queryset.annotate(**annotations)


def _counted(n, meta):
    return f"{n} {meta.verbose_name if n == 1 else meta.verbose_name_plural}"


def usage(obj):
    """("3 partnerships", "1 BAF risk theme") for whatever uses ``obj``; read from annotations when present."""
    parts = []
    for rel in _usage_relations(type(obj)):
        n = getattr(obj, _usage_key(rel), None)
        if n is None:
            n = rel.related_model._base_manager.filter(**{rel.field.name: obj}).count()
        if n:
            parts.append(_counted(n, rel.related_model._meta))
    return parts


def _and(parts):
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# -- The reference lists ------------------------------------------------------------------------


def _used_by(obj):
    parts = usage(obj)
    return _and(parts) if parts else "Not used"


def _objective(theme):
    return str(theme.strategic_objective) if theme.strategic_objective_id else ""


def _active(obj):
    return "Active" if obj.is_active else "Inactive"


ACTIVE_CELL = "core/reference/includes/active_cell.html"


@dataclass(frozen=True)
class ReferenceList:
    model: type
    slug: str
    fields: tuple
    columns: tuple
    intro: str
    default_sort: str = "name"

    @property
    def name(self):
        return self.model._meta.model_name

    def url_name(self, page):
        return f"core:{self.name}_{page}"

    @property
    def title(self):
        return capfirst(self.model._meta.verbose_name_plural)


REFERENCE_LISTS = (
    ReferenceList(
        model=StrategicObjective,
        slug="strategic-objectives",
        fields=("number", "name", "description", "is_active"),
        default_sort="number",
        intro="The trust's strategic objectives, numbered as in board papers. Partnerships say which "
        "objectives they support; one that materially contributes to an objective is Tier 1.",
        columns=(
            generic.Column("number", "Objective", sort="number", value=str),
            generic.Column("description", "Description"),
            generic.Column("is_active", "Status", sort="is_active", value=_active, template=ACTIVE_CELL),
            generic.Column("used_by", "Used by", value=_used_by),
        ),
    ),
    ReferenceList(
        model=BafRiskTheme,
        slug="baf-risk-themes",
        fields=("name", "strategic_objective", "is_active"),
        intro="The strategic risk themes of the Board Assurance Framework that partnerships link to.",
        columns=(
            generic.Column("name", "BAF risk theme", sort="name"),
            generic.Column(
                "strategic_objective", "Strategic objective", sort="strategic_objective__number", value=_objective
            ),
            generic.Column("is_active", "Status", sort="is_active", value=_active, template=ACTIVE_CELL),
            generic.Column("used_by", "Used by", value=_used_by),
        ),
    ),
    ReferenceList(
        model=ServiceArea,
        slug="service-areas",
        fields=("name", "is_active"),
        intro="The trust's service areas, as chosen on each partnership.",
        columns=(
            generic.Column("name", "Service area", sort="name"),
            generic.Column("is_active", "Status", sort="is_active", value=_active, template=ACTIVE_CELL),
            generic.Column("used_by", "Used by", value=_used_by),
        ),
    ),
)


class ReferenceListMixin:
    """Set by :func:`reference_urls`: which list these pages are about (and its model)."""

    reference = None

    def list_url(self):
        return reverse(self.reference.url_name("list"))


class ReferenceItemListView(ReferenceListMixin, generic.ObjectListView):
    template_name = "core/reference/item_list.html"

    @property
    def columns(self):
        return self.reference.columns

    @property
    def default_sort(self):
        return self.reference.default_sort

    @property
    def add_url_name(self):
        return self.reference.url_name("add")

    def get_queryset(self):
        related = [f.name for f in self.model._meta.concrete_fields if f.is_relation]
        return with_usage(self.model._default_manager.select_related(*related))


class ReferenceItemEditView(ReferenceListMixin, generic.ObjectEditView):
    template_name = "core/reference/item_form.html"

    @property
    def form_class(self):
        return reference_form(self.model, list(self.reference.fields))

    def success_url(self, obj):
        return self.list_url()

    def cancel_url(self):
        return self.list_url()

    def history_url(self):
        return reverse(self.reference.url_name("history"), args=[self.object.pk])

    def delete_url(self):
        return reverse(self.reference.url_name("delete"), args=[self.object.pk])


class ReferenceItemDeleteView(ReferenceListMixin, generic.ObjectDeleteView):
    def refusal(self):
        parts = usage(self.object)
        if not parts:
            return None
        verb = "uses" if len(parts) == 1 and parts[0].startswith("1 ") else "use"
        return (
            f"“{self.object}” cannot be deleted because {_and(parts)} {verb} it. "
            "Make it inactive instead: it stays on those records but can no longer be chosen."
        )

    def after_delete_url(self):
        return self.list_url()


class ReferenceItemHistoryView(ReferenceListMixin, generic.ObjectHistoryView):
    pass


def reference_urls():
    """list / add / edit / delete / history pages for every reference list."""
    patterns = []
    for ref in REFERENCE_LISTS:
        base, name, kw = f"administration/{ref.slug}/", ref.name, {"reference": ref, "model": ref.model}
        patterns += [
            path(base, ReferenceItemListView.as_view(**kw), name=f"{name}_list"),
            path(f"{base}add/", ReferenceItemEditView.as_view(**kw), name=f"{name}_add"),
            path(f"{base}<int:pk>/edit/", ReferenceItemEditView.as_view(**kw), name=f"{name}_edit"),
            path(f"{base}<int:pk>/delete/", ReferenceItemDeleteView.as_view(**kw), name=f"{name}_delete"),
            path(f"{base}<int:pk>/history/", ReferenceItemHistoryView.as_view(**kw), name=f"{name}_history"),
        ]
    return patterns


# -- Tier thresholds ----------------------------------------------------------------------------


class TierThresholdsEditView(generic.ObjectEditView):
    """The single row of thresholds. Tier is computed in SQL, so a change re-tiers at once."""

    model = TierThresholds
    form_class = TierThresholdsForm
    template_name = "core/reference/tier_thresholds_form.html"
    is_create = False

    @cached_property
    def object(self):
        return TierThresholds.current()

    def check(self):
        require(self.request.user, "change", TierThresholds)

    def success_message(self, obj):
        return f"Tier thresholds saved: {obj}. Every partnership's tier now follows them."

    def success_url(self, obj):
        return reverse("core:tierthresholds_edit")

    def cancel_url(self):
        return reverse("core:administration")


class TierThresholdsHistoryView(generic.ObjectHistoryView):
    model = TierThresholds

    @cached_property
    def object(self):
        require(self.request.user, "view", TierThresholds)
        return TierThresholds.current()


# -- The administration's index -----------------------------------------------------------------


class AdministrationView(View):
    """Where an administrator finds what each app registered for administration: users, the
    reference lists, the tier thresholds, the risk matrix, the IG requirements..."""

    def get(self, request):
        cards = [
            {
                "title": card.title,
                "url": reverse(card.url_name),
                "description": card.description,
                "summary": card.summary() if card.summary else "",
            }
            for card in registry.administration_cards()
            if permitted(request.user, card.action, card.model)
        ]
        if not cards:
            raise PermissionDenied
        return render(request, "core/reference/administration.html", {"cards": cards})


def register_administration():
    """The administration cards of core's own pages (called from ``CoreConfig.ready``)."""
    for order, ref in enumerate(REFERENCE_LISTS, start=20):
        registry.administration_card(
            ref.title,
            ref.url_name("list"),
            ref.intro,
            ref.model,
            action="view",
            summary=lambda model=ref.model: _active_entries(model),
            order=order,
        )
    registry.administration_card(
        "Tier thresholds",
        "core:tierthresholds_edit",
        "The annual values that set every partnership's tier.",
        TierThresholds,
        summary=lambda: f"Now: {TierThresholds.current()}.",
        order=30,
    )


def _active_entries(model):
    n = model._default_manager.filter(is_active=True).count()
    return f"{n} active entr{'y' if n == 1 else 'ies'}."
