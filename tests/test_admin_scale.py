"""The talk admin with several editions in the database: every choice is the talk's event's,
the add page starts from the event, and a devroom manager's filters list only their own."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from schedule.roles import grant
from talks.models import Talk
from tests.factories import (
    make_devroom,
    make_event,
    make_many_talks,
    make_room,
    make_speaker,
    make_talk,
    make_user,
)

ADD = reverse("admin:talks_talk_add")
CHANGELIST = reverse("admin:talks_talk_changelist")


class SelectParser(HTMLParser):
    """Collects the option labels (and the selected one) of every <select> by name."""

    def __init__(self):
        super().__init__()
        self.options: dict[str, list[str]] = {}
        self.selected: dict[str, str] = {}
        self._select = self._option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self._select = attrs.get("name")
            self.options.setdefault(self._select, [])
        elif tag == "option" and self._select and attrs.get("value"):
            self._option = ""
            self._is_selected = "selected" in attrs

    def handle_data(self, data):
        if self._option is not None:
            self._option += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self.options[self._select].append(self._option)
            if self._is_selected:
                self.selected[self._select] = self._option
            self._option = None
        elif tag == "select":
            self._select = None


def parse_selects(response) -> SelectParser:
    parser = SelectParser()
    parser.feed(response.content.decode())
    return parser


def filter_choices(response) -> dict[str, list[str]]:
    """The changelist sidebar: each filter's title and the labels it offers (not "All")."""
    changelist = response.context["cl"]
    return {
        spec.title: [c["display"] for c in spec.choices(changelist)][1:]
        for spec in changelist.filter_specs
        if spec.has_output()
    }


def read_only_event(response) -> str:
    """The event as the form shows it: text (a link to the event for organisers)."""
    content = response.content.decode()
    [shown] = re.findall(r'<label>Event:</label>\s*<div class="readonly">(.*?)</div>', content)
    return re.sub(r"<[^>]+>", "", shown)


