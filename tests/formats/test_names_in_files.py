"""Write-in names in an election file compare as people (R-NAME-5, R-CNT-2): the loader, the result
document and ``xuanju tally`` on a file."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from xuanju.formats.election import election_from_data, result_to_data
from xuanju.formats.errors import InputError
from xuanju.rules.tally import tally_round


def document(*ballots: dict) -> dict:
    """王芳 and 李强 stand for one seat; 10 voters present, so 6 votes elect (R-CNT-1)."""
    return {
        "format": "xuanju.election/1",
        "seats": 1,
        "entitled": 10,
        "present": 10,
        "candidates": [{"id": "c1", "name": "王芳"}, {"id": "c2", "name": "李强"}],
        "ballots": list(ballots),
    }


# Three spellings of 张三, 2 + 3 + 1 ballots: apart nobody reaches 6, together they elect him.
SPLIT = document(
    {"count": 4, "for": ["c1"], "against": ["c2"]},
    {"count": 2, "against": ["c1", "c2"], "write_in": ["张三"]},
    {"count": 3, "against": ["c1", "c2"], "write_in": ["张 三"]},
    {"count": 1, "against": ["c1", "c2"], "write_in": ["张\u3000三"]},
)


def test_R_CNT_2_R_NAME_5_the_loader_counts_spellings_of_one_name_as_one_person():
    round_ = election_from_data(SPLIT)
    result = result_to_data(round_, tally_round(round_))
    write_ins = [p for p in result["tally"] if p["write_in"]]
    assert write_ins == [
        {
            "id": "w:张三",
            "name": "张 三",
            "for": 6,
            "against": 0,
            "abstain": 4,
            "write_in": True,
            "elected": True,
        }
    ]
    assert result["status"] == "complete" and result["elected"] == ["w:张三"]


@pytest.mark.parametrize("written", ["王 芳", "王\u3000芳", "王\u200b芳"])
def test_R_CNT_2_R_NAME_5_the_loader_refuses_a_candidate_written_in_with_a_space(written):
    with pytest.raises(InputError) as caught:
        election_from_data(document({"count": 10, "against": ["c2"], "write_in": [written]}))
    assert [str(p) for p in caught.value.problems] == [
        f"$.ballots[0].write_in[0]：另选他人 “{written}” 是本轮候选人，应记为对该候选人的赞成票"
    ]


def test_R_NAME_5_the_loader_refuses_a_write_in_with_nothing_visible():
    with pytest.raises(InputError) as caught:
        election_from_data(document({"count": 10, "against": ["c2"], "write_in": ["\u200b "]}))
    assert "$.ballots[0].write_in[0]" in str(caught.value.problems[0])
    assert "空白" in str(caught.value.problems[0])


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xuanju.cli", *args], capture_output=True, text=True, check=False
    )


def test_R_CNT_2_R_NAME_5_xuanju_tally_on_a_file_elects_the_person_not_a_spelling(tmp_path):
    path = tmp_path / "split.json"
    path.write_text(json.dumps(SPLIT, ensure_ascii=False), encoding="utf-8")
    done = run("tally", str(path), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["elected"] == ["w:张三"]
    assert [(p["name"], p["for"]) for p in result["tally"] if p["write_in"]] == [("张 三", 6)]
    report = run("tally", str(path))
    assert report.returncode == 0 and "张 三（另选）" in report.stdout


def test_R_CNT_2_R_NAME_5_xuanju_tally_refuses_a_candidate_written_in_with_a_space(tmp_path):
    path = tmp_path / "wang.json"
    path.write_text(
        json.dumps(document({"count": 10, "against": ["c2"], "write_in": ["王 芳"]}), ensure_ascii=False),
        encoding="utf-8",
    )
    done = run("tally", str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "另选他人 “王 芳” 是本轮候选人" in done.stderr and "$.ballots[0].write_in[0]" in done.stderr
