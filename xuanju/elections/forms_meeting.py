"""Forms of the meeting and results steps: they parse what the chair and the counters type.

The ballot form is built from the round's candidates; it holds marks only, never a voter (R-SUP-1).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from xuanju.elections.models import Candidate, CountingMethod, MeetingRole
from xuanju.forms import Form
from xuanju.organizations.models import Member
from xuanju.rules.meeting import ExclusionReason

DATE = forms.DateInput(attrs={"type": "date"})

EXCLUSION_LABELS = {  # R-MEET-2: the situations the Regulations list
    ExclusionReason.LONG_ILLNESS: "患病不能表达本人意志",
    ExclusionReason.ABROAD: "出国半年以上",
    ExclusionReason.SERVING_SENTENCE: "受刑事处分正在服刑",
    ExclusionReason.AWAY_WITHOUT_TRANSFER: "外出半年以上未转组织关系",
    ExclusionReason.OTHER_APPROVED: "其他经上级同意的情形",
}

FOR, AGAINST, ABSTAIN = "for", "against", "abstain"
MARK_CHOICES = [(FOR, "赞成"), (AGAINST, "不赞成"), (ABSTAIN, "弃权")]


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # not subscriptable at run time
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.name}（{obj.organization.name}）" if obj.organization_id else obj.name


def member_field(queryset: Any, label: str) -> MemberChoiceField:
    return MemberChoiceField(
        queryset=queryset,
        label=label,
        widget=forms.Select(attrs={"data-search": "1"}),  # picker.js adds a search field
        empty_label="—— 请选择 ——",
        error_messages={"invalid_choice": "请选择名单中的党员", "required": "请选择党员"},
    )


class MeetingOpenForm(Form):
    held_on = forms.DateField(label="会议日期", widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ExclusionForm(Form):
    """Leave one member out of those entitled to attend (R-MEET-2)."""

    reason = forms.ChoiceField(label="原因", choices=list(EXCLUSION_LABELS.items()))
    consent = forms.CharField(
        label="上级同意和会议通过情况",
        max_length=200,
        help_text="如：经东乡镇党委同意（东乡组〔2026〕3号），大会举手表决通过",
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"] = member_field(members, "党员")
        self.order_fields(["member", "reason", "consent"])


class ProcedureForm(Form):
    """The election procedure (选举办法) the meeting votes on (R-MEET-3, R-CNT-1, R-CNT-4)."""

    majority_base = forms.ChoiceField(
        label="当选的基数",
        choices=[
            ("present", "实到会有选举权人数（一般做法）"),
            ("entitled", "应到会有选举权人数（更严格）"),
        ],
        initial="present",
        widget=forms.RadioSelect,
        help_text="赞成票超过这个人数的一半方可当选（R-CNT-1）",
    )
    tie_revote_needs_majority = forms.BooleanField(
        label="得票相等再次投票时，也须赞成票超过半数",
        required=False,
        help_text="不勾选：再次投票以得票多的当选（R-CNT-4）",
    )
    votes_for = forms.IntegerField(
        label="表决通过选举办法的赞成人数",
        min_value=0,
        help_text="须超过实到会有选举权人数的一半（R-MEET-3）",
    )
    counting_method = forms.ChoiceField(
        label="计票方式",
        choices=CountingMethod.choices,
        initial=CountingMethod.DOUBLE_ENTRY,
        required=False,
        widget=forms.RadioSelect,
        help_text="双人录入：两名计票人分别录入，一致才计入；扫描计票：存疑标记由监票人裁定，扫描不能识别的在计票台双人录入；"
        "单人录入：每条录入须经监票人确认才计入。计票人在监票人监督下工作（R-MEET-4）",
    )
    numbered_sheets = forms.BooleanField(
        label="选票印顺序编号",
        required=False,
        help_text="不勾选（默认）：选票不编号，每张完全相同，按印制、发出、作废、未发出的张数核对；"
        "计票人按批次和张次录入。勾选：每张选票印编号，按编号核对",
    )
    pre_election_candidates = forms.IntegerField(
        label="预选产生的正式候选人数",
        min_value=1,
        required=False,
        help_text="党员代表大会先进行预选的填写：预选按得票多少取前若干名为正式候选人，"
        "须少于候选人数、且多于应选人数不少于 20%（R-CAND-2）；不预选的留空",
    )
    pre_election_needs_majority = forms.BooleanField(
        label="预选时被提名人也须赞成票超过半数，方可列为正式候选人",
        required=False,
        initial=True,
        help_text="一般做法（R-CNT-8）；超过半数的人数不足时，就不足名额再行预选。不勾选：按得票多少取前若干名",
    )
    issued_over_present_voids = forms.BooleanField(
        label="从严：发出选票多于实到会人数的，本轮选举无效",
        required=False,
        help_text="不勾选（一般做法）：多发的选票作为工作差错当场收回、登记为未使用；收回多于发出的，本轮无效（R-BAL-5）",
    )

    def __init__(self, *args: Any, congress: bool = False, **kwargs: Any) -> None:
        """``congress``: the meeting is a delegates' congress, which may adopt a pre-election."""
        super().__init__(*args, **kwargs)
        if not congress:
            del self.fields["pre_election_candidates"]
            del self.fields["pre_election_needs_majority"]


