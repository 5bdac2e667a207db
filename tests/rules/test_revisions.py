"""R-RPT-4: what a resubmitted request changed since the returned version."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from xuanju.rules.revisions import Change, ChangeKind, content_changes

json_values = st.recursive(
    st.none() | st.integers() | st.text(max_size=5),  # (no booleans: True == 1 would blur the oracle)
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=8,
)
contents = st.dictionaries(st.text(max_size=4), json_values, max_size=5)


def test_R_RPT_4_each_kind_of_change_is_reported_with_its_path():
    returned = {
        "readiness": "已完成述职",
        "committee_seats": 5,
        "agenda": ["听取报告", "选举委员会"],
        "congress": {"quota": 40, "allocation": "东村 8 名"},
        "discipline_seats": 3,
    }
    resubmitted = {
        "readiness": "已完成述职和民主评议",
        "committee_seats": 5,
        "agenda": ["听取报告", "选举委员会"],
        "congress": {"quota": 45, "allocation": "东村 8 名", "composition": "一线代表不少于 60%"},
        "composition": "女性委员至少 1 名",
    }
    assert content_changes(returned, resubmitted) == (
        Change(("readiness",), ChangeKind.CHANGED, "已完成述职", "已完成述职和民主评议"),
        Change(("congress", "quota"), ChangeKind.CHANGED, 40, 45),
        Change(("congress", "composition"), ChangeKind.ADDED, None, "一线代表不少于 60%"),
        Change(("composition",), ChangeKind.ADDED, None, "女性委员至少 1 名"),
        Change(("discipline_seats",), ChangeKind.REMOVED, 3, None),
    )


def test_R_RPT_4_a_list_is_compared_whole_and_ignored_keys_are_left_out():
    returned = {"agenda": ["a", "b"], "revision": {"changes": []}}
    resubmitted = {"agenda": ["b", "a"], "revision": {"changes": [1]}}
    assert content_changes(returned, resubmitted, ignore=("revision",)) == (
        Change(("agenda",), ChangeKind.CHANGED, ["a", "b"], ["b", "a"]),
    )


def test_R_RPT_4_a_number_that_becomes_text_is_a_change():
    assert content_changes({"seats": 5}, {"seats": "5"}) == (Change(("seats",), ChangeKind.CHANGED, 5, "5"),)


@given(contents)
def test_R_RPT_4_an_unchanged_plan_has_no_changes(content):
    assert content_changes(content, dict(content)) == ()


@given(contents, contents)
def test_R_RPT_4_changes_cover_exactly_the_keys_that_differ(before, after):
    changes = content_changes(before, after)
    differing = {k for k in before.keys() | after.keys() if before.get(k, ...) != after.get(k, ...)}
    assert {c.path[0] for c in changes} == differing
    for change in changes:
        if change.kind is ChangeKind.ADDED:
            assert change.before is None and (change.path[0] not in before or len(change.path) > 1)
        if change.kind is ChangeKind.REMOVED:
            assert change.after is None and (change.path[0] not in after or len(change.path) > 1)
    assert (changes == ()) == (before == after)
