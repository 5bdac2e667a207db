"""A gallery of the documents for developers (``xuanju docs-gallery OUT_DIR``): every kind of
document of the elections in the database as .docx and PDF, with PNG previews of their pages and
an index.html, so that a reviewer sees them all at once.

Where LibreOffice is installed (``soffice``), each .docx is also converted by it, headless, one
process for the whole folder with a profile of its own, and previewed beside the app's PDF: that is
how the file looks in an office suite.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2

from xuanju.documents import content
from xuanju.documents.files import document_file
from xuanju.documents.kinds import Kind
from xuanju.elections.models import Election, Meeting, Round

SOFFICE = os.environ.get("XUANJU_SOFFICE", "soffice")
CONVERT_TIMEOUT = 600
PREVIEW_PAGES = 3  # the first pages previewed, and the last one
BATCH = 100  # documents one soffice process converts (one process for the folder, up to this)
_MEETING_KINDS = frozenset({Kind.PROCEDURE, Kind.ROLES, Kind.ROLL, Kind.MINUTES})


class OfficeFailed(Exception):
    """LibreOffice could not be run or converted nothing; the message is Chinese."""


def one_of_each(election: Election) -> Iterator[tuple[bool, content.Ref]]:
    """The first document of each kind of ``election``, once for its voting meeting and once for
    its plenary (新一届委员会第一次全体会议): (at the plenary, ref)."""
    seen: set[tuple[bool, Kind]] = set()
    for ref in content.available(election):
        meeting = None
        if ref.item is None:
            pass
        elif ref.kind in _MEETING_KINDS:
            meeting = Meeting.objects.get(pk=ref.item)
        elif ref.kind == Kind.ROUND_RESULT:
            meeting = Round.objects.select_related("meeting").get(pk=ref.item).meeting
        plenary = meeting is not None and meeting.kind == Meeting.Kind.PLENARY
        if (plenary, ref.kind) not in seen:
            seen.add((plenary, ref.kind))
            yield plenary, ref


def soffice() -> str | None:
    """The LibreOffice command, if installed."""
    return shutil.which(SOFFICE)


def convert(docx_files: list[Path], target: Path) -> list[Path | None]:
    """Each .docx as LibreOffice exports it to PDF in ``target`` (None where it made nothing): one
    headless soffice process for all, with a private profile so it never meets a user's."""
    command = soffice()
    if command is None:
        raise OfficeFailed(f"找不到 LibreOffice（{SOFFICE}），请安装 Debian 软件包 libreoffice-writer-nogui")
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xuanju-soffice-") as home:
        run = [
            command,
            f"-env:UserInstallation={Path(home, 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(target),
            *(str(path) for path in docx_files),
        ]
        try:
            subprocess.run(
                run, check=True, capture_output=True, timeout=CONVERT_TIMEOUT, env=os.environ | {"HOME": home}
            )
        except (OSError, subprocess.SubprocessError) as error:
            raise OfficeFailed(f"LibreOffice 转换失败：{error}") from error
    converted = [target / (path.stem + ".pdf") for path in docx_files]
    return [path if path.is_file() else None for path in converted]


def page_count(pdf: bytes) -> int:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def previews(pdf: Path, stem: Path, scale: float = 0.6) -> list[Path]:
    """PNGs of the first pages of ``pdf`` and of its last: ``<stem>-p1.png`` …"""
    document = pypdfium2.PdfDocument(pdf)
    written = []
    try:
        count = len(document)
        numbers = sorted({*range(min(count, PREVIEW_PAGES)), count - 1})
        for number in numbers:
            path = stem.with_name(f"{stem.name}-p{number + 1}.png")
            document[number].render(scale=scale).to_pil().save(path)
            written.append(path)
    finally:
        document.close()
    return written


@dataclass
class Entry:
    election: str
    kind: Kind
    name: str
    stem: str
    pages: int
    office_pages: int | None = None
    images: list[str] = field(default_factory=list)
    office_images: list[str] = field(default_factory=list)


def write_gallery(
    out: Path, elections: Iterable[Election], office: bool = True, every_election: bool = True
) -> list[Entry]:
    """Write the gallery into ``out`` (created if need be) and return what it holds: one document
    of each kind of each election, or with ``every_election`` false, of each kind of election (a
    committee's at a members' meeting or at a congress, a unit's delegates)."""
    out.mkdir(parents=True, exist_ok=True)
    entries: list[Entry] = []
    docx_paths: list[Path] = []
    shown: set[tuple[str, str, bool, Kind]] = set()
    for election in elections:
        for plenary, ref in one_of_each(election):
            kind_of_election = (election.kind, election.form, plenary, ref.kind)
            if not every_election and kind_of_election in shown:
                continue
            shown.add(kind_of_election)
            stem = f"{len(entries) + 1:03d}-{ref.kind.value}{'-plenary' if plenary else ''}"
            for fmt in ("docx", "pdf"):
                (out / f"{stem}.{fmt}").write_bytes(document_file(election, ref.kind, ref.item, fmt).data)
            pdf = out / f"{stem}.pdf"
            entry = Entry(str(election), ref.kind, ref.name, stem, page_count(pdf.read_bytes()))
            entry.images = [p.name for p in previews(pdf, out / stem)]
            entries.append(entry)
            docx_paths.append(out / f"{stem}.docx")
    if office and entries:
        converted = [
            path
            for start in range(0, len(docx_paths), BATCH)
            for path in convert(docx_paths[start : start + BATCH], out / "office")
        ]
        for entry, path in zip(entries, converted, strict=True):
            if path is not None:
                entry.office_pages = page_count(path.read_bytes())
                entry.office_images = [f"office/{p.name}" for p in previews(path, path.with_suffix(""))]
    (out / "index.html").write_text(_index(entries, office), encoding="utf-8")
    return entries


def _index(entries: list[Entry], office: bool) -> str:
    e = html.escape
    rows = []
    for entry in entries:
        pages = f"{entry.pages} 页"
        if office:
            same = "" if entry.office_pages == entry.pages else " class=differs"
            shown = "转换失败" if entry.office_pages is None else f"{entry.office_pages} 页"
            pages += f"<br><span{same}>LibreOffice：{shown}</span>"
        images = "".join(f'<img src="{e(i)}" alt="PDF">' for i in entry.images)
        office_images = "".join(f'<img src="{e(i)}" alt="LibreOffice">' for i in entry.office_images)
        rows.append(
            f"<tr><td>{e(entry.election)}<br><b>{e(entry.name)}</b><br>"
            f'<a href="{e(entry.stem)}.docx">.docx</a> <a href="{e(entry.stem)}.pdf">PDF</a><br>{pages}</td>'
            f"<td>{images}</td><td>{office_images}</td></tr>"
        )
    return (
        "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>文书样张</title>"
        "<style>body{font-family:sans-serif}td{vertical-align:top;border-top:1px solid #ccc;padding:6px}"
        "img{width:220px;margin:2px;border:1px solid #999}.differs{color:#b00}</style>"
        f"<h1>文书样张（{len(entries)} 份）</h1><table><tr><th>文书</th><th>系统生成的 PDF</th>"
        f"<th>LibreOffice 打开 .docx</th></tr>{''.join(rows)}</table></html>\n"
    )
