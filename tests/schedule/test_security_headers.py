"""The Content-Security-Policy header (django-csp's middleware) on pages, stored pages served
again, and views with a policy of their own."""

import pytest
from csp.utils import build_policy
from django.urls import reverse

from tests.factories import make_room

pytestmark = pytest.mark.django_db


def test_pages_carry_the_site_policy_as_django_csp_builds_it(client, event):
    response = client.get(reverse("schedule:event", args=[event.slug]))

    assert response["Content-Security-Policy"] == build_policy()
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_a_stored_page_served_again_carries_the_same_policy(client, event):
    url = reverse("schedule:event", args=[event.slug])
    first = client.get(url)

    again = client.get(url)

    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_view_with_a_policy_of_its_own_keeps_it(client, event):
    room = make_room(event=event)

    response = client.get(reverse("live:status_fragment", args=[event.slug, room.slug]))

    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_a_changed_setting_is_not_served_from_the_built_policy(client, event, settings):
    client.get(reverse("schedule:event", args=[event.slug]))
    directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], **{"img-src": ["'none'"]})
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}

    response = client.get(reverse("search:results", args=[event.slug]) + "?q=x")

    assert "img-src 'none'" in response["Content-Security-Policy"]
