"""The counting desk of a paper election: the sheets printed, the sheets not handed to voters, and
each counter's independent reading of each paper ballot (双人录入); and the scanned pages, what the
scanner read on them and the marks it left to a scrutineer (存疑标记).

A reading becomes a ballot entry (xuanju.elections.BallotEntry) only when two counters agree or a
scrutineer decides. Nothing here names a voter (R-SUP-1): a sheet serial is the number printed on a
sheet handed out from the stack, and the desk records who *counted*, never who voted.
"""

from __future__ import annotations

from django.db import models

from xuanju.elections.models import BallotEntry, Round


class Paper(models.TextChoices):
    A4 = "A4", "A4"
    A3 = "A3", "A3"


class BallotPrint(models.Model):
    """The paper ballots of a round as printed: ``sheets`` (ballots to issue + reserve), numbered
    1..``sheets`` when the round's procedure numbers its sheets, else all alike.

    Unnumbered sheets are accounted for by counts (R-BAL-5: printed = issued + spoiled + unused):
    ``spoiled`` and ``unused`` hold how many; numbered sheets by serial (SheetNote)."""

    round = models.OneToOneField(Round, models.CASCADE, related_name="ballot_print", verbose_name="轮次")
    sheets = models.PositiveIntegerField("印制张数")
    reserve = models.PositiveIntegerField("备用张数")
    paper = models.CharField("纸张", max_length=2, choices=Paper.choices, default=Paper.A4)
    large_print = models.BooleanField("大字版", default=False)
    layout_code = models.CharField("版式代码", max_length=8)
    spoiled = models.PositiveIntegerField("作废换发张数", default=0)
    unused = models.PositiveIntegerField("未发出张数", default=0)
    printed_by = models.CharField("印制人", max_length=150)
    printed_at = models.DateTimeField("印制时间")

    class Meta:
        verbose_name = verbose_name_plural = "选票印制"

    def __str__(self) -> str:
        return f"{self.round} 选票 {self.sheets} 张"


class SheetNote(models.Model):
    """A printed sheet that no voter kept: left in the stack, or spoiled and exchanged (R-BAL-5)."""

    class State(models.TextChoices):
        UNUSED = "unused", "未发出"
        SPOILED = "spoiled", "作废换发"

    round = models.ForeignKey(Round, models.CASCADE, related_name="sheet_notes", verbose_name="轮次")
    serial = models.PositiveIntegerField("选票编号")
    state = models.CharField("情况", max_length=10, choices=State.choices)
    noted_by = models.CharField("登记人", max_length=150)

    class Meta:
        verbose_name = verbose_name_plural = "未发出和作废的选票"
        ordering = ["round", "serial"]
        constraints = [models.UniqueConstraint(fields=["round", "serial"], name="one_note_per_sheet")]


class DeskEntry(models.Model):
    """One counter's reading of one paper ballot (key = the sheet serial; on unnumbered sheets the
    batch and the sheet's position in it, “3-17”: the 17th sheet of batch 3) or of a stack of
    identical ballots (key = a group label such as “组3”, ``count`` = how many).

    Slot 1 is 甲录入, slot 2 乙录入, by two different accounts. When both slots of a key agree the
    key is counted (``ballot`` set on both); when they differ it waits for a scrutineer.
    """

    class Slot(models.IntegerChoices):
        FIRST = 1, "甲录入"
        SECOND = 2, "乙录入"

    round = models.ForeignKey(Round, models.CASCADE, related_name="desk_entries", verbose_name="轮次")
    key = models.CharField("选票编号或组号", max_length=20)
    slot = models.PositiveSmallIntegerField("录入席", choices=Slot.choices)
    marks_for = models.JSONField("赞成", default=list)
    marks_against = models.JSONField("不赞成", default=list)
    write_ins = models.JSONField("另选他人", default=list)
    count = models.PositiveIntegerField("张数", default=1)
    void_reason = models.CharField("废票原因", max_length=200, blank=True)
    entered_by = models.CharField("录入人", max_length=150)
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    # The ballot entry this reading led to (agreed, or decided by a scrutineer); empty while the
    # key waits for the other slot or for a scrutineer.
    ballot = models.ForeignKey(
        BallotEntry,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="desk_entries",
        verbose_name="计入的选票",
    )

    class Meta:
        verbose_name = verbose_name_plural = "双人录入"
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "key", "slot"], name="one_reading_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.key}（{self.get_slot_display()}）"


