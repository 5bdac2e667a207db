"""One re-election (换届选举) from plan to result: its approvals, candidates, meetings and rounds —
or one electoral unit's election of delegates to a congress (选举出席党员代表大会的代表, R-DEL-5).

Ballots are stored without any link to a voter (R-SUP-1): attendance says who was present, ballot
entries say what was marked, and nothing joins the two.
"""

from __future__ import annotations

from django.db import models

from xuanju.formats.wording import voter_word
from xuanju.organizations.models import Member, Organization
from xuanju.rules.candidates import Post as RulePost
from xuanju.rules.tally import VotingBody


class ElectionStatus(models.TextChoices):
    PLANNING = "planning", "拟订方案"
    PLAN_SUBMITTED = "plan_submitted", "已请示，待批复"
    PLAN_APPROVED = "plan_approved", "上级已同意换届"
    CANDIDATES_SUBMITTED = "candidates_submitted", "候选人预备人选已报上级审查"
    CANDIDATES_APPROVED = "candidates_approved", "上级已同意候选人"
    MEETING = "meeting", "选举大会进行中"
    PLENARY = "plenary", "全体会议选举书记、副书记"
    RESULTS_SUBMITTED = "results_submitted", "选举结果已报上级"
    COMPLETED = "completed", "换届完成"
    REFUSED = "refused", "上级不同意换届"
    VOIDED = "voided", "上级宣布选举无效"  # R-SUP-3: kept as it was; a new election reopens it


# An organization has at most one election that is not in one of these (start_election, the
# constraint one_open_election_per_organization).
CLOSED_STATUSES = [ElectionStatus.COMPLETED, ElectionStatus.REFUSED, ElectionStatus.VOIDED]


class ElectionKind(models.TextChoices):
    COMMITTEE = "committee", "换届选举"
    DELEGATES = "delegates", "选举出席党员代表大会的代表"
    BY_ELECTION = "by_election", "补选"  # vacant seats of a sitting committee (xuanju.elections.by_election)


class ElectionForm(models.TextChoices):
    """Which body elects the committee (R-DEL-1); a delegates election is always a members' meeting."""

    MEMBERS_MEETING = "members_meeting", "党员大会"
    CONGRESS = "congress", "党员代表大会"


class Election(models.Model):
    """A re-election of one organization's committee (or of a branch's secretary alone), at a
    members' meeting or a delegates' congress; or a unit's election of delegates (R-DEL-5)."""

    kind = models.CharField(
        "类型", max_length=20, choices=ElectionKind.choices, default=ElectionKind.COMMITTEE
    )
    form = models.CharField(
        "选举形式",
        max_length=20,
        choices=ElectionForm.choices,
        default=ElectionForm.MEMBERS_MEETING,
        help_text="委员会由党员大会还是党员代表大会选举（R-DEL-1）",
    )
    title = models.CharField(
        "名称", max_length=200, blank=True, help_text="如：选举出席某某党员代表大会的代表"
    )
    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="elections", verbose_name="党组织"
    )
    status = models.CharField(
        "进度", max_length=30, choices=ElectionStatus.choices, default=ElectionStatus.PLANNING
    )
    has_committee = models.BooleanField("设委员会", help_text="正式党员不足 7 人的支部只选书记（R-ORG-2）")
    committee_seats = models.PositiveSmallIntegerField("委员名额", default=0)
    deputy_seats = models.PositiveSmallIntegerField("副书记名额", default=0)
    term_years = models.PositiveSmallIntegerField("任期（年）")
    planned_on = models.DateField("拟召开选举大会日期")
    readiness = models.TextField("换届准备情况", blank=True, help_text="请示须写明的换届准备情况（R-RPT-1）")
    composition = models.TextField(
        "结构要求", blank=True, help_text="下届委员会的结构和人选条件（R-RPT-1、R-CAND-1）"
    )
    minimum_party_age = models.PositiveSmallIntegerField(
        "候选人最低党龄（年）", default=0, help_text="上级提出的条件（R-CAND-1）"
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    reopened_from = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reopened_as",
        verbose_name="重新选举所取代的无效选举",
        help_text="上级宣布原选举无效后重新进行的选举（R-SUP-3）",
    )

    class Meta:
        verbose_name = verbose_name_plural = "换届选举"
        ordering = ["-created_at"]
        constraints = [
            # A unit's election of delegates may run beside the organization's own re-election.
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(kind="committee")
                & ~models.Q(status__in=["completed", "refused", "voided"]),
                name="one_open_election_per_organization",
            )
        ]

    def __str__(self) -> str:
        if self.kind == ElectionKind.BY_ELECTION:
            return self.title or f"{self.organization}补选（{self.planned_on:%Y年%m月}）"
        # The title names the month the election was held once its first meeting is, not the plan's.
        held = (
            self.meetings.order_by("held_on").values_list("held_on", flat=True).first() if self.pk else None
        )
        day = held or self.planned_on
        month = f"{day.year}年{day.month}月"
        if self.kind == ElectionKind.DELEGATES:
            return self.title or f"{self.organization}选举出席党员代表大会的代表（{month}）"
        return f"{self.organization}换届选举（{month}）"

    @property
    def is_delegates(self) -> bool:
        return self.kind == ElectionKind.DELEGATES

    @property
    def at_congress(self) -> bool:
        """The committee is elected by a delegates' congress (R-DEL-1)."""
        return self.kind == ElectionKind.COMMITTEE and self.form == ElectionForm.CONGRESS

    @property
    def voting_meeting_kind(self) -> str:
        """The meeting that elects the committee (or the delegates): the congress or the members' meeting."""
        return Meeting.Kind.CONGRESS if self.at_congress else Meeting.Kind.MEMBERS


