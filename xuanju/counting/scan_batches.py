"""Uploaded scan files, read in the background page by page.

An upload request only checks the file from its headers (xuanju.paper.bounds: bytes, pages,
pixels per page), stores it and enqueues :func:`read_batch_task` (django-tasks, database backend);
the worker started by ``xuanju serve`` (``xuanju worker``) reads the pages one at a time and
commits each page's reading on its own (xuanju.counting.scanning._store_page). The batch is
idempotent and resumable: a page already stored is never read again, so a worker that stops
mid-batch (restart, power cut) continues where it was when :func:`resume_unfinished` enqueues the
unfinished batches at its next start, and uploading the same file again does the same.

Tests and :func:`xuanju.counting.scanning.scan_upload` call :func:`read_batch` directly, in the
request; the test settings use django-tasks' immediate backend, so the web flow reads at once too.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django_tasks import task

from xuanju.audit.trail import record
from xuanju.counting import scanning, testdeck
from xuanju.counting.models import MarkDoubt, ScanFile, ScanPage
from xuanju.counting.scanning import UploadOutcome
from xuanju.counting.sheets import layout_finder
from xuanju.elections import duties
from xuanju.elections.models import Round
from xuanju.organizations.actions import ActionError
from xuanju.paper.bounds import PageError, file_shape
from xuanju.paper.pages import iter_pages
from xuanju.rules.counting import Path

logger = logging.getLogger(__name__)


def _fully_read(file: ScanFile) -> bool:
    return bool(file.pages) and file.scan_pages.count() >= file.pages


MAX_BATCH_SHEETS = 10_000


@transaction.atomic
def store_upload(
    actor: Any, round_: Round, filename: str, data: bytes, stated_sheets: int | None = None
) -> ScanFile:
    """Check an uploaded file from its headers and keep it, queued for reading. The same file
    uploaded again is refused once it is read whole, and queued again (to go on from the first
    page not yet read) while it is not.

    Each new file is the round's next batch (1, 2, …). On unnumbered sheets the scrutineers state
    how many sheets they counted into the batch (``stated_sheets``): the batch's pages are
    reconciled with it, and a sheet is found again by its batch and page (R-BAL-5)."""
    if round_.closed:
        raise ActionError("这一轮已经计票结束，不能再上传扫描件")
    duties.require_path(round_, Path.SCAN)  # R-MEET-4
    duties.require_counter(actor, round_)
    scanning._print_of(round_)
    testdeck.require_passed(round_)  # R-BAL-4: the deck read right before any real sheet is read
    try:
        shape = file_shape(data, filename)
    except PageError as error:
        raise ActionError(str(error)) from None
    if not round_.numbered_sheets and stated_sheets is None:
        raise ActionError("本轮选票不编号：请填写监票人清点的这一批选票张数，再上传这一批的扫描件", "sheets")
    if stated_sheets is not None and not 1 <= stated_sheets <= MAX_BATCH_SHEETS:
        raise ActionError(f"这一批的张数应在 1 至 {MAX_BATCH_SHEETS} 之间", "sheets")
    digest = hashlib.sha256(data).hexdigest()
    Round.objects.select_for_update().filter(pk=round_.pk).first()  # one batch number per upload
    last = ScanFile.objects.filter(round=round_).order_by("-batch").values_list("batch", flat=True).first()
    file, created = ScanFile.objects.select_for_update().get_or_create(
        round=round_,
        sha256=digest,
        defaults={
            "filename": filename[:200],
            "content": data,
            "uploaded_by": scanning._actor(actor),
            "pages": shape.pages,
            "state": ScanFile.State.QUEUED,
            "uploaded_at": timezone.now(),
            "batch": (last or 0) + 1,
            "stated_sheets": stated_sheets,
        },
    )
    if created:
        stated = f"，监票人清点 {stated_sheets} 张" if stated_sheets is not None else ""
        record(
            scanning._actor(actor),
            "scan_upload",
            file,
            after={
                "round": round_.pk,
                "filename": file.filename,
                "sha256": digest,
                "pages": shape.pages,
                "batch": file.batch,
                "stated_sheets": stated_sheets,
            },
            summary=f"上传扫描件 {file.filename}（第{file.batch}批，{shape.pages} 页{stated}）",
        )
        return file
    if _fully_read(file):
        raise ActionError(f"扫描件 {filename} 已经上传并识别过（与 {file.filename} 内容相同），没有重复计入")
    if file.state in (ScanFile.State.DONE, ScanFile.State.FAILED):
        file.state, file.problem, file.pages = ScanFile.State.QUEUED, "", shape.pages
        file.save(update_fields=["state", "problem", "pages"])
    return file


def _set_state(file: ScanFile, state: str, problem: str = "") -> None:
    ScanFile.objects.filter(pk=file.pk).update(state=state, problem=problem[:300])


def _store_once(
    actor: Any, round_: Round, file: ScanFile, number: int, reading: Any, index: scanning.RescanIndex
) -> ScanPage | None:
    """Store a page's reading unless another worker stored the same page meanwhile."""
    with transaction.atomic():
        ScanFile.objects.select_for_update().filter(pk=file.pk).first()
        if ScanPage.objects.filter(file=file, page_number=number).exists():
            return None
        return scanning._store_page(actor, round_, file, number, reading, index)


