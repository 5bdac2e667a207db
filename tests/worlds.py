"""Worlds built once for a class of tests that only read them (the route tests).

A class-scoped fixture builds its world inside :func:`kept_for_the_class`: a transaction rolled back
after the last test of the class (class scope: the module's other tests, which build worlds of their
own with the same names, run before or after it, never beside it). Each test still runs in its own
savepoint (pytest-django's ``db``), so whatever a test writes — a session, a refused request's
traces — is undone after it and the next test sees the world as built. A test that changes the
world itself must build its own.

    class TestEveryRoute:
        @pytest.fixture(scope="class")
        def world(self, django_db_setup, django_db_blocker):
            with kept_for_the_class(django_db_blocker):
                yield build_world()
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction


@contextmanager
def kept_for_the_class(django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
