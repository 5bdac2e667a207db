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

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from django.db import connection, transaction

T = TypeVar("T")


@contextmanager
def kept_for_the_class(django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


# --- Worlds built once for a run of tests that each change them (function fixtures) --------------


@dataclass
class _Kept:
    fixture: str
    definition: Callable[
        ..., Any
    ]  # the fixture's function: another module may define a fixture of the same name
    atomic: Any
    world: Any
    django_db_blocker: Any


_kept: _Kept | None = None
#: pytest-django's fixtures that make a test transactional: it commits and flushes, so it never runs
#: inside a kept world's transaction.
_TRANSACTIONAL = frozenset(
    {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}
)


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(_TRANSACTIONAL & set(getattr(item, "fixturenames", ())))


def release() -> None:
    """Roll back the kept world's transaction, if one is open."""
    global _kept
    if _kept is None:
        return
    kept, _kept = _kept, None
    with kept.django_db_blocker.unblock():
        transaction.set_rollback(True)
        kept.atomic.__exit__(None, None, None)


def release_unless_used_by(item: pytest.Item) -> None:
    """Before a test: keep the world's transaction open only for a test that asks for the same world
    in a transaction of its own, or one that reaches no database at all."""
    if _kept is None or item.get_closest_marker("nodb"):
        return
    info = getattr(item, "_fixtureinfo", None)
    definitions = info.name2fixturedefs.get(_kept.fixture, ()) if info is not None else ()
    if not definitions or definitions[-1].func is not _kept.definition or _transactional(item):
        release()


def _built_once_fixture(item: pytest.Item) -> Callable[..., Any] | None:
    """The function of the fixture made by :func:`built_once` that ``item`` asks for, if any."""
    info = getattr(item, "_fixtureinfo", None)
    for definitions in info.name2fixturedefs.values() if info is not None else ():
        if definitions and getattr(definitions[-1].func, "built_once", None) is not None:
            return definitions[-1].func
    return None


def open_for(item: pytest.Item | None, django_db_blocker: Any) -> None:
    """Before the first test of a module that asks for a world built once: build it in a transaction
    opened before pytest-django's test transaction (a module fixture, set up before any function
    fixture, tests/conftest.py), unless the world is kept already."""
    global _kept
    fixture = _built_once_fixture(item) if item is not None else None
    if fixture is None or (_kept is not None and _kept.definition is fixture):
        return
    release()
    if item is None or _transactional(item) or connection.atomic_blocks:
        return  # a module's own transaction is open: the world is built in the test's
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # as Django's TestCase marks its class-wide transaction
        atomic.__enter__()
        try:
            world = fixture.built_once()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    _kept = _Kept(fixture.__name__, fixture, atomic, world, django_db_blocker)


def built_once(build: Callable[[], T]) -> Callable[..., T]:
    """A function fixture (named as ``build``) giving each test the world ``build()`` returns, built
    once for a run of consecutive tests that ask for it rather than once per test.

    The world is built in a transaction (pytest-django's ``django_db_blocker``) opened before the
    test's own and kept open while the next test asks for the same fixture; each test runs in a
    savepoint inside it (pytest-django's ``db``), so what it writes is undone after it, and gets a
    deep copy of the built objects (as Django's ``TestCase.setUpTestData`` gives its class
    attributes), so that what it changes in memory is not seen by the next one either. The
    transaction is rolled back before a test that does not ask for the world (tests/conftest.py)
    and at the end of the session.

    A transactional test (a live server), or a test in a module where that world was rolled back
    for another test, gets a world built for it alone, as a plain fixture would build it.

        @built_once
        def world() -> World:
            return open_round_world(timezone.localdate())
    """

    def kept(request: pytest.FixtureRequest, world_built_once: None) -> T:
        request.getfixturevalue("db")
        if _kept is not None and _kept.definition is kept and connection.atomic_blocks[:1] == [_kept.atomic]:
            return copy.deepcopy(_kept.world)  # type: ignore[no-any-return]
        if _kept is not None:
            raise RuntimeError(f"{request.node.nodeid}: two worlds built once in one test")
        return build()

    kept.__name__ = build.__name__
    kept.__doc__ = build.__doc__
    kept.built_once = build  # type: ignore[attr-defined]
    return pytest.fixture(name=build.__name__)(kept)