class Post(models.TextChoices):
    COMMITTEE_MEMBER = "committee_member", "委员"
    SECRETARY = "secretary", "书记"
    DEPUTY_SECRETARY = "deputy_secretary", "副书记"
    DELEGATE = "delegate", "代表"  # a unit's election of delegates (R-DEL-5)
    DISCIPLINE_MEMBER = "discipline_member", "纪委委员"  # elected by a congress with the committee
    # elected by the discipline commission's first plenary, reported for approval (R-CAND-5, R-RPT-3)
    DISCIPLINE_SECRETARY = "discipline_secretary", "纪委书记"
    DISCIPLINE_DEPUTY = "discipline_deputy", "纪委副书记"


class Contest(models.Model):
    """What one vote fills: the committee members, the secretary, the deputies, the discipline
    commission's members, or a unit's delegates."""

    election = models.ForeignKey(Election, models.CASCADE, related_name="contests", verbose_name="换届选举")
    post = models.CharField("职务", max_length=20, choices=Post.choices)
    seats = models.PositiveSmallIntegerField("应选人数")
    position = models.PositiveSmallIntegerField("排列", default=0, help_text="委员、书记、副书记的先后")
    seats_reduced = models.PositiveSmallIntegerField("经同意减少的名额", default=0)
    reduction_consent = models.CharField("减少名额的同意情况", max_length=200, blank=True)
    reduced_by_presidium = models.BooleanField(
        "由大会主席团决定减少名额", default=False, help_text="党员代表大会可由大会主席团决定（R-CNT-5）"
    )

    class Meta:
        verbose_name = verbose_name_plural = "选举职务"
        ordering = ["election", "position"]
        constraints = [models.UniqueConstraint(fields=["election", "post"], name="one_contest_per_post")]

    def __str__(self) -> str:
        return f"{self.election.organization} {self.get_post_display()}"


class Approval(models.Model):
    """A request to the upper level and its reply (请示与批复, R-RPT-1..4)."""

    class Kind(models.TextChoices):
        PLAN = "plan", "关于召开党员大会进行换届选举的请示"
        CANDIDATES = "candidates", "关于候选人预备人选的请示"
        RESULTS = "results", "关于选举结果的报告"

    class Decision(models.TextChoices):
        PENDING = "pending", "待批复"
        APPROVED = "approved", "同意"
        RETURNED = "returned", "退回修改"
        REFUSED = "refused", "不同意"

    election = models.ForeignKey(Election, models.CASCADE, related_name="approvals", verbose_name="换届选举")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    submitted_on = models.DateField("报送日期")
    submitted_by = models.CharField("报送人", max_length=150)
    content = models.JSONField("报送内容")
    decision = models.CharField("批复", max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_on = models.DateField("批复日期", null=True, blank=True)
    decided_by = models.CharField("批复人", max_length=150, blank=True)
    document = models.CharField("批复文号", max_length=100, blank=True)
    comments = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "请示与批复"
        ordering = ["-submitted_on", "-id"]


class Nomination(models.Model):
    """How many nominated a person, and from where (推荐提名, R-CAND-4). Shown to organizers only."""

    contest = models.ForeignKey(Contest, models.CASCADE, related_name="nominations", verbose_name="选举职务")
    nominee = models.ForeignKey(Member, models.PROTECT, related_name="nominations", verbose_name="被推荐人")
    source = models.CharField("推荐来源", max_length=200, help_text="如：某党支部、党员个人联名、上届委员会")
    count = models.PositiveIntegerField("推荐人数（票数）")

    class Meta:
        verbose_name = verbose_name_plural = "推荐提名"


class Candidate(models.Model):
    """A person on the way to the ballot: preliminary list, provisional candidates, candidates."""

    class Stage(models.TextChoices):
        PRELIMINARY = "preliminary", "初步人选"
        PROVISIONAL = "provisional", "预备人选"
        CANDIDATE = "candidate", "候选人"
        DROPPED = "dropped", "未列入"

    contest = models.ForeignKey(Contest, models.CASCADE, related_name="candidates", verbose_name="选举职务")
    member = models.ForeignKey(Member, models.PROTECT, related_name="candidacies", verbose_name="党员")
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices, default=Stage.PRELIMINARY)
    vetting = models.TextField("考察情况", blank=True)
    profile = models.TextField("简历和主要优缺点", blank=True, help_text="选举前向选举人介绍")
    order = models.PositiveSmallIntegerField(
        "上级批准的排列顺序", null=True, blank=True, help_text="书记、副书记按上级批准的顺序（R-BAL-1）"
    )

    class Meta:
        verbose_name = verbose_name_plural = "候选人"
        constraints = [
            models.UniqueConstraint(fields=["contest", "member"], name="one_candidacy_per_contest")
        ]

    @property
    def key(self) -> str:
        """The id this person has in the open election format (xuanju.election/1)."""
        return f"c{self.pk}"