class _StandingDisabled(forms.Select):
    """A select in which the candidates' options cannot be chosen (R-MEET-4)."""

    def __init__(self, standing: set[int]) -> None:
        super().__init__(attrs={"data-search": "1"})  # picker.js adds a search field
        self.standing = {str(pk) for pk in standing}

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        if str(option["value"]) in self.standing:
            option["attrs"]["disabled"] = True
        return option


class StandingAwareField(MemberChoiceField):
    """Members, the candidates among them marked and not selectable; a forged choice of one
    still reaches the action, which refuses it (R-MEET-4)."""

    def __init__(self, *args: Any, standing: set[int], **kwargs: Any) -> None:
        self.standing = standing
        super().__init__(*args, widget=_StandingDisabled(standing), **kwargs)

    def label_from_instance(self, obj: Member) -> str:
        label = super().label_from_instance(obj)
        return f"{label}——候选人，不能担任" if obj.pk in self.standing else label


class RoleForm(Form):
    role = forms.ChoiceField(label="职责", choices=[("", "—— 请选择 ——"), *MeetingRole.Role.choices])

    def __init__(self, *args: Any, members: Any, standing: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"] = StandingAwareField(
            queryset=members,
            standing=standing,
            label="党员",
            error_messages={"invalid_choice": "请选择名单中的党员"},
        )
        self.order_fields(["member", "role"])


class RoundOpenForm(Form):
    issued = forms.IntegerField(
        label="发出选票（张）", min_value=1, help_text="不能多于实到会有选举权人数（R-BAL-5）"
    )
    counting_method = forms.ChoiceField(
        label="本轮计票方式",
        choices=CountingMethod.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="默认按选举办法规定的方式；本轮开始后不能更改（R-MEET-4）",
    )