def talk_form(**overrides) -> dict:
    data = {
        "title": "Rust in the kernel",
        "slug": "rust-in-the-kernel",
        "subtitle": "",
        "kind": "talk",
        "language": "en",
        "status": "confirmed",
        "devroom": "",
        "room": "",
        "start_0": "",
        "start_1": "",
        "end_0": "",
        "end_1": "",
        "abstract": "",
        "description": "",
        "talk_speakers-TOTAL_FORMS": "0",
        "talk_speakers-INITIAL_FORMS": "0",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    return data | overrides


@pytest.fixture
def fosdem_2025(db):
    """A second edition with rooms and devrooms named like the first one's."""
    event = make_event(
        name="FOSDEM 2025",
        slug="fosdem-2025",
        start_date=dt.date(2025, 2, 1),
        end_date=dt.date(2025, 2, 2),
    )
    return {
        "event": event,
        "janson": make_room(event, name="Janson", slug="janson", position=1),
        "chavanne": make_room(event, name="Chavanne", slug="chavanne", position=2),
        "rust": make_devroom(event, name="Rust", slug="rust"),
        "go": make_devroom(event, name="Go", slug="go"),
    }


@pytest.fixture
def organiser(client, db):
    client.force_login(make_user("root", superuser=True))
    return client


@pytest.mark.django_db
def test_change_form_offers_only_the_rooms_and_devrooms_of_the_talks_event(
    organiser, chavanne, ferrer, iaas, lightning, fosdem_2025
):
    talk = make_talk(room=chavanne, devroom=iaas)

    response = organiser.get(reverse("admin:talks_talk_change", args=[talk.pk]))

    selects = parse_selects(response)
    assert selects.options["room"] == ["Chavanne · FOSDEM 2014", "Ferrer · FOSDEM 2014"]
    assert selects.options["devroom"] == [
        "Lightning talks · FOSDEM 2014",
        "Virtualization and IaaS · FOSDEM 2014",
    ]
    assert (selects.selected["room"], selects.selected["devroom"]) == (
        "Chavanne · FOSDEM 2014",
        "Virtualization and IaaS · FOSDEM 2014",
    )


@pytest.mark.django_db
def test_change_form_shows_the_event_read_only_and_ignores_a_posted_event(
    organiser, chavanne, fosdem_2025
):
    talk = make_talk(room=chavanne, title="Old title", start=None)
    url = reverse("admin:talks_talk_change", args=[talk.pk])

    page = organiser.get(url)
    response = organiser.post(
        url,
        talk_form(title="New title", slug=talk.slug, event=fosdem_2025["event"].pk),
    )

    assert "event" not in parse_selects(page).options
    assert read_only_event(page) == "FOSDEM 2014"
    talk.refresh_from_db()
    assert (response.status_code, talk.title, talk.event.name) == (302, "New title", "FOSDEM 2014")


@pytest.mark.django_db
def test_add_page_without_an_event_lists_the_events_to_choose_from(
    organiser, event, chavanne, fosdem_2025
):
    response = organiser.get(ADD)

    content = response.content.decode()
    new = fosdem_2025["event"]
    assert f'<a href="{ADD}?event={new.pk}">FOSDEM 2025</a>' in content
    assert f'<a href="{ADD}?event={event.pk}">FOSDEM 2014</a>' in content
    assert parse_selects(response).options == {}  # no form, no list of every room


@pytest.mark.django_db
def test_add_page_with_an_event_offers_its_rooms_and_presets_the_devroom(
    organiser, chavanne, iaas, fosdem_2025
):
    rust = fosdem_2025["rust"]

    response = organiser.get(f"{ADD}?event={rust.event_id}&devroom={rust.pk}")

    selects = parse_selects(response)
    assert selects.options["room"] == ["Janson · FOSDEM 2025", "Chavanne · FOSDEM 2025"]
    assert selects.options["devroom"] == ["Go · FOSDEM 2025", "Rust · FOSDEM 2025"]
    assert selects.selected["devroom"] == "Rust · FOSDEM 2025"
    assert "room" not in selects.selected  # nothing preset
    assert read_only_event(response) == "FOSDEM 2025"


@pytest.mark.django_db
def test_add_talk_from_a_changelist_filtered_by_event_opens_that_events_form(
    organiser, chavanne, fosdem_2025
):
    new = fosdem_2025["event"]
    changelist = organiser.get(f"{CHANGELIST}?event__id__exact={new.pk}")
    [add_link] = re.findall(rf'href="({ADD}\?[^"]+)"', changelist.content.decode())

    response = organiser.get(add_link.replace("&amp;", "&"))

    assert read_only_event(response) == "FOSDEM 2025"
    assert parse_selects(response).options["room"] == [
        "Janson · FOSDEM 2025",
        "Chavanne · FOSDEM 2025",
    ]


@pytest.mark.django_db
def test_adding_a_talk_saves_it_in_the_chosen_event_and_add_another_stays_there(
    organiser, fosdem_2025
):
    rust, janson = fosdem_2025["rust"], fosdem_2025["janson"]

    response = organiser.post(
        f"{ADD}?event={rust.event_id}",
        talk_form(
            devroom=rust.pk,
            room=janson.pk,
            start_0="2025-02-01",
            start_1="10:00",
            end_0="2025-02-01",
            end_1="10:30",
            _addanother="1",
        ),
    )

    talk = Talk.objects.get()
    assert (talk.event, talk.devroom, talk.room) == (rust.event, rust, janson)
    assert response["Location"] == f"{ADD}?event={rust.event_id}&devroom={rust.pk}"


@pytest.mark.django_db
def test_a_forged_post_with_another_events_room_is_refused_by_name(organiser, event, fosdem_2025):
    response = organiser.post(f"{ADD}?event={event.pk}", talk_form(room=fosdem_2025["janson"].pk))

    assert (
        "Select a valid choice: room “Janson” belongs to FOSDEM 2025, not to FOSDEM 2014."
    ) in response.content.decode()
    assert not Talk.objects.exists()


@pytest.mark.django_db
def test_moving_a_talk_into_another_events_devroom_is_refused_by_name(
    organiser, chavanne, iaas, fosdem_2025
):
    talk = make_talk(room=chavanne, devroom=iaas, start=None)

    response = organiser.post(
        reverse("admin:talks_talk_change", args=[talk.pk]),
        talk_form(slug=talk.slug, room=chavanne.pk, devroom=fosdem_2025["rust"].pk),
    )

    assert (
        "Select a valid choice: devroom “Rust” belongs to FOSDEM 2025, not to FOSDEM 2014."
    ) in response.content.decode()
    talk.refresh_from_db()
    assert talk.devroom == iaas


@pytest.fixture
def rust_manager(client, fosdem_2025, iaas):
    """In the Devroom managers role for Rust (2025) and IaaS (2014), not Go."""
    user = make_user("manager")
    grant(user, "devroom-manager", [fosdem_2025["rust"], iaas])
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_devroom_manager_cannot_post_a_devroom_not_theirs(rust_manager, fosdem_2025):
    go = fosdem_2025["go"]

    response = rust_manager.post(f"{ADD}?event={go.event_id}", talk_form(devroom=go.pk))

    assert "Select a valid choice: devroom “Go” is not one of yours." in response.content.decode()
    assert not Talk.objects.exists()


@pytest.mark.django_db
def test_devroom_manager_add_page_lists_their_events_with_their_devrooms(
    rust_manager, fosdem_2025, iaas
):
    make_event(name="FOSDEM 2026", slug="fosdem-2026")
    rust = fosdem_2025["rust"]

    choose = rust_manager.get(ADD)
    form = rust_manager.get(f"{ADD}?event={rust.event_id}")

    content = choose.content.decode()
    assert "FOSDEM 2026" not in content
    assert f'<a href="{ADD}?event={rust.event_id}&amp;devroom={rust.pk}">Rust</a>' in content
    assert f'<a href="{ADD}?event={iaas.event_id}&amp;devroom={iaas.pk}">' in content
    assert parse_selects(form).options["devroom"] == ["Rust · FOSDEM 2025"]


@pytest.mark.django_db
def test_devroom_manager_filters_list_only_their_devrooms_rooms_and_events(
    rust_manager, fosdem_2025, iaas, chavanne, lightning
):
    make_room(make_event(name="FOSDEM 2026", slug="fosdem-2026"), name="Elsewhere")
    make_talk(room=fosdem_2025["janson"], devroom=fosdem_2025["rust"])

    response = rust_manager.get(CHANGELIST)

    choices = filter_choices(response)
    assert choices["event"] == ["FOSDEM 2025", "FOSDEM 2014"]
    assert choices["devroom"] == [
        "Rust · FOSDEM 2025",
        "Virtualization and IaaS · FOSDEM 2014",
        "-",  # talks without a devroom
    ]
    assert choices["room"] == [
        "Chavanne · FOSDEM 2025",
        "Janson · FOSDEM 2025",
        "Chavanne · FOSDEM 2014",
        "-",
    ]


@pytest.mark.django_db
def test_organiser_devroom_and_room_filters_follow_the_chosen_event(
    organiser, fosdem_2025, iaas, lightning, chavanne
):
    new = fosdem_2025["event"]
    make_talk(room=fosdem_2025["janson"], devroom=fosdem_2025["rust"])

    everything = filter_choices(organiser.get(CHANGELIST))
    chosen = filter_choices(organiser.get(f"{CHANGELIST}?event__id__exact={new.pk}"))

    assert len(everything["devroom"]) == 4 + 1  # and "-", talks without a devroom
    assert chosen["devroom"] == ["Go · FOSDEM 2025", "Rust · FOSDEM 2025", "-"]
    assert chosen["room"] == ["Chavanne · FOSDEM 2025", "Janson · FOSDEM 2025", "-"]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 60])