# The rules' post of each contest's post (R-CAND-2/3: the surplus and 等额 depend on it).
RULE_POST = {
    Post.COMMITTEE_MEMBER: RulePost.COMMITTEE_MEMBER,
    Post.SECRETARY: RulePost.SECRETARY,
    Post.DEPUTY_SECRETARY: RulePost.DEPUTY_SECRETARY,
    Post.DELEGATE: RulePost.DELEGATE,  # R-DEL-4: 20% surplus
    Post.DISCIPLINE_MEMBER: RulePost.DISCIPLINE_MEMBER,
    Post.DISCIPLINE_SECRETARY: RulePost.SECRETARY,  # R-CAND-3: may be elected 等额
    Post.DISCIPLINE_DEPUTY: RulePost.DEPUTY_SECRETARY,
}


# The rules' name of who votes at each kind of meeting (R-MEET-1; elections.rounds passes it on).
VOTING_BODY_OF_MEETING = {
    "members": VotingBody.MEMBERS_MEETING,
    "congress": VotingBody.CONGRESS,
    "plenary": VotingBody.PLENARY,
    "discipline_plenary": VotingBody.PLENARY,
}


class CountingMethod(models.TextChoices):
    """How the paper ballots of a round are counted, fixed by the procedure (选举办法) and chosen per
    round when it opens (R-MEET-3, R-MEET-4: counters work under the scrutineers)."""

    DOUBLE_ENTRY = "double_entry", "双人录入"
    SCAN = "scan", "扫描计票、监票人裁定存疑"  # sheets the scanner rejects: the double-entry desk
    SINGLE_ENTRY = "single_entry", "单人录入、监票人逐张确认"


