"""The ``xuanju`` command: output, exit status 0/2/1, and never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from xuanju.cli import main
from xuanju.formats.schemas import schema

EXAMPLES = Path(__file__).parents[1] / "examples"


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xuanju.cli", *args], input=stdin, capture_output=True, text=True, check=False
    )


def test_tally_prints_a_chinese_report():
    done = run("tally", str(EXAMPLES / "branch-committee.json"))
    assert done.returncode == 0, done.stderr
    for words in (
        "应选：5 人",
        "赞成",
        "不赞成",
        "弃权",
        "当选至少需赞成票 23 票",
        "废票 1",
        "R-CNT-1",
        "R-MEET-1",
    ):
        assert words in done.stdout
    assert "赵六（另选）" in done.stdout


def test_tally_json_is_a_result_document():
    done = run("tally", str(EXAMPLES / "tie.json"), "--json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    jsonschema.validate(document, schema("result-1"))
    assert document["status"] == "tie_revote_needed"
    assert document["next_round"]["kind"] == "tie_revote"


def test_tally_reads_standard_input_and_a_byte_order_mark():
    text = "\ufeff" + (EXAMPLES / "tie.json").read_text(encoding="utf-8")
    done = run("tally", "-", "--json", stdin=text)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("not json at all", "不是有效的 JSON"),
        ('{"format": "xuanju.election/1", "seats": 0}', "$.seats"),
        ("[]", "$：应为对象"),
    ],
)
def test_bad_input_exits_2_with_a_chinese_message_and_no_traceback(tmp_path, content, words):
    path = tmp_path / "round.json"
    path.write_text(content, encoding="utf-8")
    done = run("tally", str(path))
    assert done.returncode == 2
    assert words in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_a_missing_file_a_folder_and_bad_encoding_exit_2(tmp_path):
    assert "找不到这个文件" in run("tally", str(tmp_path / "none.json")).stderr
    assert run("tally", str(tmp_path)).returncode == 2
    path = tmp_path / "gbk.json"
    path.write_bytes("选举".encode("gbk"))
    done = run("tally", str(path))
    assert done.returncode == 2 and "UTF-8" in done.stderr


def test_bad_arguments_exit_2_in_chinese():
    done = run("tally")
    assert done.returncode == 2 and "命令参数有误" in done.stderr
    assert run("frobnicate").returncode == 2


def test_R_NAME_1_sort_names_reads_lines_and_prints_stroke_order():
    done = run("sort-names", stdin="李强\n\n王毅\n丁薛祥\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["丁薛祥", "王毅", "李强"]


def test_R_DEL_3_quota_report_and_json():
    done = run("quota", str(EXAMPLES / "quota.json"))
    assert done.returncode == 0 and "最大余数法" in done.stdout
    document = json.loads(run("quota", str(EXAMPLES / "quota.json"), "--json").stdout)
    assert sum(a["seats"] for a in document["allocation"]) == 150


def test_an_internal_fault_exits_1_without_a_traceback(monkeypatch, capsys):
    def broken(_text):
        raise RuntimeError("boom")

    monkeypatch.setattr("xuanju.cli.parse_election", broken)
    monkeypatch.delenv("XUANJU_DEBUG", raising=False)
    assert main(["tally", str(EXAMPLES / "tie.json")]) == 1
    captured = capsys.readouterr()
    assert "内部错误" in captured.err and "Traceback" not in captured.err
