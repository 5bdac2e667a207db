"""The desk's forms: a reading typed as one key per candidate, and serials of sheets not issued.

They hold marks and sheet numbers only, never a voter (R-SUP-1).
"""

from __future__ import annotations

from typing import Any

from django import forms

from xuanju.counting.models import SheetNote
from xuanju.counting.readings import (
    ReadingError,
    is_sheet,
    normalize_key,
    parse_names,
    parse_reading,
    parse_serials,
)
from xuanju.elections.models import Candidate
from xuanju.forms import Form

VOID_REASONS = ["撕损无法辨认", "涂改无法辨认", "有识别投票人的标记", "未按规定填写无法辨认"]
CLEAR = "clear"


class ReadingForm(Form):
    """One paper ballot (or a stack of identical ones) as one counter reads it (R-BAL-2..4)."""

    key = forms.CharField(
        label="选票编号",
        max_length=20,
        help_text="选票上印的编号；一叠相同的选票填组号，如“组3”",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "class": "desk-key"}),
    )
    reading = forms.CharField(
        label="标记",
        required=False,
        strip=False,  # a space is an abstention
        max_length=200,
        help_text="按候选人顺序每人一个键：o 或 1 赞成（○），x 或 2 不赞成（×），. 或 0 或空格 弃权",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "class": "desk-reading",
                "autocapitalize": "off",
            }
        ),
    )
    write_ins = forms.CharField(
        label="另选他人",
        required=False,
        max_length=200,
        help_text="姓名之间用、或，隔开（空格不分隔姓名）；只有投了不赞成票才可另选（R-BAL-2）",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    count = forms.IntegerField(label="同样的选票", min_value=1, max_value=100_000, initial=1)
    void = forms.BooleanField(label="废票", required=False)
    void_reason = forms.CharField(
        label="废票原因",
        required=False,
        max_length=200,
        help_text="无法辨认或有识别投票人的标记，由监票人确认（R-BAL-4）",
        widget=forms.TextInput(attrs={"list": "void-reasons", "autocomplete": "off"}),
    )

    def __init__(
        self,
        *args: Any,
        candidates: list[Candidate],
        with_key: bool = True,
        numbered: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.numbered = numbered
        if not with_key:
            del self.fields["key"]
        elif not numbered:
            key = self.fields["key"]
            key.label = "批次-张次"
            key.help_text = "选票不编号：填这张选票的批次和在这一批中的张次，如 3-17（第3批第17张）；一叠相同的选票填组号，如“组3”"
            key.widget.attrs["inputmode"] = "text"
        self.fields["reading"].widget.attrs["maxlength"] = str(len(candidates))
        self.fields["reading"].widget.attrs["data-size"] = str(len(candidates))

    def clean_key(self) -> str:
        try:
            return normalize_key(self.cleaned_data["key"], self.numbered)
        except ReadingError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("void"):
            if not (data.get("void_reason") or "").strip():
                self.add_error("void_reason", "请写明废票原因，由监票人确认（R-BAL-4）")
            return data
        try:
            marks = parse_reading(data.get("reading") or "", [c.key for c in self.candidates])
        except ReadingError as error:
            self.add_error("reading", str(error))
        else:
            data["marks"] = marks
        return data

    def ballot(self) -> dict[str, Any]:
        """The reading as arguments of ``enter_at_desk`` / ``resolve_conflict`` (without the key)."""
        data = self.cleaned_data
        if data.get("void"):
            return {
                "marks_for": [],
                "marks_against": [],
                "write_ins": [],
                "count": data["count"],
                "void_reason": data["void_reason"],
            }
        return {
            "marks_for": data["marks"].marks_for,
            "marks_against": data["marks"].marks_against,
            "write_ins": parse_names(data.get("write_ins") or ""),
            "count": data["count"],
            "void_reason": "",
        }


class SheetNoteForm(Form):
    serials = forms.CharField(
        label="选票编号",
        max_length=500,
        help_text="如 41-45、47",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    state = forms.ChoiceField(
        label="情况",
        choices=[*SheetNote.State.choices, (CLEAR, "撤销登记（已发出）")],
        initial=SheetNote.State.UNUSED,
    )

    def clean_serials(self) -> list[int]:
        try:
            return parse_serials(self.cleaned_data["serials"])
        except ReadingError as error:
            raise forms.ValidationError(str(error)) from error


class SheetCountForm(Form):
    """How many unnumbered sheets no voter kept (R-BAL-5: printed = issued + spoiled + unused)."""

    spoiled = forms.IntegerField(label="作废换发的张数", min_value=0, max_value=100_000, initial=0)
    unused = forms.IntegerField(label="未发出的张数", min_value=0, max_value=100_000, initial=0)


class AuditReadingForm(ReadingForm):
    """One sheet pulled for the sampling audit, as a scrutineer reads the paper: its serial and marks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["count"]
        if self.numbered:
            self.fields["key"].help_text = "抽出的选票上印的编号"
        else:
            self.fields["key"].help_text = "抽出的那张选票的批次和张次，如 3-17（第3批第17张）"

    def clean_key(self) -> str:
        key = super().clean_key()
        if self.numbered and not key.isdigit():
            raise forms.ValidationError("请填写抽出的那张选票上印的编号（数字）")
        if not self.numbered and not is_sheet(key):
            raise forms.ValidationError("请填写抽出的那张选票的批次和张次，如 3-17（第3批第17张）")
        return key

    def ballot(self) -> dict[str, Any]:
        self.cleaned_data["count"] = 1
        reading = super().ballot()
        del reading["count"]
        return reading
