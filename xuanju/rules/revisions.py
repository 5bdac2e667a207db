"""What a resubmitted request changed since the version the upper level returned (退回修改, R-RPT-4).

Every request and reply is a dated record (R-RPT-4); when the upper level returns a request to hold
the election (R-RPT-1) for changes, the organizer edits the plan and sends it again, and the new
request says what changed since the returned version, so that the upper level reads only the changes
against its own comments. The contents are plain JSON values (the request's stored content);
this compares them key by key, nested objects by their own keys (``congress.quota``), lists and
other values as wholes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum


class ChangeKind(StrEnum):
    ADDED = "added"  # stated now, not in the returned version
    REMOVED = "removed"  # in the returned version, not stated now
    CHANGED = "changed"


@dataclass(frozen=True)
class Change:
    """One value that differs: ``path`` its keys from the top (``("congress", "quota")``)."""

    path: tuple[str, ...]
    kind: ChangeKind
    before: object  # None when ADDED
    after: object  # None when REMOVED


def content_changes(
    returned: Mapping[str, object], resubmitted: Mapping[str, object], ignore: Collection[str] = ()
) -> tuple[Change, ...]:
    """The changes from ``returned`` to ``resubmitted``: the keys of ``resubmitted`` in their order,
    then the keys only ``returned`` had; top-level keys in ``ignore`` are left out (e.g. the record of
    the revision itself). Equal contents give no change."""
    return _changes((), returned, resubmitted, frozenset(ignore))


def _changes(
    prefix: tuple[str, ...], before: Mapping[str, object], after: Mapping[str, object], ignore: frozenset[str]
) -> tuple[Change, ...]:
    found: list[Change] = []
    for key in [*after, *(k for k in before if k not in after)]:
        if not prefix and key in ignore:
            continue
        path = (*prefix, key)
        if key not in before:
            found.append(Change(path, ChangeKind.ADDED, None, after[key]))
        elif key not in after:
            found.append(Change(path, ChangeKind.REMOVED, before[key], None))
        else:
            old, new = before[key], after[key]
            if isinstance(old, Mapping) and isinstance(new, Mapping):
                found.extend(_changes(path, old, new, ignore))
            elif old != new or type(old) is not type(new):
                found.append(Change(path, ChangeKind.CHANGED, old, new))
    return tuple(found)
