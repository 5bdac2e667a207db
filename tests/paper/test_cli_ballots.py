"""``xuanju ballots FILE -o OUT.pdf``: exit status 0 or 2, a Chinese message, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
import zxingcpp

from xuanju.cli import main
from xuanju.formats.election import parse_election
from xuanju.paper import fonts
from xuanju.paper.election_file import ballot_refs, ballot_spec
from xuanju.paper.fonts import BUNDLED_FONT
from xuanju.paper.layout import layout_sheet
from xuanju.paper.render import sheet_image
from xuanju.paper.sheet_id import SheetId, parse_sheet_id

# Not in stroke order: 王 4, 李 7, 欧阳 8, 马 3, 丁 2 strokes.
CANDIDATES = ["王芳", "李强", "欧阳明", "马晓东", "丁一"]
STROKE_ORDER = ["丁一", "马晓东", "王芳", "李强", "欧阳明"]


def election(**fields: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": "xuanju.election/1",
        "title": "中共示范街道第一党支部委员会委员选举",
        "kind": "regular",
        "seats": 3,
        "entitled": 12,
        "present": 10,
        "candidates": [{"id": f"c{i}", "name": name} for i, name in enumerate(CANDIDATES, start=1)],
        "ballots": [],
    }
    document.update(fields)
    return document


@pytest.fixture
def election_file(tmp_path):
    def write(**fields: Any) -> Path:
        path = tmp_path / "round.json"
        path.write_text(json.dumps(election(**fields), ensure_ascii=False), encoding="utf-8")
        return path

    return write


def pdf_texts(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(path.read_bytes())
    try:
        return [str(page.get_textpage().get_text_range()).replace("\r\n", "") for page in document]
    finally:
        document.close()


def ballots(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xuanju.cli", "ballots", *args], capture_output=True, text=True, check=False
    )


def test_ballots_writes_one_page_per_issued_ballot_and_reports_it(election_file, tmp_path):
    out = tmp_path / "选票.pdf"
    done = ballots(str(election_file()), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "已生成 10 张选票（编号 0001–0010），A4 纸，1 栏" in done.stdout and str(out) in done.stdout
    assert out.read_bytes().startswith(b"%PDF")
    pages = pdf_texts(out)
    assert len(pages) == 10
    assert "编号 0001" in pages[0] and "编号 0010" in pages[9]
    assert "中共示范街道第一党支部委员会委员选举选票" in pages[0]


def test_R_BAL_1_candidates_in_stroke_order(election_file, tmp_path, capsys):
    out = tmp_path / "out.pdf"
    assert main(["ballots", str(election_file()), "-o", str(out)]) == 0
    text = pdf_texts(out)[0]
    assert [text.find(name) for name in STROKE_ORDER] == sorted(text.find(name) for name in STROKE_ORDER)
    assert "按姓氏笔画排列" in capsys.readouterr().out


def test_R_BAL_1_keep_order_follows_the_approved_order_of_the_file(election_file, tmp_path, capsys):
    out = tmp_path / "out.pdf"
    assert main(["ballots", str(election_file()), "-o", str(out), "--keep-order"]) == 0
    text = pdf_texts(out)[0]
    assert [text.find(name) for name in CANDIDATES] == sorted(text.find(name) for name in CANDIDATES)
    assert "按文件顺序排列" in capsys.readouterr().out


def test_sheets_and_reserve_set_the_number_printed(election_file, tmp_path, capsys):
    out = tmp_path / "out.pdf"
    assert main(["ballots", str(election_file(ballots_issued=8)), "-o", str(out), "--reserve", "2"]) == 0
    assert len(pdf_texts(out)) == 10
    assert main(["ballots", str(election_file()), "-o", str(out), "--sheets", "3", "--reserve", "1"]) == 0
    assert len(pdf_texts(out)) == 4
    assert "编号 0001–0004" in capsys.readouterr().out


def test_paper_and_large_print_options(election_file, tmp_path, capsys):
    out = tmp_path / "out.pdf"
    assert main(["ballots", str(election_file()), "-o", str(out), "--paper", "A3", "--sheets", "1"]) == 0
    assert "A3 纸" in capsys.readouterr().out
    assert main(["ballots", str(election_file()), "-o", str(out), "--large-print", "--sheets", "1"]) == 0
    assert "（编号 0001），A4 纸大字版，1 栏" in capsys.readouterr().out
    many = [{"id": f"c{i}", "name": f"王{i}"} for i in range(12)]
    assert main(["ballots", str(election_file(candidates=many)), "-o", str(out), "--large-print"]) == 0
    assert "A4 纸大字版，2 栏" in capsys.readouterr().out


def test_R_BAL_2_a_tie_revote_file_prints_no_write_in_rows(election_file, tmp_path, capsys):
    out = tmp_path / "out.pdf"
    assert main(["ballots", str(election_file(kind="tie_revote", seats=1)), "-o", str(out)]) == 0
    text = pdf_texts(out)[0]
    assert "另选" not in text and "得票相等的候选人再次投票" in text
    assert main(["ballots", str(election_file(kind="further")), "-o", str(out)]) == 0
    assert "另选他人" in pdf_texts(out)[0]
    # A pre-election (预选) only narrows the proposed list: no write-ins either.
    assert main(["ballots", str(election_file(kind="pre_election", seats=4)), "-o", str(out)]) == 0
    text = pdf_texts(out)[0]
    assert "另选" not in text and "预选" in text


def test_the_qr_code_identifies_election_round_serial_and_layout(election_file):
    round_ = parse_election(election_file(kind="further").read_text(encoding="utf-8"))
    layout = layout_sheet(ballot_spec(round_))
    election_ref, round_ref = ballot_refs(round_)
    assert election_ref.startswith("F") and len(election_ref) == 9 and round_ref == "F1"
    image = sheet_image(layout, SheetId(election_ref, round_ref, 7, layout.code), dpi=150)
    read = parse_sheet_id(zxingcpp.read_barcodes(image)[0].text)
    assert read == SheetId(election_ref, round_ref, 7, layout.code)


def test_too_many_candidates_exit_2_with_a_chinese_message(election_file, tmp_path):
    names = [{"id": f"c{i}", "name": f"王{i}"} for i in range(500)]
    done = ballots(str(election_file(candidates=names)), "-o", str(tmp_path / "out.pdf"))
    assert done.returncode == 2
    assert "候选人太多" in done.stderr and "A3 纸每栏最多排" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert not (tmp_path / "out.pdf").exists()


def test_a_character_missing_from_every_font_exits_2(election_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(fonts.ENV_VAR, str(BUNDLED_FONT))
    monkeypatch.setattr(fonts, "SYSTEM_FALLBACKS", [])
    names = [{"id": "c1", "name": "王芳"}, {"id": "c2", "name": "吉𠮷"}]
    assert (
        main(["ballots", str(election_file(candidates=names, seats=1)), "-o", str(tmp_path / "o.pdf")]) == 2
    )
    err = capsys.readouterr().err
    assert (
        "$.candidates[1].name：姓名中的“𠮷”字在选票字体中没有，请安装 fonts-noto-cjk 或用 XUANJU_FONT 指定字体"
        in err
    )


def test_an_unusable_font_file_exits_2(election_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(fonts.ENV_VAR, str(tmp_path / "none.ttf"))
    assert main(["ballots", str(election_file()), "-o", str(tmp_path / "o.pdf")]) == 2
    assert "XUANJU_FONT" in capsys.readouterr().err


def test_a_name_too_long_for_its_cell_exits_2(election_file, tmp_path, capsys):
    names = [{"id": "c1", "name": "王芳"}, {"id": "c2", "name": "李" * 150}]
    assert (
        main(["ballots", str(election_file(candidates=names, seats=1)), "-o", str(tmp_path / "o.pdf")]) == 2
    )
    assert "$.candidates[1].name：太长" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("output", "words"),
    [("missing-folder/out.pdf", "所在的文件夹不存在"), (".", "这是一个文件夹")],
)
def test_an_unwritable_output_exits_2(election_file, tmp_path, capsys, output, words):
    assert main(["ballots", str(election_file()), "-o", str(tmp_path / output)]) == 2
    assert words in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ["--sheets", "0"],
        ["--sheets", "abc"],
        ["--reserve", "-1"],
        ["--paper", "B5"],
    ],
)
def test_bad_arguments_exit_2_in_chinese(election_file, tmp_path, args):
    done = ballots(str(election_file()), "-o", str(tmp_path / "o.pdf"), *args)
    assert done.returncode == 2 and "命令参数有误" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_bad_election_file_exits_2(tmp_path):
    path = tmp_path / "round.json"
    path.write_text('{"format": "xuanju.election/1", "seats": 0}', encoding="utf-8")
    done = ballots(str(path), "-o", str(tmp_path / "o.pdf"))
    assert done.returncode == 2 and "$.seats" in done.stderr and "Traceback" not in done.stderr
    assert ballots(str(tmp_path / "none.json"), "-o", str(tmp_path / "o.pdf")).returncode == 2