class Meeting(models.Model):
    """The members' meeting or the delegates' congress that elects the committee (or a unit's
    delegates), the committee's first plenary, or the discipline commission's first plenary (R-MEET,
    R-CAND-5)."""

    class Kind(models.TextChoices):
        MEMBERS = "members", "党员大会"
        CONGRESS = "congress", "党员代表大会"
        PLENARY = "plenary", "委员会第一次全体会议"
        DISCIPLINE_PLENARY = "discipline_plenary", "纪律检查委员会第一次全体会议"

    election = models.ForeignKey(Election, models.CASCADE, related_name="meetings", verbose_name="换届选举")
    kind = models.CharField("会议", max_length=20, choices=Kind.choices)
    held_on = models.DateField("会议日期")
    roll_closed = models.BooleanField("点名结束", default=False)
    entitled = models.PositiveIntegerField("应到会有选举权人数", default=0)
    present = models.PositiveIntegerField("实到会有选举权人数", default=0)
    majority_base = models.CharField(
        "当选基数",
        max_length=20,
        choices=[("present", "实到会有选举权人数"), ("entitled", "应到会有选举权人数")],
        default="present",
    )
    tie_revote_needs_majority = models.BooleanField("再次投票也须超过半数", default=False)
    reduction_reading = models.CharField(
        "减少名额须经",
        max_length=20,
        choices=[("at_least_half", "半数以上（含半数）选举人同意"), ("more_than_half", "过半数选举人同意")],
        default="at_least_half",
        help_text="选举办法对“半数以上选举人同意”的理解（R-CNT-5）",
    )
    pre_election_needs_majority = models.BooleanField(
        "预选须超过半数",
        default=True,
        help_text="预选时被提名人须得赞成票超过半数方可列为正式候选人（R-CNT-8）",
    )
    issued_over_present_voids = models.BooleanField(
        "发出选票多于到会人数即无效",
        default=False,
        help_text="从严规定：发出选票多于实到会人数时本轮无效；默认作为工作差错纠正（R-BAL-5）",
    )
    procedure_adopted = models.BooleanField("选举办法已通过", default=False)
    procedure_votes = models.CharField("通过选举办法的表决情况", max_length=100, blank=True)
    pre_election_candidates = models.PositiveSmallIntegerField(
        "预选产生的正式候选人数",
        null=True,
        blank=True,
        help_text="党员代表大会的选举办法规定先预选时，预选取得票多的前若干名为正式候选人；空：不预选（R-CAND-2）",
    )
    counting_method = models.CharField(
        "计票方式",
        max_length=20,
        choices=CountingMethod.choices,
        default=CountingMethod.DOUBLE_ENTRY,
        help_text="选举办法规定的计票方式；每轮开始投票时可另行选择",
    )
    # Unnumbered sheets by default: many procedures void a ballot that carries any number, since
    # whoever hands out sheets in order could learn how a person voted (R-BAL-4, R-SUP-1). Rows
    # made before this option keep their serials (migration 0010's data default).
    numbered_sheets = models.BooleanField(
        "选票印编号",
        default=False,
        help_text="勾选：每张选票印顺序编号，按编号核对；不勾选（默认）：选票不编号，每张完全相同，按张数核对",
    )
    closed = models.BooleanField("会议结束", default=False)

    @property
    def voter_word(self) -> str:
        """党员, 代表 or 委员: who votes at this meeting, as notes and pages name them (R-MEET-1)."""
        return voter_word(VOTING_BODY_OF_MEETING[self.kind])

    class Meta:
        verbose_name = verbose_name_plural = "选举会议"
        constraints = [models.UniqueConstraint(fields=["election", "kind"], name="one_meeting_of_each_kind")]


