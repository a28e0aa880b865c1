"""The import page: upload a register spreadsheet, check the preview, then import all rows or none.

Pressing "Import" checks the rows again here and queues the commit for the background worker
(``importing.background``); the import's own page (:class:`ImportRunView`) polls its progress and
then says what was imported, or why nothing was.

The uploaded file is read once, on upload; its rows wait in ``settings.IMPORT_STAGING_DIR``
under a random token that only the uploader's session knows (anyone else's token is a 404), and
the file's own name is never part of the staged file's. The preview is a dry run; pressing
"Import" plans the staged rows again and re-checks every row on the server before writing, so
nothing the browser sends can slip past the checks.
"""

from pathlib import Path

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from core.permissions import require
from partnerships.forms import ImportMappingForm, ImportUploadForm
from partnerships.importing import (
    ImportFileError,
    SheetError,
    background,
    build_plan,
    detect_header,
    has_nhs_number_problem,
    header_text,
    load_rows,
    nhs_number_problems,
    staging,
    suggest_mapping,
)
from partnerships.models import ImportState, Partnership, RegisterImport

SESSION_KEY = "register_imports"
PREVIEW_ROWS = 200
MAX_LISTED = 50  # NHS-number cells listed on the upload page
KEEP_UPLOADS = 5  # per session


class ImportMixin:
    def dispatch(self, request, *args, **kwargs):
        require(request.user, "import", Partnership)
        return super().dispatch(request, *args, **kwargs)

    def uploads(self):
        return self.request.session.get(SESSION_KEY, {})

    def save_uploads(self, uploads):
        self.request.session[SESSION_KEY] = uploads
        self.request.session.modified = True

    def forget(self, token):
        uploads = self.uploads()
        if uploads.pop(token, None) is not None:
            staging.discard(token)
        self.save_uploads(uploads)


class ImportUploadView(ImportMixin, View):
    template_name = "partnerships/import/upload.html"

    def get(self, request):
        return self.render(ImportUploadForm(user=request.user))

    def post(self, request):
        form = ImportUploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload, sheet = form.cleaned_data["file"], form.cleaned_data["sheet"].strip()
            try:
                rows = load_rows(upload, upload.name, sheet=sheet or None)
            except SheetError as error:
                form.add_error("sheet", error.message)
            except ImportFileError as error:
                form.add_error("file", error.message)
            else:
                refused = nhs_number_problems(rows)
                if not refused:
                    token = self.stage(rows, upload.name, sheet)
                    return redirect("partnerships:import_preview", token=token)
                # A file with patient identifiers is not kept, not even for a preview.
                for problem in refused[:MAX_LISTED]:
                    form.add_error("file", str(problem))
                if len(refused) > MAX_LISTED:
                    form.add_error("file", f"And {len(refused) - MAX_LISTED} more cells like these.")
        return self.render(form, status=400)

    def stage(self, rows, name, sheet):
        """Keep the rows read (the file is never read again) and remember them in this session."""
        token = staging.stage(rows)
        uploads = self.uploads()
        for old in list(uploads)[: max(0, len(uploads) - KEEP_UPLOADS + 1)]:
            uploads.pop(old)
            staging.discard(old)
        uploads[token] = {"name": Path(name).name[:120], "sheet": sheet, "header_row": None, "mapping": None}
        self.save_uploads(uploads)
        return token

    def render(self, form, status=200):
        context = {"form": form}
        return render(self.request, self.template_name, context, status=status)


