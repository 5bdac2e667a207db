"""Names compared as people, not spellings (R-NAME-5), and what it means for the count (R-CNT-2)."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.builders import ballot, election
from xuanju.rules.names import canonical_name, stroke_key
from xuanju.rules.tally import Problem, Status, round_problems, tally_round, write_in_people

# What a name may carry without being another name: blanks (ASCII, no-break, ideographic, the
# typographic spaces, line breaks), zero-width and direction marks, the BOM, soft hyphen, variation
# selectors. Listed here by hand, not taken from the code under test.
INVISIBLE = (
    " \t\n\r\u00a0\u1680\u2000\u2003\u2009\u200a\u202f\u205f\u3000\u2028\u2029"
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202c\u2066\u2069\u180e"
    "\u034f\ufe0f\ufe00\U000e0100\U000e0001"
)
DOTS = "·・•‧･⋅∙．."
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


# --- the outsider's cases -------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling", ["张三", "张 三", "张\u3000三", " 张三 ", "张\u200b三", "\ufeff张三\u2060"]
)
def test_R_NAME_5_spaces_and_zero_width_characters_are_not_part_of_a_name(spelling: str) -> None:
    assert canonical_name(spelling) == "张三"


@pytest.mark.parametrize("dot", list(DOTS))
def test_R_NAME_5_dot_variants_of_a_minority_name_are_one_spelling(dot: str) -> None:
    assert canonical_name(f"阿依古丽{dot}买买提") == "阿依古丽\u00b7买买提"
    assert canonical_name(f"阿依古丽 {dot} 买买提") == canonical_name("阿依古丽·买买提")


def test_R_NAME_5_what_still_tells_people_apart() -> None:
    assert canonical_name("张伟（大）") != canonical_name("张伟（小）")  # notes stay
    assert canonical_name("张伟（大）") == canonical_name("张伟(大)")  # full-width = ASCII (NFKC)
    # a dot is unified, not dropped
    assert canonical_name("阿依古丽买买提") != canonical_name("阿依古丽·买买提")
    assert canonical_name("·张三··") == "张三" and canonical_name("买买提··艾力") == "买买提·艾力"
    assert canonical_name("\u2f00") == "一"  # Kangxi radical ONE
    assert canonical_name("\uf900") == "豈"  # CJK compatibility ideograph
    assert canonical_name(" \u200b\u3000") == ""


# --- properties -----------------------------------------------------------------------------


@given(st.text())
def test_R_NAME_5_normalizing_twice_changes_nothing(text: str) -> None:
    once = canonical_name(text)
    assert canonical_name(once) == once


@given(st.text(), st.lists(st.tuples(st.integers(0, 40), st.sampled_from(INVISIBLE)), max_size=6))
def test_R_NAME_5_invisible_characters_anywhere_change_nothing(text: str, insertions) -> None:
    spelled = text
    for position, char in insertions:
        at = position % (len(spelled) + 1)
        spelled = spelled[:at] + char + spelled[at:]
    assert canonical_name(spelled) == canonical_name(text)


@given(
    st.text(CJK, min_size=1, max_size=6),
    st.text(CJK, min_size=1, max_size=6),
    st.sampled_from(DOTS),
    st.sampled_from(DOTS),
)
def test_R_NAME_5_any_two_dots_between_the_same_parts_are_equal(first, second, dot, other) -> None:
    assert canonical_name(first + dot + second) == canonical_name(first + other + second)


@given(st.text(CJK, min_size=1, max_size=5), st.text(CJK, min_size=1, max_size=5))
def test_R_NAME_5_different_plain_chinese_names_stay_different(one: str, two: str) -> None:
    assert canonical_name(one) == one
    assert (canonical_name(one) == canonical_name(two)) == (one == two)


@given(st.text(), st.lists(st.sampled_from(INVISIBLE), max_size=3))
def test_R_NAME_4_R_NAME_5_one_person_one_sort_key(text: str, noise: list[str]) -> None:
    # spellings of one person always sort together (R-NAME-4 is consistent with R-NAME-5)
    assert stroke_key(text) == stroke_key(canonical_name(text))
    assert stroke_key("".join(noise) + text) == stroke_key(text)


# --- the count ------------------------------------------------------------------------------

# The candidates are 王芳 (c1) and 李强 (c2); one seat; 10 present, so 6 votes elect (R-CNT-1).


def test_R_CNT_2_three_spellings_of_one_name_are_one_person_elected_on_their_sum() -> None:
    round_ = election(
        ballot(for_=["c1"], against=["c2"], count=4),
        ballot(against=["c1", "c2"], write_in=["张三"], count=2),
        ballot(against=["c1", "c2"], write_in=["张 三"], count=3),
        ballot(against=["c1", "c2"], write_in=["张\u3000三"], count=1),
    )
    assert round_problems(round_) == []
    result = tally_round(round_)
    # each spelling alone (2, 3, 1) would elect nobody; together 6 of 10 is more than half
    assert result.status is Status.COMPLETE and result.elected == ("w:张三",)
    person = next(p for p in result.tally if p.write_in)
    assert (person.name, person.for_votes, person.abstain) == ("张 三", 6, 4)  # the most written spelling
    assert [p.id for p in result.tally if p.write_in] == ["w:张三"]


def test_R_CNT_2_the_spelling_shown_does_not_depend_on_the_order_of_the_ballots() -> None:
    ballots = [
        ballot(against=["c1"], write_in=["阿依古丽•买买提"], count=2),
        ballot(against=["c1"], write_in=["阿依古丽·买买提"], count=2),
        ballot(against=["c1"], write_in=["阿依古丽 · 买买提"]),
    ]
    for order in (ballots, ballots[::-1]):
        people = write_in_people(Counter({b.write_in[0]: b.count for b in order}))
        # equal counts: the spelling that already is the canonical one is shown
        assert [(w.id, w.name, w.votes) for w in people] == [("w:阿依古丽·买买提", "阿依古丽·买买提", 5)]


@pytest.mark.parametrize("written", ["王 芳", "王\u3000芳", "王\u200b芳", " 王芳\ufeff"])
def test_R_CNT_2_a_write_in_that_is_a_candidate_after_normalizing_is_refused(written: str) -> None:
    problems = round_problems(election(ballot(against=["c2"], write_in=[written])))
    assert [(p.code, p.path, p.value) for p in problems] == [
        (Problem.WRITE_IN_IS_CANDIDATE, ("ballots", 0, "write_in", 0), written)
    ]


def test_R_CNT_2_one_person_written_twice_on_one_ballot_is_refused() -> None:
    problems = round_problems(
        election(ballot(against=["c1", "c2"], write_in=["张三", "张\u200b三"]), seats=2)
    )
    assert [(p.code, p.value) for p in problems] == [(Problem.WRITE_IN_TWICE, "张\u200b三")]


def test_R_NAME_5_a_write_in_with_nothing_visible_is_refused() -> None:
    problems = round_problems(election(ballot(against=["c1"], write_in=["\u3000\u200b"])))
    assert [p.code for p in problems] == [Problem.WRITE_IN_BLANK]
