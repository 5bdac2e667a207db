"""Uploaded scans read in the background: stored at upload, read page by page by the worker
function, resumable, with progress for the page. The worker function (read_batch) is called
directly here; the test settings run django-tasks' immediate backend, so the web flow reads at once."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.counting.scans import print_round, scanned_sheet
from tests.counting.world import World, open_round_world
from tests.factories import client_for
from tests.paper import bombs
from tests.worlds import built_once
from xuanju.counting import scan_batches, scanning
from xuanju.counting.models import ScanFile, ScanPage
from xuanju.elections.models import BallotEntry, CountingMethod
from xuanju.organizations.actions import ActionError
from xuanju.paper.synthetic import Drawn

pytestmark = pytest.mark.django_db


@built_once
def world() -> World:
    return open_round_world(timezone.localdate(), method=CountingMethod.SCAN)


def _batch(print_, serials) -> bytes:
    pages = [
        cv2.imdecode(
            np.frombuffer(scanned_sheet(print_, s, {0: Drawn.CIRCLE}), np.uint8), cv2.IMREAD_GRAYSCALE
        )
        for s in serials
    ]
    return bytes(cv2.imencodemulti(".tiff", pages)[1])


def test_upload_stores_the_file_queued_with_its_page_count_and_reads_nothing(world: World) -> None:
    print_ = print_round(world.round)
    file = scan_batches.store_upload("counter1", world.round, "batch.tiff", _batch(print_, [1, 2]))
    assert (file.state, file.pages) == (ScanFile.State.QUEUED, 2)
    assert not ScanPage.objects.exists()
    assert scan_batches.progress(world.round)["busy"] is True
    outcome = scan_batches.read_batch(file.pk)
    assert (outcome.pages, outcome.counted) == (2, 2)
    file.refresh_from_db()
    assert file.state == ScanFile.State.DONE
    batch = scan_batches.progress(world.round)["batches"][0]
    assert (batch["read"], batch["pages"], batch["counted"], batch["doubts"]) == (2, 2, 2, 0)


def test_worker_stopped_mid_batch_resumes_without_reading_a_page_twice(world: World, monkeypatch) -> None:
    print_ = print_round(world.round)
    file = scan_batches.store_upload("counter1", world.round, "batch.tiff", _batch(print_, [3, 4, 5]))
    real_read = scanning.read_sheet
    read: list[int] = []

    def power_cut_on_second(page, find):
        read.append(1)
        if len(read) == 2:
            raise KeyboardInterrupt  # the worker process is stopped
        return real_read(page, find)

    monkeypatch.setattr(scanning, "read_sheet", power_cut_on_second)
    with pytest.raises(KeyboardInterrupt):
        scan_batches.read_batch(file.pk)
    assert list(BallotEntry.objects.values_list("sheet", flat=True)) == [3]
    # A process killed outright leaves the batch "reading"; the next worker start resumes it.
    ScanFile.objects.filter(pk=file.pk).update(state=ScanFile.State.READING)
    read.clear()
    monkeypatch.setattr(scanning, "read_sheet", lambda page, find: read.append(1) or real_read(page, find))
    assert scan_batches.resume_unfinished() == 1  # immediate backend: read at once
    assert len(read) == 2  # pages 2 and 3 only
    assert sorted(BallotEntry.objects.values_list("sheet", flat=True)) == [3, 4, 5]
    file.refresh_from_db()
    assert file.state == ScanFile.State.DONE
    scan_batches.read_batch(file.pk)  # enqueued twice: the second run reads nothing
    assert len(read) == 2 and ScanPage.objects.count() == 3


def test_a_page_beyond_the_limits_fails_the_batch_with_the_reason_and_keeps_earlier_pages(
    world: World,
) -> None:
    print_round(world.round)
    file = scan_batches.store_upload("counter1", world.round, "a4.pdf", bombs.pdf([(595, 842)]))
    image = b"<< /Type /XObject /Subtype /Image /Width 20000 /Height 20000 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 0 >>"
    bad = bombs.pdf([(595, 842)], [b"q 595 0 0 842 0 0 cm /Im0 Do Q"], {"Im0": image})
    ScanFile.objects.filter(pk=file.pk).update(content=bad)  # stored before the check existed
    scan_batches.read_batch(file.pk)
    file.refresh_from_db()
    assert file.state == ScanFile.State.FAILED and "嵌入的图像有 20000 × 20000 像素" in file.problem
    assert scan_batches.progress(world.round)["batches"][0]["problem"] == file.problem


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("bomb.pdf", bombs.huge_page_pdf(), "扫描件 bomb.pdf 第 1 页（按 200 dpi）有 40000 × 40000 像素"),
        ("bomb.png", bombs.huge_bilevel_png(), "扫描件 bomb.png 第 1 页的像素数远远超过"),
        ("long.pdf", bombs.many_pages_pdf(), "扫描件 long.pdf 有 3000 页"),
    ],
)
def test_bombs_are_refused_at_upload_with_a_chinese_message(world: World, name, data, expected) -> None:
    print_round(world.round)
    with pytest.raises(ActionError, match=expected):
        scan_batches.store_upload("counter1", world.round, name, data)
    client = client_for(world.accounts["counter1"])
    response = client.post(
        reverse("scan_round", args=[world.round.pk]), {"scans": [SimpleUploadedFile(name, data)]}, follow=True
    )
    assert expected in response.content.decode()
    assert not ScanFile.objects.exists()


def test_scanning_page_shows_progress_and_the_json_endpoint(world: World) -> None:
    print_ = print_round(world.round)
    counter = client_for(world.accounts["counter1"])
    upload = SimpleUploadedFile("batch.tiff", _batch(print_, [6, 7]), "image/tiff")
    response = counter.post(reverse("scan_round", args=[world.round.pk]), {"scans": [upload]}, follow=True)
    page = response.content.decode()
    assert "已上传 1 个文件（共 2 页）" in page
    assert "识别进度" in page and 'value="2"' in page and "scan_progress.js" in page
    data = counter.get(reverse("scan_progress", args=[world.round.pk])).json()
    assert data["busy"] is False
    assert [(b["filename"], b["read"], b["pages"], b["state_text"]) for b in data["batches"]] == [
        ("batch.tiff", 2, 2, "识别完毕")
    ]
    member = client_for(world.accounts["member"])
    assert member.get(reverse("scan_progress", args=[world.round.pk])).status_code == 403