class BallotForm(Form):
    """One paper ballot as read, or ``count`` identical ones (R-BAL-2..4).

    Each candidate is a field ``c<pk>`` with 赞成 / 不赞成 / 弃权 (abstention is the default: a
    candidate left unmarked). Write-ins take one field per seat. A ballot declared void carries no
    marks, so ticking 废票 drops whatever else was entered.
    """

    count = forms.IntegerField(
        label="相同选票张数", min_value=1, initial=1, help_text="一叠内容完全相同的选票可一次录入"
    )
    void = forms.BooleanField(
        label="废票", required=False, help_text="无法辨认或有识别投票人的标记（R-BAL-4）"
    )
    void_reason = forms.CharField(label="废票原因", max_length=200, required=False)

    def __init__(self, *args: Any, candidates: list[Candidate], seats: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.seats = seats
        fields: dict[str, forms.Field] = {}
        for candidate in candidates:
            fields[candidate.key] = forms.ChoiceField(
                label=candidate.member.name,
                choices=MARK_CHOICES,
                initial=ABSTAIN,
                widget=forms.RadioSelect,
                required=False,
            )
        for n in range(1, seats + 1):
            fields[f"write_in_{n}"] = forms.CharField(label=f"另选他人 {n}", max_length=50, required=False)
        fields.update(self.fields)
        self.fields = fields  # type: ignore[assignment]  # same mapping type Django builds

    def mark_fields(self) -> list[forms.BoundField]:
        return [self[c.key] for c in self.candidates]

    def write_in_fields(self) -> list[forms.BoundField]:
        return [self[f"write_in_{n}"] for n in range(1, self.seats + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("void") and not (data.get("void_reason") or "").strip():
            self.add_error("void_reason", "请写明废票原因，由监票人确认（R-BAL-4）")
        return data

    def ballot(self) -> dict[str, Any]:
        """The arguments of ``record_ballot``."""
        data = self.cleaned_data
        if data.get("void"):
            return {
                "marks_for": [],
                "marks_against": [],
                "write_ins": [],
                "count": data["count"],
                "void_reason": data["void_reason"],
            }
        marks = {c.key: data.get(c.key) or ABSTAIN for c in self.candidates}
        return {
            "marks_for": [k for k, v in marks.items() if v == FOR],
            "marks_against": [k for k, v in marks.items() if v == AGAINST],
            "write_ins": [
                name for n in range(1, self.seats + 1) if (name := (data.get(f"write_in_{n}") or "").strip())
            ],
            "count": data["count"],
            "void_reason": "",
        }


class RoundCloseForm(Form):
    returned = forms.IntegerField(
        label="收回选票（张）",
        min_value=0,
        help_text="须与已录入的选票张数相符；多于发出的张数则本轮无效（R-BAL-5）",
    )


class ReductionReadingForm(Form):
    """How the procedure reads "半数以上选举人同意" to reduce the seats (R-CNT-5)."""

    reduction_reading = forms.ChoiceField(
        label="减少名额须经",
        choices=[
            ("at_least_half", "半数以上（含半数）选举人同意（党内法规中“以上”含本数，默认）"),
            ("more_than_half", "过半数选举人同意（更严格）"),
        ],
        initial="at_least_half",
        widget=forms.RadioSelect,
        help_text="当选人数少于应选名额、接近应选名额时，减少名额不再选举须经到会选举人同意（R-CNT-5）",
    )


class BallotDeleteForm(Form):
    reason = forms.CharField(
        label="删除原因",
        max_length=200,
        help_text="监票人核对原票后写明原因，记入审计记录（R-SUP-4）",
    )


class ReduceSeatsForm(Form):
    """The voters' consent to reduce the seats, or at a congress the presidium's decision (R-CNT-5)."""

    consenting = forms.IntegerField(label="同意减少名额的人数", min_value=0, required=False)
    by_presidium = forms.BooleanField(
        label="由大会主席团决定减少名额（不再由选举人表决）",
        required=False,
        help_text="党员代表大会可以由大会主席团决定（R-CNT-5）",
    )

    def __init__(
        self, *args: Any, least: int = 0, reading: str = "", congress: bool = False, **kwargs: Any
    ) -> None:
        """``least``: the fewest consenting voters under the procedure's ``reading``; ``congress``:
        the presidium may decide instead."""
        super().__init__(*args, **kwargs)
        self.fields[
            "consenting"
        ].help_text = f"选举办法规定须经{reading}选举人同意：至少 {least} 人（R-CNT-5）"
        if not congress:
            del self.fields["by_presidium"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("by_presidium") and data.get("consenting") is None:
            self.add_error("consenting", "请填写同意减少名额的人数")
        return data


class WriteInForm(Form):
    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"] = member_field(members, "当选的党员")
