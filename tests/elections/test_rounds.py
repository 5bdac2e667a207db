"""Stored rounds as the rules see them: ballot order (R-BAL-1) and the export format."""

from __future__ import annotations

from types import SimpleNamespace

from xuanju.elections.rounds import ballot_order


def person(pk: int, name: str, order: int | None = None) -> SimpleNamespace:
    return SimpleNamespace(pk=pk, member=SimpleNamespace(name=name), order=order)


def test_R_BAL_1_candidates_appear_in_surname_stroke_order():
    names = [
        c.member.name
        for c in ballot_order([person(1, "张伟"), person(2, "王芳"), person(3, "李强"), person(4, "丁一")])
    ]
    assert names == ["丁一", "王芳", "李强", "张伟"]


def test_R_BAL_1_secretaries_follow_the_upper_levels_approved_order():
    names = [c.member.name for c in ballot_order([person(1, "王芳", order=2), person(2, "张伟", order=1)])]
    assert names == ["张伟", "王芳"]
