"""``xuanju scan DIR --election FILE``: clear sheets counted, doubtful ones listed, duplicates once."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import pytest

from xuanju.cli import main
from xuanju.formats.election import parse_election
from xuanju.paper.election_file import ballot_refs, ballot_spec
from xuanju.paper.layout import BoxKind, layout_sheet
from xuanju.paper.sheet_id import SheetId
from xuanju.paper.synthetic import Drawn, Scan, filled_sheet

ELECTION = {
    "format": "xuanju.election/1",
    "title": "中共示范街道第二党支部委员会委员选举",
    "kind": "regular",
    "seats": 2,
    "entitled": 5,
    "present": 5,
    "candidates": [{"id": "c1", "name": "王芳"}, {"id": "c2", "name": "丁一"}, {"id": "c3", "name": "李强"}],
    "ballots": [],
}
STRAIGHT = Scan(
    dpi=150,
    quarter_turns=2,
    skew_deg=1.5,
    scale=1.0,
    blur_sigma=0.6,
    noise_sigma=3.0,
    paper_level=245,
    black_level=25,
)


def _sheet(folder: Path, serial: int, marks: dict[str, Drawn], write_in: bool = False) -> None:
    round_ = parse_election(json.dumps(ELECTION))
    layout = layout_sheet(ballot_spec(round_))
    election, round_ref = ballot_refs(round_)
    by_name = {row.name: row.mark for row in layout.rows if row.name}
    drawn = {by_name[name]: what for name, what in marks.items()}
    if write_in:
        drawn[next(b for b in layout.boxes if b.kind == BoxKind.WRITE_IN_NAME)] = Drawn.NAME
    image, _ = filled_sheet(
        layout,
        SheetId(election, round_ref, serial, layout.code),
        seed=serial,
        drawn=drawn,
        scan_params=STRAIGHT,
    )
    cv2.imwrite(str(folder / f"scan-{serial:02d}.jpg"), image, [cv2.IMWRITE_JPEG_QUALITY, 85])


@pytest.fixture
def scanned(tmp_path: Path) -> tuple[Path, Path]:
    election = tmp_path / "election.json"
    election.write_text(json.dumps(ELECTION, ensure_ascii=False), encoding="utf-8")
    folder = tmp_path / "scans"
    folder.mkdir()
    _sheet(folder, 1, {"王芳": Drawn.CIRCLE, "丁一": Drawn.CIRCLE, "李强": Drawn.CROSS})
    _sheet(folder, 2, {"王芳": Drawn.CIRCLE, "丁一": Drawn.CROSS})
    _sheet(folder, 3, {"王芳": Drawn.CHECK})  # √ is not a prescribed sign
    _sheet(folder, 4, {"李强": Drawn.CROSS}, write_in=True)
    (folder / "scan-99.jpg").write_bytes((folder / "scan-01.jpg").read_bytes())  # scanned twice
    (folder / "broken.png").write_bytes(b"not an image")
    return election, folder


def test_clear_sheets_counted_doubtful_listed_never_guessed_R_BAL_4(
    scanned: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    election, folder = scanned
    out = tmp_path / "counted.json"
    cutouts = tmp_path / "cutouts"
    status = main(
        ["scan", str(folder), "--election", str(election), "-o", str(out), "--cutouts", str(cutouts)]
    )
    printed = capsys.readouterr().out
    assert status == 0
    assert "识别计入 2 张，须人工核对 2 张，重复 1 页，无法识别 1 页" in printed
    assert "编号0003：候选人王芳，所画符号不是规定的○或×（如√），须人工核对" in printed
    assert "编号0004：另选他人第1行" in printed
    assert "broken.png" in printed
    document = json.loads(out.read_text(encoding="utf-8"))
    # Marks come in ballot order: 丁一 (c2) stands above 王芳 (c1) by surname strokes.
    assert document["ballots"] == [
        {"for": ["c2", "c1"], "against": ["c3"]},
        {"for": ["c1"], "against": ["c2"]},
    ]
    assert sorted(p.name for p in cutouts.iterdir()) == ["0003-candidate-2.png", "0004-write_in_name-1.png"]
    assert main(["tally", str(out)]) == 0


def test_scan_of_a_missing_folder_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    election = tmp_path / "election.json"
    election.write_text(json.dumps(ELECTION, ensure_ascii=False), encoding="utf-8")
    assert main(["scan", str(tmp_path / "nowhere"), "--election", str(election)]) == 2
    assert "不是一个文件夹" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["scan", str(tmp_path / "empty"), "--election", str(election)]) == 2
    assert "没有扫描件" in capsys.readouterr().err


def test_scan_refuses_upload_bombs_by_their_headers_and_reads_the_rest(
    scanned: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.paper import bombs

    election, folder = scanned
    (folder / "bomb.pdf").write_bytes(bombs.huge_page_pdf())
    (folder / "bomb.png").write_bytes(bombs.huge_bilevel_png())
    (folder / "long.pdf").write_bytes(bombs.many_pages_pdf())
    assert main(["scan", str(folder), "--election", str(election)]) == 0
    out = capsys.readouterr().out
    assert "bomb.pdf：扫描件 bomb.pdf 第 1 页（按 200 dpi）有 40000 × 40000 像素" in out
    assert "bomb.png：扫描件 bomb.png 第 1 页的像素数远远超过" in out
    assert "long.pdf：扫描件 long.pdf 有 3000 页" in out
