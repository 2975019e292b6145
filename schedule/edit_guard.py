"""No lost edit in the admin: a save from a form opened before someone else's save of the row
is refused, naming the differing fields, input kept (the row is read under a lock)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.utils import timezone

from schedule import locks, markers
from schedule.outage import busy_state

FIELD = "opened_version"
BUSY = (
    "Nothing was saved: the schedule of this event is being imported or changed right now. "
    "Your changes are still in the form; save again in a minute."
)


class LostEditGuardForm(forms.ModelForm):
    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial[FIELD] = self.instance.updated.isoformat()

    def clean_opened_version(self):
        opened = self.cleaned_data.get(FIELD, "")
        # The save's locks in schedule.locks' order, held to the end of the admin's
        # transaction; a wait given up (an import is running) is a form error.
        try:
            with transaction.atomic():  # a savepoint: the save stays usable after a wait
                locks.lock_events(locks.events_of(self.instance))
                saved = self.locked_row() if self.instance.pk and opened else None
        except OperationalError as error:
            if not busy_state(error):
                raise
            raise ValidationError(BUSY, code="busy") from None
        if saved is None or saved.updated.isoformat() == opened:
            return opened
        data = self.data.copy()
        data[self.add_prefix(FIELD)] = saved.updated.isoformat()
        self.data = data  # saving again, after a look, goes through
        raise ValidationError(
            "This %(kind)s was changed by someone else since you opened it (saved at %(when)s). "
            "Your changes are still in the form; fields that now differ from the saved "
            "%(kind)s: %(fields)s. Check them and save again to keep yours.",
            params={
                "kind": self._meta.model._meta.verbose_name,
                "when": timezone.localtime(saved.updated).strftime("%H:%M:%S"),
                "fields": self.differing_fields(saved) or "none",
            },
            code="stale",
        )

    def locked_row(self):
        """The saved row, read under its lock (held to the end of the admin's transaction)."""
        model = self._meta.model
        return model.objects.select_for_update(of=("self",)).filter(pk=self.instance.pk).first()

    def differing_fields(self, saved) -> str:
        names = []
        for name, field in self.fields.items():
            if name == FIELD or not hasattr(saved, name) or name not in self._meta.fields:
                continue
            try:
                mine = field.clean(field.widget.value_from_datadict(self.data, self.files, name))
            except ValidationError:
                continue
            theirs = getattr(saved, name)
            if hasattr(theirs, "all"):  # many-to-many: compare the chosen rows
                mine, theirs = {o.pk for o in mine or ()}, {o.pk for o in theirs.all()}
            mine, theirs = self.comparable(name, mine, theirs, saved)
            if mine != theirs and (mine or theirs):
                names.append(str(field.label or name))
        return ", ".join(names)

    def comparable(self, name, mine, theirs, saved):
        """A field's typed and saved values in a form that compares (for subclasses)."""
        return mine, theirs


class LostEditGuardAdmin(admin.ModelAdmin):
    """A ModelAdmin whose change form carries the opened version, saves retried once."""

    form = LostEditGuardForm

    def changeform_view(self, request, *args, **kwargs):
        return self.as_one_change(super().changeform_view, request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self.as_one_change(super().delete_view, request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):  # actions and list editing
        return self.as_one_change(super().changelist_view, request, *args, **kwargs)

    @staticmethod
    def as_one_change(view, request, *args, **kwargs):
        """One save (row and inlines) moves its events' markers once; retried after a deadlock."""

        def once():
            with markers.batched():
                return view(request, *args, **kwargs)

        return locks.retried_once_on_deadlock(once)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or any(FIELD in options.get("fields", ()) for _, options in fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], FIELD]}), *rest]
