"""The import history in the admin, with a button that reverts an event's last import."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect

from schedule.admin import CustomViews, ReadOnlyAdmin
from schedule.interchange.models import ImportRun
from schedule.interchange.revert import RevertRefused, last_import, revert_import

IMPORT = "schedule.import_schedule"


@admin.register(ImportRun)
class ImportRunAdmin(CustomViews, ReadOnlyAdmin):
    list_display = ["at", "event", "file_name", "source_version", "user", "reverted"]
    list_filter = ["event"]
    list_select_related = ["event", "user"]
    readonly_fields = [
        *("event", "at", "user", "file_name", "file_sha256", "source_version", "reverted"),
        "summary",
    ]
    fields = readonly_fields
    change_form_template = "admin/interchange/importrun/change_form.html"
    custom_views = [("<int:pk>/revert/", "revert_view", "interchange_importrun_revert")]

    def has_module_permission(self, request):
        return request.user.has_perm(IMPORT)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(IMPORT)

    def has_delete_permission(self, request, obj=None):
        return False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.event_id and not obj.reverted:
            context["can_revert"] = last_import(obj.event) == obj
        return super().render_change_form(request, context, add, change, form_url, obj)

    def revert_view(self, request, pk):
        """GET: what a revert does, and a button; POST: revert (or say why not)."""
        if not request.user.has_perm(IMPORT):
            raise PermissionDenied
        run = get_object_or_404(ImportRun.objects.select_related("event"), pk=pk)
        if request.method == "POST":
            try:
                done = revert_import(run)
            except RevertRefused as error:
                messages.error(request, f"{error} Nothing was reverted.")
                return redirect("admin:interchange_importrun_change", run.pk)
            messages.success(request, f"Reverted {run}: " + "; ".join(done) + ".")
            return redirect("admin:interchange_importrun_changelist")
        template = "admin/interchange/importrun/revert.html"
        return self.render_page(request, template, run=run, title=f"Revert {run}")