class ScanFile(models.Model):
    """One uploaded scan file (an image, a multi-page TIFF or a PDF), kept as uploaded, and how far
    the background reader has got with it (xuanju.counting.scan_batches)."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队等待识别"
        READING = "reading", "正在识别"
        DONE = "done", "识别完毕"
        FAILED = "failed", "识别失败"

    round = models.ForeignKey(Round, models.CASCADE, related_name="scan_files", verbose_name="轮次")
    # The batch this upload is (1, 2, … in the order of upload) and how many sheets the scrutineers
    # counted into it before scanning; unnumbered sheets are found again by batch and page.
    batch = models.PositiveIntegerField("批次", null=True, blank=True)
    stated_sheets = models.PositiveIntegerField("监票人清点的张数", null=True, blank=True)
    filename = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    content = models.BinaryField("文件内容")
    # The page count its headers declare, known at upload (xuanju.paper.bounds.file_shape).
    pages = models.PositiveIntegerField("页数", default=0)
    uploaded_by = models.CharField("上传人", max_length=150)
    state = models.CharField("识别状态", max_length=10, choices=State.choices, default=State.DONE)
    problem = models.CharField("识别失败原因", max_length=300, blank=True)
    uploaded_at = models.DateTimeField("上传时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "扫描文件"
        constraints = [models.UniqueConstraint(fields=["round", "sha256"], name="one_upload_per_file")]


class ScanPage(models.Model):
    """One scanned page and what the scanner read on it. Nothing here relates to a voter (R-SUP-1)."""

    class Status(models.TextChoices):
        COUNTED = "counted", "已计入"
        # A flagged sheet (any doubt on it): nothing of it counts until a scrutineer confirms the
        # whole sheet (R-BAL-4).
        REVIEW = "review", "待监票人确认整张"
        DUPLICATE = "duplicate", "重复扫描，未计入"
        # An unnumbered sheet whose marks look much like a sheet already scanned: nothing of it
        # counts until a scrutineer has compared the two and said whether they are one sheet.
        SUSPECT = "suspect", "疑似重复扫描，待监票人判断"
        REJECTED = "rejected", "无法识别，未计入"

    file = models.ForeignKey(ScanFile, models.CASCADE, related_name="scan_pages", verbose_name="扫描文件")
    round = models.ForeignKey(Round, models.CASCADE, related_name="scan_pages", verbose_name="轮次")
    page_number = models.PositiveIntegerField("页码")
    serial = models.PositiveIntegerField("选票编号", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices)
    problem = models.CharField("问题", max_length=200, blank=True)
    reading = models.JSONField("识别结果", default=list)
    ballot = models.OneToOneField(
        BallotEntry,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="scan_page",
        verbose_name="计入的选票",
    )
    # The whole sheet as a scrutineer confirmed it, looking at the sheet image with the machine's
    # reading drawn on every box: {"candidates": ["for"|"against"|"blank", ...] by candidate index,
    # "write_ins": [name or "", ...] by write-in row}. Empty for a sheet read clean at upload.
    confirmed_reading = models.JSONField("监票人确认的整张读数", default=dict, blank=True)
    confirmed_by = models.CharField("确认人", max_length=150, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    # The hand's ink in the mark areas (xuanju.paper.likeness), to tell a rescanned unnumbered sheet,
    # and the earlier page it resembles most when that resemblance stopped it.
    fingerprint = models.BinaryField("标记指纹", default=b"", blank=True)
    likeness = models.FloatField("与已扫描选票的相似度", null=True, blank=True)
    resembles = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="相似的已扫描页"
    )

    @property
    def place(self) -> str:
        """Where the scrutineers find the sheet: “编号12”, or on unnumbered sheets “第1批第2张”."""
        if self.serial is not None:
            return f"编号{self.serial}"
        return f"第{self.file.batch}批第{self.page_number}张"

    class Meta:
        verbose_name = verbose_name_plural = "扫描页"
        ordering = ["file", "page_number"]
        constraints = [models.UniqueConstraint(fields=["file", "page_number"], name="one_reading_per_page")]


class MarkDoubt(models.Model):
    """A mark the scanner would not decide (存疑标记): a scrutineer looks at the cut-out and decides."""

    class Kind(models.TextChoices):
        CANDIDATE = "candidate", "候选人符号栏"
        WRITE_IN = "write_in", "另选他人栏"

    page = models.ForeignKey(ScanPage, models.CASCADE, related_name="doubts", verbose_name="扫描页")
    kind = models.CharField("位置", max_length=20, choices=Kind.choices)
    index = models.PositiveSmallIntegerField("序号")
    reason = models.CharField("存疑原因", max_length=100)
    guess = models.CharField("机器判断", max_length=20, blank=True)
    confidence = models.FloatField("置信度", default=0.0)
    cutout = models.BinaryField("截图（PNG）")
    decision = models.CharField("裁定", max_length=20, blank=True)
    write_in_name = models.CharField("另选人姓名", max_length=50, blank=True)
    decided_by = models.CharField("裁定人", max_length=150, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "存疑标记"
        ordering = ["page", "kind", "index"]


class SamplingAudit(models.Model):
    """A sampling audit (抽样复核) of a round counted by scanning: the seed the scrutineers rolled in
    the room, the sheets drawn from it and, per stage, whether the outcome stands confirmed at the
    procedure's risk limit (docs/sampling-audit.md)."""

    class Verdict(models.TextChoices):
        OPEN = "open", "正在抽样复核"
        CONFIRMED = "confirmed", "抽样复核确认了计票结果"
        FULL_COUNT = "full_count", "须对全部选票人工复核"
        HAND_COUNTED = "hand_counted", "已对全部选票人工复核"

    round = models.OneToOneField(Round, models.CASCADE, related_name="sampling_audit", verbose_name="轮次")
    risk_limit = models.PositiveSmallIntegerField("风险上限（%）", default=5)
    seed = models.CharField("随机种子", max_length=100)
    verdict = models.CharField("结论", max_length=20, choices=Verdict.choices, default=Verdict.OPEN)
    measured_risk = models.FloatField("实测风险", null=True, blank=True)
    stages = models.PositiveSmallIntegerField("抽取批次", default=1)
    started_by = models.CharField("发起的监票人", max_length=150)
    # Per assertion at the last evaluation: the claim, its reported margin and the evidence so far.
    measures = models.JSONField("各项判断", default=list)

    class Meta:
        verbose_name = verbose_name_plural = "抽样复核"