def read_batch(file_pk: int, actor: Any = None) -> UploadOutcome:
    """Read the pages of a stored file not read yet, committing each page on its own. The file's
    state says how far it got: reading, done, or failed with the reason in Chinese."""
    file = ScanFile.objects.select_related("round").get(pk=file_pk)
    tally = dict.fromkeys(ScanPage.Status.values, 0)
    number = 0
    if file.state == ScanFile.State.DONE and _fully_read(file):
        return _outcome(tally)
    _set_state(file, ScanFile.State.READING)
    round_ = file.round
    actor = actor or file.uploaded_by
    try:
        if round_.closed:
            raise ActionError("这一轮已经计票结束，扫描件没有再识别")
        find = layout_finder(scanning._print_of(round_))
        done = set(file.scan_pages.values_list("page_number", flat=True))
        index = scanning.RescanIndex(round_)
        for number, page in enumerate(iter_pages(bytes(file.content), file.filename), start=1):
            if number in done:
                continue
            # Through the module, so that a test can stand in for the reader.
            stored = _store_once(actor, round_, file, number, scanning.read_sheet(page, find), index)
            if stored is not None:
                tally[stored.status] += 1
    except (PageError, ActionError) as error:
        _set_state(file, ScanFile.State.FAILED, getattr(error, "message", None) or str(error))
        return _outcome(tally)
    except BaseException as error:
        _set_state(
            file,
            ScanFile.State.FAILED,
            f"识别第 {number + 1} 页时出错（{type(error).__name__}）；已识别的页已保存，"
            "再上传同一文件会从未识别的页接着识别",
        )
        raise
    if number > file.pages:  # a header that undercounted: the progress bar follows what was read
        ScanFile.objects.filter(pk=file.pk).update(pages=number)
    _set_state(file, ScanFile.State.DONE)
    return _outcome(tally)


def _outcome(tally: dict[str, int]) -> UploadOutcome:
    return UploadOutcome(
        pages=sum(tally.values()),
        counted=tally["counted"],
        review=tally["review"],
        duplicate=tally["duplicate"],
        rejected=tally["rejected"],
    )


@task()
def read_batch_task(file_pk: int) -> None:
    """The worker's entry: read one stored file (see :func:`read_batch`)."""
    try:
        read_batch(file_pk)
    except ScanFile.DoesNotExist:  # the round was deleted meanwhile: nothing left to read
        logger.warning("scan file %s no longer exists", file_pk)


def enqueue(file: ScanFile) -> None:
    read_batch_task.enqueue(file.pk)


def resume_unfinished() -> int:
    """Enqueue every batch a stopped worker left queued or half read; reading is idempotent, so a
    batch enqueued twice is read once. Returns how many were enqueued."""
    files = list(
        ScanFile.objects.filter(state__in=[ScanFile.State.QUEUED, ScanFile.State.READING]).values_list(
            "pk", flat=True
        )
    )
    for pk in files:
        read_batch_task.enqueue(pk)
    return len(files)


@dataclass(frozen=True)
class BatchCount:
    """One scanned batch of unnumbered sheets: the sheets the scrutineers counted into it and the
    sheets its pages show (pages less those refused as a rescan of a sheet already scanned)."""

    batch: int
    filename: str
    stated: int | None
    pages: int
    rescans: int
    read_whole: bool

    @property
    def sheets(self) -> int:
        return self.pages - self.rescans

    @property
    def matches(self) -> bool:
        return not self.read_whole or self.stated is None or self.stated == self.sheets


def batch_counts(round_: Round) -> list[BatchCount]:
    """Every batch of the round with its count reconciled (R-BAL-5), in batch order."""
    files = list(ScanFile.objects.filter(round=round_).order_by("batch", "pk").defer("content"))
    pages = dict(ScanPage.objects.filter(round=round_).values_list("file").annotate(n=Count("pk")))
    rescans = dict(
        ScanPage.objects.filter(round=round_, status=ScanPage.Status.DUPLICATE)
        .values_list("file")
        .annotate(n=Count("pk"))
    )
    return [
        BatchCount(
            batch=f.batch or 0,
            filename=f.filename,
            stated=f.stated_sheets,
            pages=pages.get(f.pk, 0),
            rescans=rescans.get(f.pk, 0),
            read_whole=f.state == ScanFile.State.DONE,
        )
        for f in files
    ]


def progress(round_: Round) -> dict[str, Any]:
    """The round's batches being read, failed, or uploaded in the last hour: pages read of the
    total, what became of them and doubts raised so far, for the scanning page's progress bars."""
    recent = timezone.now() - timedelta(hours=1)
    files = list(
        ScanFile.objects.filter(round=round_)
        .filter(
            Q(state__in=[ScanFile.State.QUEUED, ScanFile.State.READING, ScanFile.State.FAILED])
            | Q(uploaded_at__gte=recent)
        )
        .order_by("-pk")
        .defer("content")[:50]
    )
    ids = [f.pk for f in files]
    statuses: dict[int, dict[str, int]] = {pk: dict.fromkeys(ScanPage.Status.values, 0) for pk in ids}
    for file_pk, status, n in (
        ScanPage.objects.filter(file__in=ids).values_list("file", "status").annotate(n=Count("pk"))
    ):
        statuses[file_pk][status] = n
    doubts = dict(
        MarkDoubt.objects.filter(page__file__in=ids).values_list("page__file").annotate(n=Count("pk"))
    )
    batches = []
    for f in files:
        counts = statuses[f.pk]
        read = sum(counts.values())
        batches.append(
            {
                "id": f.pk,
                "filename": f.filename,
                "state": f.state,
                "state_text": f.get_state_display(),
                "pages": max(f.pages, read),
                "read": read,
                "percent": round(100 * read / f.pages) if f.pages else 0,
                "doubts": doubts.get(f.pk, 0),
                "problem": f.problem,
                **counts,
            }
        )
    totals = {key: sum(b[key] for b in batches) for key in ("read", "doubts", *ScanPage.Status.values)}
    busy = any(b["state"] in (ScanFile.State.QUEUED, ScanFile.State.READING) for b in batches)
    return {"busy": busy, "batches": batches, "totals": totals}