def test_changelist_queries_do_not_grow_with_the_talks(
    organiser, event, fosdem_2025, django_assert_max_num_queries, count
):
    make_many_talks(event, count)

    # session, user, the event/day/devroom/room filters, two counts, the page of talks
    with django_assert_max_num_queries(9):
        response = organiser.get(CHANGELIST)

    assert response.context["cl"].result_count == count
    assert f"Bulk talk {count - 1}" in response.content.decode()


@pytest.mark.django_db
def test_speakers_are_chosen_by_autocomplete_and_shown_in_billing_order(rust_manager, fosdem_2025):
    second, first = make_speaker(name="Zoë Second"), make_speaker(name="Ada First")
    talk = make_talk(
        room=fosdem_2025["janson"], devroom=fosdem_2025["rust"], speakers=[first, second]
    )

    page = rust_manager.get(reverse("admin:talks_talk_change", args=[talk.pk]))
    found = rust_manager.get(
        reverse("admin:autocomplete"),
        {
            "term": "zoë",
            "app_label": "talks",
            "model_name": "talkspeaker",
            "field_name": "speaker",
        },
    )

    selects = parse_selects(page)
    assert [selects.selected[f"talk_speakers-{n}-speaker"] for n in (0, 1)] == [
        "Ada First",
        "Zoë Second",
    ]
    assert 'data-ajax--url="/admin/autocomplete/"' in page.content.decode()
    assert [result["text"] for result in found.json()["results"]] == ["Zoë Second"]


@pytest.mark.django_db
def test_devroom_pages_link_to_adding_a_talk_in_that_devroom(rust_manager, fosdem_2025):
    rust = fosdem_2025["rust"]
    link = f'<a href="{ADD}?event={rust.event_id}&amp;devroom={rust.pk}">Add a talk</a>'

    change = rust_manager.get(reverse("admin:schedule_devroom_change", args=[rust.pk]))
    listing = rust_manager.get(reverse("admin:schedule_devroom_changelist"))

    assert link in change.content.decode()
    assert link in listing.content.decode()
