"""The admin's import page: upload, preview (a dry run), then "Import this file" without
uploading it again (the previewed bytes are kept as a StagedFile for a day)."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from schedule.interchange.frab_reader import ScheduleFormatError
from schedule.interchange.importers import ImportRefused, import_bytes
from schedule.interchange.models import StagedFile

KEPT_FOR = dt.timedelta(days=1)


def import_page(model_admin, request, form_class):
    staged, report, error = None, None, None
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and request.POST.get("staged"):
        staged = StagedFile.objects.filter(pk=request.POST["staged"], user=request.user).first()
        if staged is None:
            error = "The previewed file is no longer kept (a day at most): upload it again."
        else:
            options = {
                "event_slug": request.POST.get("event_slug") or None,
                "replace": request.POST.get("replace") == "on",
                "prefer_file": request.POST.get("prefer_file") == "on",
            }
            return run_import(
                model_admin, request, bytes(staged.data), staged.file_name, options, staged
            )
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        options = {
            "event_slug": form.cleaned_data["event_slug"] or None,
            "replace": form.cleaned_data["replace"],
            "prefer_file": form.cleaned_data["prefer_file"],
        }
        if not form.cleaned_data["dry_run"]:
            return run_import(model_admin, request, data, upload.name, options)
        try:
            report = import_bytes(data, dry_run=True, **options)
        except (ScheduleFormatError, ImportRefused) as exc:
            error = f"{exc} Nothing was imported."
        else:
            StagedFile.objects.filter(at__lt=timezone.now() - KEPT_FOR).delete()
            staged = StagedFile.objects.create(user=request.user, file_name=upload.name, data=data)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "form": form,
        "report": report,
        "error": error,
        "staged": staged,
        "options": request.POST,
        "title": "Import a schedule",
    }
    return TemplateResponse(request, "admin/schedule/event/import.html", context)


def run_import(model_admin, request, data: bytes, name: str, options: dict, staged=None):
    try:
        report = import_bytes(data, file_name=name, user=request.user, **options)
    except (ScheduleFormatError, ImportRefused) as exc:
        messages.error(request, f"{exc} Nothing was imported.")
        return redirect("admin:schedule_event_import")
    if staged is not None:
        staged.delete()
    summary = " ".join(report.lines()[:2])
    model_admin.log_change(request, report.event, f"Imported {name}: {summary}"[:1000])
    messages.success(request, summary)
    if report.conflicts or report.id_conflicts:
        messages.warning(request, "Some things need a look: see the import's summary.")
        return redirect("admin:interchange_importrun_change", report.run.pk)
    return redirect("admin:schedule_event_change", report.event.pk)
