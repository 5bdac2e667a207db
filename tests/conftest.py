"""Marks every collected test by what it needs, so that scripts/test can run the PostgreSQL pass only
over the tests that reach the database.

- ``nodb``: the test asks for no database (no ``django_db`` mark, no fixture that reaches the
  database, no live server): the rules, paper, formats, file checks. Its result cannot depend on the
  database engine, so the SQLite pass is enough.
  A test that reaches a database of its own in a subprocess says so with ``database_engine``.
- ``browser``: a Playwright flow (tests/browser). It drives the same views the route tests cover on
  both databases; it runs on SQLite only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from tests import worlds

# Property tests without a count of their own try 50 examples (Hypothesis's default is 100): each
# property still meets a meaningful spread of cases on every run, and the runs add up across CI.
# Those that set ``max_examples`` keep it. ``--hypothesis-profile thorough`` runs the default count.
settings.register_profile("suite", max_examples=50)
settings.register_profile("thorough", max_examples=100)
settings.load_profile("suite")

#: Fixtures through which a test reaches the database (their closure is in ``item.fixturenames``).
#: Not ``django_db_blocker``: pytest-django's autouse fixtures put it in every test's closure, and it
#: opens nothing by itself — the module fixtures that unblock it also need ``django_db_setup``.
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_setup",
        "live_server",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
    }
)
BROWSER_TESTS = Path(__file__).parent / "browser"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        reaches_database = item.get_closest_marker("django_db") or item.get_closest_marker("database_engine")
        if not reaches_database and not fixtures & DATABASE_FIXTURES:
            item.add_marker(pytest.mark.nodb)
        if BROWSER_TESTS in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A world built once (tests/worlds.py) is rolled back before a test that does not use it."""
    worlds.release_unless_used_by(item)


@pytest.fixture(scope="session")
def kept_worlds(django_db_setup: None) -> Iterator[None]:
    """Rolls back the last world built once before the test databases go (tests/worlds.py)."""
    yield
    worlds.release()


@pytest.fixture(scope="module")
def world_built_once(request: pytest.FixtureRequest, kept_worlds: None, django_db_blocker: Any) -> None:
    """Builds the world of a :func:`tests.worlds.built_once` fixture before the module's first test
    that asks for it: a module fixture is set up before pytest-django opens the test's transaction."""
    worlds.open_for(getattr(request, "_pyfuncitem", None), django_db_blocker)
