"""Optimistic concurrency in the talk admin: a save from a form opened before somebody
else's save is refused with what differs, and the user's input is kept."""

import re

import pytest
from django.urls import reverse

from talks.models import Talk
from tests.factories import brussels, make_talk, make_user
from tests.talks.test_admin import talk_form


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("root", superuser=True))
    return client


def opened_version(response) -> str:
    return re.search(r'name="opened_version" value="([^"]+)"', response.content.decode())[1]


@pytest.mark.django_db
def test_a_stale_form_is_refused_keeping_the_input_then_saved_on_purpose(admin_client, chavanne):
    talk = make_talk(
        title="Autoscaling best practices",
        slug="autoscaling",
        room=chavanne,
        start=brussels(2014, 2, 1, 12, 20),
        minutes=20,
    )
    url = reverse("admin:talks_talk_change", args=[talk.pk])
    version = opened_version(admin_client.get(url))  # the second organiser opens the form

    first = Talk.objects.get(pk=talk.pk)  # the first organiser saves a new title meanwhile
    first.title = "Autoscaling in practice"
    first.save()

    data = talk_form(
        talk.event,
        title="Autoscaling best practices",
        slug="autoscaling",
        room=chavanne.pk,
        start_0="2014-02-01",
        start_1="12:20",
        end_0="2014-02-01",
        end_1="12:40",
        abstract="A new abstract.",
        opened_version=version,
    )
    refused = admin_client.post(url, data)

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "changed by someone else since you opened it" in page
    assert "fields that now differ from the saved talk: Title" in page
    assert "A new abstract." in page  # the user's input is still in the form
    talk.refresh_from_db()
    assert talk.title == "Autoscaling in practice"
    assert talk.abstract == ""

    again = admin_client.post(url, data | {"opened_version": opened_version(refused)})

    assert again.status_code == 302
    talk.refresh_from_db()
    assert talk.abstract == "A new abstract."
    assert talk.title == "Autoscaling best practices"  # kept on purpose, after the warning


@pytest.mark.django_db
def test_an_up_to_date_form_saves_at_once(admin_client, chavanne):
    talk = make_talk(title="One", slug="one", room=chavanne, start=brussels(2014, 2, 1, 10))
    url = reverse("admin:talks_talk_change", args=[talk.pk])
    version = opened_version(admin_client.get(url))

    response = admin_client.post(
        url,
        talk_form(
            talk.event,
            title="One, renamed",
            slug="one",
            room=chavanne.pk,
            start_0="2014-02-01",
            start_1="10:00",
            end_0="2014-02-01",
            end_1="10:30",
            opened_version=version,
        ),
    )

    assert response.status_code == 302
    talk.refresh_from_db()
    assert talk.title == "One, renamed"


def guarded_admins():
    from django.contrib import admin

    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if any(f.name == "updated" for f in model._meta.fields)
    ]


def data_as_opened(form_class, row) -> dict:
    """What the form would post back unchanged, as a browser shows it."""
    from django import forms

    opened = form_class(instance=row)
    data = {}
    for name, field in opened.fields.items():
        value = opened[name].value()
        if isinstance(field.widget, forms.MultiWidget):  # a date and a time, as typed
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is not None and value is not False:
            data[name] = str(value)
    return data


def admin_form(row):
    """The admin's form class for `row`, as an organiser gets it."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = make_user(superuser=True)
    return dict(guarded_admins())[type(row)].get_form(request, row)


def test_every_admin_of_an_edited_model_guards_against_lost_edits():
    from schedule.edit_guard import LostEditGuardForm

    names = {model.__name__ for model, _ in guarded_admins()}
    assert {"Talk", "Speaker", "Room", "Devroom", "Event"} <= names
    for model, model_admin in guarded_admins():
        assert issubclass(model_admin.form, LostEditGuardForm), model


@pytest.mark.django_db
def test_speakers_rooms_devrooms_and_events_refuse_a_stale_save(admin_client, event, chavanne):
    """Each model's admin page carries the opened version; a save from a form opened
    before somebody else's save is refused naming the field, and saves on purpose after."""
    from django.test import RequestFactory

    from tests.factories import make_devroom, make_speaker

    rows = [event, chavanne, make_devroom(event, name="Cloud"), make_speaker(name="Thierry")]
    request = RequestFactory().get("/")
    request.user = make_user("organiser", superuser=True)
    for row in rows:
        model_admin = dict(guarded_admins())[type(row)]
        url = reverse(f"admin:{row._meta.app_label}_{row._meta.model_name}_change", args=[row.pk])
        page = admin_client.get(url)
        assert page.status_code == 200
        version = opened_version(page)

        form_class = model_admin.get_form(request, row)
        data = data_as_opened(form_class, row)
        data["opened_version"] = version
        data["name"] = "Typed by the second organiser"

        other = type(row).objects.get(pk=row.pk)  # the first organiser saves meanwhile
        other.name = "Saved by the first organiser"
        other.save()

        stale = form_class(data, instance=type(row).objects.get(pk=row.pk))
        assert not stale.is_valid(), row
        message = " ".join(stale.errors["opened_version"])
        assert f"This {row._meta.verbose_name} was changed by someone else" in message
        assert "Name" in message.split("now differ", 1)[1]

        again = form_class(stale.data, instance=type(row).objects.get(pk=row.pk))
        assert again.is_valid(), (row, again.errors)
        again.save()
        assert type(row).objects.get(pk=row.pk).name == "Typed by the second organiser"
