import datetime as dt

import pytest
from django.core.cache import cache, caches

from schedule import caching, clock
from schedule.caching.access import forget_failures
from schedule.outage import forget_database_down
from tests.factories import make_devroom, make_event, make_room


@pytest.fixture(autouse=True)
def empty_cache():
    """Exports are cached by ETag; each test starts cold."""
    cache.clear()
    caches["pieces"].clear()
    caching.forget_process_copies()
    forget_failures()  # a cache that failed in an earlier test is not down in this one
    forget_database_down()  # nor the database
    yield
    cache.clear()
    forget_failures()
    forget_database_down()


@pytest.fixture
def event(db):
    return make_event(name="FOSDEM 2014", slug="fosdem-2014")


@pytest.fixture
def chavanne(event):
    return make_room(event, name="Chavanne", slug="chavanne", capacity=550, position=1)


@pytest.fixture
def ferrer(event):
    return make_room(event, name="Ferrer", slug="ferrer", position=2)


@pytest.fixture
def iaas(event):
    return make_devroom(event, name="Virtualization and IaaS", slug="virtualization-and-iaas")


@pytest.fixture
def lightning(event):
    return make_devroom(event, name="Lightning talks", slug="lightning-talks")


@pytest.fixture
def fixed_clock(monkeypatch):
    """Call with an aware datetime to freeze what the pages consider "now"."""

    def freeze(moment: dt.datetime):
        monkeypatch.setattr(clock, "now", lambda: moment)
        return moment

    return freeze
