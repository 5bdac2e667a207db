"""Forms of printing and scanning: how many sheets, which files, what a doubtful mark is."""

from __future__ import annotations

from typing import Any

from django import forms

from xuanju.forms import Form
from xuanju.paper.bounds import MAX_FILE_BYTES as MAX_SCAN_BYTES

SCAN_TYPES = ".png,.jpg,.jpeg,.tif,.tiff,.pdf,image/png,image/jpeg,image/tiff,application/pdf"


class PrintForm(Form):
    reserve = forms.IntegerField(
        label="备用选票（张）",
        min_value=0,
        max_value=200,
        initial=2,
        help_text="供投票人写错后换发；未用的和换下的都要登记",
        error_messages={"required": "请填写备用选票张数（可以为 0）"},
    )
    paper = forms.ChoiceField(
        label="纸张",
        choices=[("", "自动（A4 放不下时用两栏或 A3）"), ("A4", "A4"), ("A3", "A3")],
        required=False,
    )
    large_print = forms.BooleanField(
        label="大字版", required=False, help_text="字号和符号栏更大，便于年长党员"
    )


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    """Several files from one input, as Django's documentation shows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _MultipleFileInput(attrs={"accept": SCAN_TYPES}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, (list, tuple)) else [data]
        return [super(_MultipleFileField, self).clean(item, initial) for item in items]


class ScanUploadForm(Form):
    scans = _MultipleFileField(
        label="扫描件",
        help_text="PNG、JPEG、TIFF（可多页）或 PDF，150–300 dpi，可一次选择多个文件；方向和轻微歪斜不影响识别",
        error_messages={"required": "请选择要上传的扫描件", "empty": "选择的文件是空的（0 字节）"},
    )

    sheets = forms.IntegerField(
        label="这一批的张数",
        min_value=1,
        max_value=10_000,
        required=False,
        help_text="选票不编号：监票人先清点这一批有多少张，填在这里，再上传这一批的扫描件（一个文件）；"
        "系统核对扫描出的张数，并按批次和页码找回每一张",
    )

    def __init__(self, *args: Any, numbered: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.numbered = numbered
        if numbered:
            del self.fields["sheets"]

    def clean_scans(self) -> list[Any]:
        uploads: list[Any] = self.cleaned_data["scans"]
        for upload in uploads:
            if upload.size > MAX_SCAN_BYTES:
                raise forms.ValidationError(f"{upload.name} 超过 50 MB，请分成几个文件上传")
        if not self.numbered and len(uploads) > 1:
            raise forms.ValidationError("选票不编号：每次上传一批（一个文件），并填写这一批清点的张数")
        return list(uploads)

    def clean_sheets(self) -> int | None:
        sheets: int | None = self.cleaned_data.get("sheets")
        if not self.numbered and sheets is None:
            raise forms.ValidationError("请填写监票人清点的这一批选票张数")
        return sheets


class RescanForm(Form):
    same_sheet = forms.TypedChoiceField(
        label="对照两张原票",
        choices=[("1", "是同一张选票重复扫描，这一页不计入"), ("0", "不是同一张，是另一张选票")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


class VoidSheetForm(Form):
    void_reason = forms.CharField(
        label="作废原因",
        max_length=200,
        help_text="如：撕损无法辨认、有可以辨认投票人的标记（R-BAL-4）",
        error_messages={"required": "请写明作废原因"},
    )


class AuditStartForm(Form):
    """Start a sampling audit (抽样复核): the seed rolled in the room and the risk limit."""

    seed = forms.CharField(
        label="随机种子",
        max_length=120,
        help_text="在会场当众掷十面骰子 20 次（或用其他公开的随机来源），依次记下的数字；凭它任何人都能重现抽取结果",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    risk_limit = forms.TypedChoiceField(
        label="风险上限",
        coerce=int,
        choices=[(5, "5%（选举办法默认）"), (1, "1%"), (10, "10%")],
        initial=5,
        help_text="结果有误却被确认的可能性不超过此值；上限越低，要抽取的选票越多",
    )