class ImportPreviewView(ImportMixin, View):
    template_name = "partnerships/import/preview.html"

    def entry(self, token):
        if not staging.TOKEN.match(token):
            raise Http404
        entry = self.uploads().get(token)
        if entry is None:
            raise Http404  # not this user's upload (or long gone): say nothing about it
        return entry

    def read(self, token):
        """The staged rows, or None (with a message) when they can no longer be read."""
        try:
            return staging.staged_rows(token)
        except ImportFileError as error:
            self.forget(token)
            messages.error(self.request, error.message)
            return None

    def settings_for(self, entry, rows):
        header_index = (entry["header_row"] or 0) - 1
        if not 0 <= header_index < len(rows):
            header_index = detect_header(rows)
        width = self.width(rows)
        mapping = entry["mapping"]
        if mapping is None or len(mapping) != width:
            mapping = (suggest_mapping(rows[header_index]) + [None] * width)[:width]
        return header_index, mapping

    @staticmethod
    def width(rows):
        return max((len(r) for r in rows), default=0)

    def form_for(self, rows, header_index, mapping, data=None):
        headers = [header_text(rows[header_index], i) for i in range(self.width(rows))]
        initial = {"header_row": header_index + 1}
        initial.update({f"column_{i}": key or "" for i, key in enumerate(mapping)})
        return ImportMappingForm(data, initial=initial, headers=headers, row_count=len(rows), user=self.request.user)

    def get(self, request, token):
        entry = self.entry(token)
        rows = self.read(token)
        if rows is None:
            return redirect("partnerships:import")
        header_index, mapping = self.settings_for(entry, rows)
        form = self.form_for(rows, header_index, mapping)
        plan = build_plan(rows, header_index, mapping, user=request.user)
        changed = request.GET.get("changed") == "1"
        return self.render(token, entry, form, plan, changed=changed)

    def post(self, request, token):
        entry = self.entry(token)
        rows = self.read(token)
        if rows is None:
            return redirect("partnerships:import")
        header_index, mapping = self.settings_for(entry, rows)
        form = self.form_for(rows, header_index, mapping, data=request.POST)
        if not form.is_valid():
            return self.render(token, entry, form, None, status=400)
        new_header = form.cleaned_data["header_row"] - 1
        if new_header != header_index:
            # Other headings mean other columns: start again from the suggestions for that row.
            entry.update(header_row=new_header + 1, mapping=None)
            self.save(token, entry)
            return redirect("partnerships:import_preview", token=token)
        new_mapping = form.mapping()
        changed = new_mapping != mapping
        entry.update(header_row=header_index + 1, mapping=new_mapping)
        self.save(token, entry)
        if request.POST.get("action") != "commit":
            return redirect("partnerships:import_preview", token=token)
        if changed:
            return redirect(reverse("partnerships:import_preview", args=[token]) + "?changed=1")
        return self.commit(token, entry, rows, header_index, new_mapping, form)

    def commit(self, token, entry, rows, header_index, mapping, form):
        """Check every row again, here and now, then queue the writing of all of them (or none) for the worker."""
        request = self.request
        plan = build_plan(rows, header_index, mapping, user=request.user)
        if plan.problems:
            return self.render(token, entry, form, plan, status=400)
        if request.POST.get("expected") != self.signature(plan):
            return self.render(token, entry, form, plan, register_changed=True, status=409)
        record = background.queue(
            rows,
            header_index,
            mapping,
            user=request.user,
            name=entry["name"],
            sheet=entry.get("sheet") or "",
            expected=self.signature(plan),
        )
        self.forget(token)
        return redirect(record.get_absolute_url())

    signature = staticmethod(background.signature)

    def save(self, token, entry):
        uploads = self.uploads()
        uploads[token] = entry
        self.save_uploads(uploads)

    def render(self, token, entry, form, plan, status=200, **extra):
        if plan is not None and has_nhs_number_problem(plan.problems):
            self.forget(token)  # never keep patient identifiers, even in the staging area
            extra["discarded"] = True
        shown = plan.rows[:PREVIEW_ROWS] if plan else []
        shown_rows = {r.row for r in shown}
        context = {
            "token": token,
            "entry": entry,
            "form": form,
            "plan": plan,
            "shown": shown,
            "shown_rows": shown_rows,
            "preview_rows": PREVIEW_ROWS,
            "signature": self.signature(plan) if plan else "",
            "new_organisations": plan.new_organisations[:PREVIEW_ROWS] if plan else [],
            **extra,
        }
        return render(self.request, self.template_name, context, status=status)


class ImportRunView(View):
    """An import queued for the worker: its progress (the htmx fragment answers 286 once it has
    finished, so polling stops), then what it created and updated, or why nothing was imported."""

    template_name = "partnerships/import/run.html"

    def get(self, request, pk):
        require(request.user, "import", Partnership)
        record = get_object_or_404(RegisterImport, pk=pk)
        template = "partnerships/import/includes/run_progress.html" if request.htmx else self.template_name
        context = {"object": record, "stale": background.is_stale(record), "summary": self.summary(record)}
        status = 286 if request.htmx and record.finished else 200  # 286: htmx stops polling
        return render(request, template, context, status=status)

    @staticmethod
    def summary(record):
        """What a finished import did, in words (None until it has)."""
        if record.state != ImportState.DONE:
            return None
        done = record.summary

        def count(n, word):
            return f"{n:,} {word}{'s' if n != 1 else ''}"

        parts = [f"{count(done.get('created', 0), 'partnership')} added", f"{done.get('updated', 0):,} updated"]
        if done.get("unchanged"):
            parts.append(f"{done['unchanged']:,} unchanged")
        if done.get("new_organisations"):
            parts.append(count(done["new_organisations"], "new organisation"))
        if done.get("new_service_areas"):
            parts.append(count(done["new_service_areas"], "new service area"))
        return {"text": ", ".join(parts) + ".", "leads_to_confirm": done.get("leads_to_confirm", 0)}


class ImportAgainView(View):
    """Queue once more an import that failed, or whose worker stopped (killed) part-way: nothing of
    an unfinished attempt was written, and an attempt still writing would write nothing."""

    def post(self, request, pk):
        require(request.user, "import", Partnership)
        record = get_object_or_404(RegisterImport, pk=pk)
        if not (record.state == ImportState.FAILED or background.is_stale(record)):
            messages.error(request, "This import is not stopped: it cannot be run again.")
        elif not background.run_again(record):
            messages.error(request, "This import finished meanwhile.")
        return redirect(record.get_absolute_url())
