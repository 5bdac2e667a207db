"""xuanju.election/1 in and xuanju.result/1 out: every malformed input names its JSON path."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from xuanju.formats.election import election_from_data, parse_election, result_to_data
from xuanju.formats.errors import InputError
from xuanju.formats.schemas import schema
from xuanju.formats.text import result_report
from xuanju.rules.tally import tally_round

EXAMPLES = Path(__file__).parents[2] / "examples"


def base_document(**changes):
    document = {
        "format": "xuanju.election/1",
        "seats": 1,
        "entitled": 10,
        "present": 10,
        "candidates": [{"id": "c1", "name": "王芳"}, {"id": "c2", "name": "李强"}],
        "ballots": [{"count": 6, "for": ["c1"], "against": ["c2"]}, {"count": 4, "for": ["c2"]}],
    }
    document.update(changes)
    return document


def problems_of(document) -> list[str]:
    with pytest.raises(InputError) as caught:
        election_from_data(document)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("name", ["branch-committee.json", "tie.json"])
def test_examples_parse_and_their_results_match_the_result_schema(name):
    round_ = parse_election((EXAMPLES / name).read_text(encoding="utf-8"))
    jsonschema.validate(json.loads((EXAMPLES / name).read_text(encoding="utf-8")), schema("election-1"))
    document = result_to_data(round_, tally_round(round_))
    jsonschema.validate(document, schema("result-1"))
    assert document["format"] == "xuanju.result/1"
    assert all("R-" in note for note in document["notes"])


def test_result_document_fields():
    round_ = election_from_data(base_document())
    document = result_to_data(round_, tally_round(round_))
    assert document["status"] == "complete"
    assert document["threshold"] == 6
    assert document["majority_base"] == "present"
    assert document["ballots"] == {"issued": 10, "returned": 10, "valid": 10, "invalid": 0, "void": 0}
    assert document["tally"][0] == {
        "id": "c1",
        "name": "王芳",
        "for": 6,
        "against": 0,
        "abstain": 4,
        "write_in": False,
        "elected": True,
    }
    assert document["elected"] == ["c1"]
    assert document["next_round"] is None


def test_a_write_in_has_the_w_prefix_in_the_result():
    round_ = election_from_data(
        base_document(
            ballots=[{"count": 7, "against": ["c1"], "write_in": ["赵六"]}, {"count": 3, "for": ["c1"]}]
        )
    )
    document = result_to_data(round_, tally_round(round_))
    assert document["elected"] == ["w:赵六"]


def test_not_json_names_line_and_column():
    with pytest.raises(InputError) as caught:
        parse_election('{"format": "xuanju.election/1",\n  "seats": }')
    assert "第 2 行" in str(caught.value)


@pytest.mark.parametrize(
    ("changes", "path", "words"),
    [
        ({"format": "xuanju.election/2"}, "$.format", "应为 “xuanju.election/1”"),
        ({"seats": 0}, "$.seats", "不能小于 1"),
        ({"seats": "5"}, "$.seats", "应为整数"),
        ({"seats": 2.5}, "$.seats", "应为整数"),
        ({"present": -1}, "$.present", "不能小于 0"),
        ({"present": 11}, "$.present", "多于应到会人数"),
        ({"kind": "final"}, "$.kind", "应为以下之一"),
        ({"rules": {"majority_base": "all"}}, "$.rules.majority_base", "应为以下之一"),
        ({"colour": "red"}, "$", "不认识的字段 “colour”"),
        ({"candidates": []}, "$.candidates", "至少需要 1 项"),
        ({"candidates": [{"id": "c1"}]}, "$.candidates[0]", "缺少必填字段 “name”"),
        ({"candidates": [{"id": "w:x", "name": "某"}]}, "$.candidates[0].id", "“w:”"),
        ({"ballots": [{"for": ["c9"]}]}, "$.ballots[0].for[0]", "没有编号 “c9”"),
        ({"ballots": [{"for": ["c1", "c1"]}]}, "$.ballots[0].for[1]", "出现了两次"),
        (
            {"ballots": [{"for": ["c1"], "against": ["c1"]}]},
            "$.ballots[0].against[0]",
            "既画了赞成（○）又画了不赞成（×）",
        ),
        ({"ballots": [{"count": -3, "for": ["c1"]}]}, "$.ballots[0].count", "不能小于 1"),
        ({"ballots": [{"count": True}]}, "$.ballots[0].count", "应为整数"),
        ({"ballots": [{"for": "c1"}]}, "$.ballots[0].for", "应为数组"),
        ({"ballots": [{"for": ["c1"], "write_in": ["赵六"]}]}, "$.ballots[0].write_in", "R-BAL-2"),
        (
            {"ballots": [{"against": ["c1", "c2"], "write_in": ["赵六", "赵六"]}]},
            "$.ballots[0].write_in[1]",
            "两次",
        ),
        (
            {"ballots": [{"against": ["c1"], "write_in": ["李强"]}]},
            "$.ballots[0].write_in[0]",
            "是本轮候选人",
        ),
        ({"ballots": [{"void": "撕损", "for": ["c1"]}]}, "$.ballots[0].void", "R-BAL-4"),
        ({"ballots": [{"for": ["c1"]}], "ballots_returned": 2}, "$.ballots_returned", "不符"),
        (
            {"candidates": [{"id": "c1", "name": "王芳"}, {"id": "c1", "name": "李强"}]},
            "$.candidates[1].id",
            "重复",
        ),
    ],
)
def test_malformed_input_names_the_json_path(changes, path, words):
    problems = problems_of(base_document(**changes))
    assert any(p.startswith(path + "：") and words in p for p in problems), problems


def test_a_document_that_is_not_an_object():
    assert problems_of([1, 2]) == ["$：应为对象（{…}）"]


def test_missing_fields_are_named():
    problems = problems_of({"format": "xuanju.election/1"})
    assert problems == ["$：缺少必填字段 “seats”、“entitled”、“present”、“candidates”、“ballots”"]


def test_tie_revote_rejects_write_ins():
    problems = problems_of(
        base_document(kind="tie_revote", ballots=[{"against": ["c1"], "write_in": ["赵六"]}])
    )
    assert any("R-CNT-4" in p for p in problems)


def test_the_result_example_in_the_user_documentation_is_what_tally_prints():
    text = (Path(__file__).parents[2] / "docs" / "formats.md").read_text(encoding="utf-8")
    documented = json.loads(text.split("```json\n")[2].split("```")[0])
    round_ = parse_election((EXAMPLES / "tie.json").read_text(encoding="utf-8"))
    assert result_to_data(round_, tally_round(round_)) == documented


# 预选: "kind": "pre_election" (R-DEL-5, R-CAND-4; ranking and ties R-CNT-3/4) -----------------------


def pre_election_document(**changes):
    document = base_document(
        title="中共某某单位代表大会预选",
        kind="pre_election",
        seats=2,
        entitled=20,
        present=20,
        candidates=[
            {"id": "c1", "name": "王芳"},
            {"id": "c2", "name": "李强"},
            {"id": "c3", "name": "张伟"},
        ],
        ballots=[{"count": 11, "for": ["c1", "c2"]}, {"count": 4, "for": ["c3"]}, {"count": 5}],
    )
    document.update(changes)
    return document


def test_R_CNT_3_pre_election_document_and_its_result():
    round_ = election_from_data(pre_election_document())
    jsonschema.validate(pre_election_document(), schema("election-1"))
    document = result_to_data(round_, tally_round(round_))
    jsonschema.validate(document, schema("result-1"))
    assert document["kind"] == "pre_election"
    assert document["status"] == "complete"
    assert document["elected"] == ["c1", "c2"]  # 11 votes each of 20: a majority (R-CNT-8)
    assert (document["threshold"], document["rules"]["pre_election_needs_majority"]) == (11, True)
    assert document["next_round"] is None
    assert document["notes"][1] == (
        "预选：以实到会有选举权人数 20 人为基数，赞成票须超过半数，即至少 11 票，方可列为正式候选人；"
        "超过半数的按得票多少取前 2 名（R-CNT-8）。"
    )
    assert document["notes"][-1].endswith(
        "由大会主席团提交代表进行正式选举；每人得票数报上级党组织（R-CAND-4）。"
    )
    assert all("当选" not in note for note in document["notes"])


def test_R_CNT_8_a_pre_election_without_the_majority_parameter_ranks_only():
    document = pre_election_document(
        ballots=[{"count": 7, "for": ["c1", "c2"]}, {"count": 4, "for": ["c3"]}, {"count": 9}],
        rules={"pre_election_needs_majority": False},
    )
    round_ = election_from_data(document)
    result = result_to_data(round_, tally_round(round_))
    jsonschema.validate(result, schema("result-1"))
    assert result["elected"] == ["c1", "c2"] and result["threshold"] is None  # 7 of 20: ranked
    assert (
        result["notes"][1]
        == "预选：得票多的前 2 名列为正式候选人，选举办法规定预选不需要超过半数（R-CNT-8）。"
    )
    majority = election_from_data(pre_election_document(ballots=document["ballots"]))
    short = result_to_data(majority, tally_round(majority))
    assert short["status"] == "seats_unfilled" and short["elected"] == []  # nobody has 11
    assert short["next_round"]["kind"] == "further" and short["next_round"]["stage"] == "pre_election"


def test_R_CNT_4_pre_election_tie_straddling_the_cut_is_voted_again_in_the_result_document():
    round_ = election_from_data(
        pre_election_document(
            ballots=[{"count": 8, "for": ["c1", "c2"]}, {"count": 8, "for": ["c1", "c3"]}],
            rules={"pre_election_needs_majority": False},
        )
    )
    document = result_to_data(round_, tally_round(round_))
    jsonschema.validate(document, schema("result-1"))
    assert document["status"] == "tie_revote_needed"
    assert (document["elected"], sorted(document["tied"]), document["seats_left"]) == (
        ["c1"],
        ["c2", "c3"],
        1,
    )
    assert document["next_round"]["kind"] == "tie_revote"
    assert any("正式候选人名额" in note and "R-CNT-4" in note for note in document["notes"])
    report = result_report(document)
    assert "须再次投票" in report


def test_R_CNT_3_pre_election_text_report_speaks_of_formal_candidates_not_of_the_elected():
    round_ = election_from_data(pre_election_document())
    report = result_report(result_to_data(round_, tally_round(round_)))
    assert "轮次：预选　应取正式候选人：2 人　结果：选举完成" in report
    assert "列为正式候选人至少需赞成票 11 票（超过半数）" in report
    assert "正式候选人（按姓氏笔画）：王芳、李强" in report
    assert "入选" in report
    assert "当选至少需赞成票" not in report and "当选人" not in report


def test_R_CAND_4_pre_election_refuses_write_ins():
    problems = problems_of(
        pre_election_document(ballots=[{"for": ["c1"], "against": ["c2"], "write_in": ["赵六"]}])
    )
    assert problems == [
        "$.ballots[0].write_in[0]：预选只在大会主席团提出的候选人中进行，不能另选他人 “赵六”（R-CAND-4）"
    ]


def test_R_DEL_5_pre_election_needs_more_candidates_than_seats():
    problems = problems_of(pre_election_document(seats=3))
    assert len(problems) == 1 and problems[0].startswith("$.candidates：预选的候选人只有 3 人")


def test_R_BAL_3_pre_election_ballot_naming_more_than_seats_is_invalid_in_the_document():
    round_ = election_from_data(
        pre_election_document(ballots=[{"count": 2, "for": ["c1", "c2", "c3"]}, {"for": ["c3"]}])
    )
    document = result_to_data(round_, tally_round(round_))
    assert (document["ballots"]["valid"], document["ballots"]["invalid"]) == (1, 2)


def test_R_CNT_3_the_pre_election_notes_in_the_user_documentation_are_what_tally_prints():
    text = (Path(__file__).parents[2] / "docs" / "formats.md").read_text(encoding="utf-8")
    documented = json.loads(text.split("## 预选")[1].split("```json\n")[1].split("```")[0])
    round_ = election_from_data(pre_election_document())
    assert result_to_data(round_, tally_round(round_))["notes"] == documented


@pytest.mark.parametrize(
    ("body", "word"), [("members_meeting", "党员"), ("congress", "代表"), ("plenary", "委员")]
)
def test_R_MEET_1_the_quorum_note_names_who_votes_by_body(body, word):
    round_ = election_from_data(base_document(body=body))
    notes = result_to_data(round_, tally_round(round_))["notes"]
    assert notes[0].startswith(f"到会有选举权的{word} 10 人")
    short = election_from_data(base_document(body=body, entitled=13))
    assert result_to_data(short, tally_round(short))["notes"][0].startswith(
        f"到会有选举权的{word} 10 人，未超过"
    )


def test_R_BAL_5_an_over_issue_is_noted_as_a_staff_error_and_the_strict_reading_is_a_rule_key():
    round_ = election_from_data(base_document(ballots_issued=12))
    document = result_to_data(round_, tally_round(round_))
    jsonschema.validate(document, schema("result-1"))
    assert document["status"] == "complete" and document["elected"] == ["c1"]
    assert any(
        "属工作差错：多发的 2 张应收回并登记为未使用" in n and "R-BAL-5" in n for n in document["notes"]
    )
    strict = base_document(ballots_issued=12, rules={"issued_over_present_voids": True})
    jsonschema.validate(strict, schema("election-1"))
    round_ = election_from_data(strict)
    document = result_to_data(round_, tally_round(round_))
    assert document["status"] == "round_void" and document["threshold"] is None
    assert document["rules"]["issued_over_present_voids"] is True


def test_R_CNT_4_a_one_person_revote_is_refused_and_a_revote_report_prints_no_threshold():
    problems = problems_of(
        base_document(
            kind="tie_revote",
            candidates=[{"id": "c1", "name": "王芳"}],
            ballots=[{"count": 10, "for": ["c1"]}],
        )
    )
    assert problems == [
        "$.candidates：再次投票只在得票相等、多于剩余名额的人之间进行；本轮候选人只有 1 人，不多于应选人数，"
        "不能进行再次投票（R-CNT-4）"
    ]
    round_ = election_from_data(base_document(kind="tie_revote"))
    document = result_to_data(round_, tally_round(round_))
    jsonschema.validate(document, schema("result-1"))
    assert document["threshold"] is None
    report = result_report(document)
    assert "至少需赞成票" not in report and "再次投票：以得票多的当选，不需要超过半数" in report


def test_R_CAND_3_a_secretarys_further_election_in_the_document_asks_for_no_surplus():
    document = base_document(
        post="secretary",
        body="plenary",
        candidates=[{"id": "c1", "name": "王芳"}],
        ballots=[{"count": 4, "for": ["c1"]}, {"count": 6, "against": ["c1"]}],
    )
    round_ = election_from_data(document)
    result = result_to_data(round_, tally_round(round_))
    assert result["next_round"]["minimum_candidates"] == 1
    assert not any("减少名额" in n or "补充提名" in n for n in result["notes"])
    assert any("等额" in n for n in result["notes"])