class Attendance(models.Model):
    """Whether a voter on the roll is present (点名). Never linked to any ballot (R-SUP-1)."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="attendance", verbose_name="会议")
    member = models.ForeignKey(Member, models.PROTECT, related_name="+", verbose_name="党员")
    present = models.BooleanField("到会", default=False)
    excluded_reason = models.CharField("不计入应到会人数的原因", max_length=30, blank=True)
    exclusion_consent = models.CharField("上级同意和会议通过情况", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "点名"
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_roll_entry")]


class MeetingRole(models.Model):
    """Scrutineers (监票人) and counters (计票人) of a meeting (R-MEET-4)."""

    class Role(models.TextChoices):
        CHIEF_SCRUTINEER = "chief_scrutineer", "总监票人"
        SCRUTINEER = "scrutineer", "监票人"
        COUNTER = "counter", "计票人"

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="roles", verbose_name="会议")
    member = models.ForeignKey(Member, models.PROTECT, related_name="+", verbose_name="党员")
    role = models.CharField("职责", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = verbose_name_plural = "监票人和计票人"
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_role_per_member")]


class Round(models.Model):
    """One vote on one contest: ballots issued, returned and entered, and the engine's result."""

    class Kind(models.TextChoices):
        REGULAR = "regular", "正式选举"
        TIE_REVOTE = "tie_revote", "再次投票"
        FURTHER = "further", "另行选举"
        PRE_ELECTION = "pre_election", "预选"  # at a congress: narrows the list, elects nobody

    contest = models.ForeignKey(Contest, models.CASCADE, related_name="rounds", verbose_name="选举职务")
    meeting = models.ForeignKey(Meeting, models.PROTECT, related_name="rounds", verbose_name="会议")
    number = models.PositiveSmallIntegerField("轮次")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    seats = models.PositiveSmallIntegerField("应选人数")
    candidates = models.ManyToManyField(Candidate, related_name="rounds", verbose_name="候选人")
    issued = models.PositiveIntegerField("发出选票", null=True, blank=True)
    returned = models.PositiveIntegerField("收回选票", null=True, blank=True)
    counting_method = models.CharField(
        "计票方式", max_length=20, choices=CountingMethod.choices, default=CountingMethod.DOUBLE_ENTRY
    )
    # Copied from the meeting's procedure when the round opens: serials on the sheets, or none.
    numbered_sheets = models.BooleanField("选票印编号", default=False)
    closed = models.BooleanField("已计票结束", default=False)
    result = models.JSONField("计票结果（xuanju.result/1）", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "投票轮次"
        ordering = ["contest", "number"]
        constraints = [models.UniqueConstraint(fields=["contest", "number"], name="round_number_per_contest")]


class BallotEntry(models.Model):
    """One paper ballot as the counters read it, or ``count`` identical ones (R-BAL-2..4).

    Marks hold candidate keys (``c<pk>``); write-ins hold names. Nothing here names a voter.
    """

    class Source(models.TextChoices):
        MANUAL = "manual", "单人录入"
        DOUBLE_ENTRY = "double_entry", "双人录入"
        SCRUTINEER = "scrutineer", "监票人裁定"
        SCAN = "scan", "扫描"

    round = models.ForeignKey(Round, models.CASCADE, related_name="ballots", verbose_name="轮次")
    marks_for = models.JSONField("赞成", default=list)
    marks_against = models.JSONField("不赞成", default=list)
    write_ins = models.JSONField("另选他人", default=list)
    count = models.PositiveIntegerField("张数", default=1)
    void_reason = models.CharField("废票原因", max_length=200, blank=True)
    # The serial printed on the paper sheet, when the entry is one known sheet (the counting desk
    # reads it off the sheet; a scan reads it from the QR code). Serials are handed out from the
    # stack, so they say nothing about the voter (R-SUP-1).
    sheet = models.PositiveIntegerField("选票编号", null=True, blank=True)
    source = models.CharField("录入方式", max_length=20, choices=Source.choices, default=Source.MANUAL)
    # Who counted, never who voted (R-SUP-1): the counter's account that entered the ballot (or
    # uploaded its scan), and the scrutineer's that confirmed or decided it (R-MEET-4).
    entered_by = models.CharField("录入人", max_length=150, blank=True)
    confirmed_by = models.CharField("确认的监票人", max_length=150, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "选票"
        constraints = [
            # One paper sheet is counted once, whichever way it came in (desk twice, scan twice).
            models.UniqueConstraint(
                fields=["round", "sheet"],
                condition=models.Q(sheet__isnull=False),
                name="one_entry_per_sheet",
            )
        ]


class Elected(models.Model):
    """A person elected to a post, from a round's result (R-CNT-3/4/6)."""

    contest = models.ForeignKey(Contest, models.CASCADE, related_name="elected", verbose_name="选举职务")
    round = models.ForeignKey(Round, models.PROTECT, related_name="+", verbose_name="轮次")
    member = models.ForeignKey(
        Member, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="党员"
    )
    write_in_name = models.CharField("另选他人姓名", max_length=50, blank=True)
    votes = models.PositiveIntegerField("得票")

    class Meta:
        verbose_name = verbose_name_plural = "当选人"


class PublicNotice(models.Model):
    """A public notice (公示) with its period, for members to read and object to.

    Two kinds: the preliminary list or provisional candidates before they go to the upper level
    (answered before ``submit_candidates``), and the election results once every post is filled
    (answered before ``submit_results``, so the report carries the answers to the upper level).
    """

    class Kind(models.TextChoices):
        CANDIDATES = "candidates", "候选人初步人选/预备人选公示"
        RESULTS = "results", "选举结果公示"

    election = models.ForeignKey(Election, models.CASCADE, related_name="notices", verbose_name="换届选举")
    kind = models.CharField("公示类型", max_length=20, choices=Kind.choices, default=Kind.CANDIDATES)
    body = models.TextField("公示内容")
    starts_on = models.DateField("公示开始")
    ends_on = models.DateField("公示结束")
    published_by = models.CharField("发布人", max_length=150)

    class Meta:
        verbose_name = verbose_name_plural = "公示"
        ordering = ["-starts_on", "-id"]


class Objection(models.Model):
    """An objection to a notice and its answer. An anonymous objection keeps no account."""

    notice = models.ForeignKey(PublicNotice, models.CASCADE, related_name="objections", verbose_name="公示")
    content = models.TextField("反映的问题")
    lodged_on = models.DateField("提出日期")
    lodged_by = models.CharField("提出人", max_length=150, blank=True, help_text="匿名反映的留空")
    answer = models.TextField("答复", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answered_by = models.CharField("答复人", max_length=150, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公示期间反映的问题"
        ordering = ["lodged_on", "id"]


# A by-election's own record (its vacancies and slate parameter) lives in its own module.
from xuanju.elections.models_by_election import ByElection  # noqa: E402, F401
