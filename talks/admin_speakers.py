"""Speakers in the admin, with merge and split. Both need talks.merge_speaker (organisers):
a speaker may appear in other devrooms and editions than a devroom manager's."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from schedule.admin import URL_FIELDS_ASSUME_HTTPS
from schedule.edit_guard import LostEditGuardAdmin
from schedule.permissions import edits_everything, is_devroom_manager, managed_devroom_ids
from talks.models import PersonId, Speaker, SpeakerLink, SpeakerRedirect, Talk
from talks.people import merge_speakers, split_speaker


class SpeakerLinkInline(admin.TabularInline):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    model = SpeakerLink
    extra = 0


class PersonIdInline(admin.TabularInline):
    model = PersonId
    extra = 0
    verbose_name = "id in schedule files"
    verbose_name_plural = "ids in schedule files (per series; exports give them to apps)"


class SpeakerRedirectInline(admin.TabularInline):
    model = SpeakerRedirect
    extra = 0
    verbose_name = "old URL that redirects here"
    verbose_name_plural = "old URLs that redirect here"


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Speaker.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep this speaker",
        help_text="The others' talks, links, ids and URLs move to it; the others are deleted.",
    )


class SplitForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name of the new speaker")
    talks = forms.ModelMultipleChoiceField(
        queryset=Talk.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="These talks move to the new speaker.",
    )
    person_ids = forms.ModelMultipleChoiceField(
        queryset=PersonId.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Ids that belong to the new speaker",
    )

    def __init__(self, *args, speaker, **kwargs):
        super().__init__(*args, **kwargs)
        talks = Talk.objects.filter(speakers=speaker).select_related("event").order_by("start")
        self.fields["talks"].queryset = talks
        self.fields["talks"].label_from_instance = lambda t: f"{t.title} · {t.event} · {t.when()}"
        self.fields["person_ids"].queryset = speaker.person_ids.all()


@admin.register(Speaker)
class SpeakerAdmin(LostEditGuardAdmin):
    """Speakers are shared across devrooms and editions; managers may add and edit them."""

    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["name", "slug", "website"]
    search_fields = ["name", "slug", "name_key"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SpeakerLinkInline, PersonIdInline, SpeakerRedirectInline]
    actions = ["merge_selected"]
    change_form_template = "admin/talks/speaker/change_form.html"

    def get_inlines(self, request, obj):
        return self.inlines if self.has_merge_permission(request) else [SpeakerLinkInline]

    def has_merge_permission(self, request):
        """Merge and split (the action is listed only with it)."""
        return request.user.has_perm("talks.merge_speaker")

    def get_urls(self):
        split = self.admin_site.admin_view(self.split_view)
        pair = self.admin_site.admin_view(self.merge_pair_view)
        return [
            path("<int:pk>/split/", split, name="talks_speaker_split"),
            path("merge/<int:first>/<int:second>/", pair, name="talks_speaker_merge_pair"),
            *super().get_urls(),
        ]

    def merge_pair_view(self, request, first, second):
        """The import summary's link to merge two records that may be one person."""
        if not self.has_merge_permission(request):
            raise PermissionDenied
        pair = Speaker.objects.filter(pk__in=[first, second])
        if pair.count() < 2:
            self.message_user(request, "One of these speakers no longer exists.", messages.WARNING)
            return redirect("admin:talks_speaker_changelist")
        if request.method == "POST":
            self.merge_selected(request, pair)
            return redirect("admin:talks_speaker_changelist")
        return self.merge_selected(request, pair)

    @admin.action(
        description="Merge selected speakers (one person with several records)",
        permissions=["merge"],
    )
    def merge_selected(self, request, queryset):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        if queryset.count() < 2:
            self.message_user(request, "Choose at least two speakers to merge.", messages.WARNING)
            return None
        form = MergeForm(request.POST if "keep" in request.POST else None)
        form.fields["keep"].queryset = queryset.order_by("pk")
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            merged = merge_speakers(keep, list(queryset.exclude(pk=keep.pk)))
            text = f"{merged} speaker(s) merged into “{keep}”."
            self.message_user(request, text, messages.SUCCESS)
            return None
        return self.render_page(
            request,
            "merge.html",
            title="Merge speakers",
            form=form,
            speakers=queryset.prefetch_related("talks__event", "person_ids"),
            selected=request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        )

    def split_view(self, request, pk):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        speaker = get_object_or_404(Speaker, pk=pk)
        form = SplitForm(request.POST or None, speaker=speaker)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            new = split_speaker(speaker, data["talks"], data["name"], data["person_ids"])
            moved = len(data["talks"])
            text = f"{moved} talk(s) moved from “{speaker}” to the new speaker “{new}”."
            self.message_user(request, text, messages.SUCCESS)
            return redirect("admin:talks_speaker_change", new.pk)
        title = f"Split talks off “{speaker}”"
        return self.render_page(request, "split.html", original=speaker, title=title, form=form)

    def render_page(self, request, template: str, **context):
        """One of the merge and split pages (templates/admin/talks/speaker/)."""
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, **context}
        return TemplateResponse(request, f"admin/talks/speaker/{template}", context)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or is_devroom_manager(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or is_devroom_manager(request.user)

    def has_add_permission(self, request):
        return super().has_add_permission(request) or is_devroom_manager(request.user)

    def has_change_permission(self, request, obj=None):
        """Managers change only people who speak in their devrooms alone."""
        user = request.user
        allowed = super().has_change_permission(request, obj) or is_devroom_manager(user)
        if not allowed or obj is None or edits_everything(user):
            return allowed
        mine = managed_devroom_ids(user)
        return not Talk.objects.filter(speakers=obj).exclude(devroom_id__in=mine).exists()