class AuditDraw(models.Model):
    """One draw of a sampling audit: the sheet to pull, and what the scrutineers read on the paper.
    Draws are with replacement: a sheet drawn twice is read once and counts for both draws."""

    audit = models.ForeignKey(SamplingAudit, models.CASCADE, related_name="draws", verbose_name="抽样复核")
    number = models.PositiveIntegerField("抽取序号")
    # The sheet to pull: by serial on numbered sheets, by batch and position on unnumbered ones.
    serial = models.PositiveIntegerField("选票编号", null=True, blank=True)
    batch = models.PositiveIntegerField("批次", null=True, blank=True)
    position = models.PositiveIntegerField("张次", null=True, blank=True)
    full_count = models.BooleanField("全部复核", default=False)
    # The paper as read by hand: {"marks_for", "marks_against", "write_ins", "void_reason"}; None until read.
    paper = models.JSONField("人工复核结果", null=True, blank=True)
    read_by = models.CharField("复核的监票人", max_length=150, blank=True)

    @property
    def key(self) -> str:
        """The sheet as the desk keys it: “12”, or “3-17” for the 17th sheet of batch 3."""
        return str(self.serial) if self.serial is not None else f"{self.batch}-{self.position}"

    @property
    def label(self) -> str:
        return f"编号 {self.serial}" if self.serial is not None else f"第{self.batch}批第{self.position}张"

    class Meta:
        verbose_name = verbose_name_plural = "抽取的选票"
        ordering = ["audit", "number"]
        constraints = [models.UniqueConstraint(fields=["audit", "number"], name="one_sheet_per_draw")]


class DeckRun(models.Model):
    """One scan of a round's test deck (测试票检验, logic-and-accuracy test): sheets printed with
    known marks, scanned and compared box by box with what was printed. Real sheets of the round may
    be uploaded only after a run that matched exactly, for the layout the round's sheets were
    printed with. Deck sheets carry their own round reference in the QR code, so they are never
    read as ballots, and nothing of a run is ever counted."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="test_deck_runs", verbose_name="轮次")
    layout_code = models.CharField("版式代码", max_length=8)
    sheets = models.PositiveIntegerField("测试票张数")
    pages = models.PositiveIntegerField("读取页数", default=0)
    passed = models.BooleanField("检验通过", default=False)
    differences = models.JSONField("差异", default=list, blank=True)
    files = models.JSONField("上传的文件（文件名和 SHA-256）", default=list, blank=True)
    run_by = models.CharField("检验人", max_length=150)
    run_at = models.DateTimeField("检验时间")

    class Meta:
        verbose_name = verbose_name_plural = "测试票检验"
        ordering = ["round", "run_at", "pk"]

    def __str__(self) -> str:
        return f"{self.round} 测试票检验（{'通过' if self.passed else '未通过'}）"
