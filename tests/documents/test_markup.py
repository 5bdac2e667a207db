"""The template markup, without a database."""

from __future__ import annotations

import pytest

from xuanju.documents.markup import (
    Addressee,
    CarbonCopy,
    DateLine,
    DocumentNumber,
    Heading,
    MarkupError,
    PageBreak,
    Paragraph,
    Printed,
    Signature,
    Table,
    Title,
    cell,
    literal,
    parse,
)
from xuanju.documents.page import signature_right_chars


def test_every_line_kind_parses_to_its_block():
    text = """文号：东村党支〔2026〕5号
# 关于召开党员大会
# 进行换届选举的请示

主送：中共东乡镇委员会
## 一、换届准备情况
### （一）述职
#### 1.民主评议
正文。
| 姓名 | 得票 |
| 王芳 | 18 |
---
\\# 不是标题
落款：中共东村支部委员会
日期：2026年11月28日
抄送：县委组织部
印发：中共东村支部委员会 | 2026年11月28日
"""
    assert parse(text) == (
        DocumentNumber("东村党支〔2026〕5号"),
        Title(("关于召开党员大会", "进行换届选举的请示")),
        Addressee("中共东乡镇委员会"),
        Heading(1, "一、换届准备情况"),
        Heading(2, "（一）述职"),
        Heading(3, "1.民主评议"),
        Paragraph("正文。"),
        Table(("姓名", "得票"), (("王芳", "18"),)),
        PageBreak(),
        Paragraph("# 不是标题"),
        Signature("中共东村支部委员会"),
        DateLine("2026年11月28日"),
        CarbonCopy("县委组织部"),
        Printed("中共东村支部委员会", "2026年11月28日"),
    )


def test_free_text_never_becomes_markup():
    assert parse("# 标题\n" + literal("# 王芳 | 说明") + "\n" + literal("落款：某人"))[1:] == (
        Paragraph("# 王芳 | 说明"),
        Paragraph("落款：某人"),
    )
    assert cell("张三|李四\n王五") == "张三｜李四 王五"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("正文", 1, "文书须有标题"),
        ("# 标题\n#标题", 2, "“#”后须有空格"),
        ("# 标题\n| a | b |\n| c |", 3, "与第2行表头的2栏不一致"),
        ("# 标题\n| a | b", 2, "表格行须以“|”开头、以“|”结尾"),
        ("# 标题\n印发：只有机关", 2, "印发：印发机关 | 印发日期"),
        ("# 标题\n日期：", 2, "日期不能为空"),
    ],
)
def test_a_bad_line_is_named(text, line, words):
    with pytest.raises(MarkupError) as error:
        parse(text)
    assert error.value.line == line and words in error.value.message


def test_the_signature_is_centred_over_the_date_four_characters_from_the_right():
    assert signature_right_chars("中共东村支部委员会", "2026年11月28日") == 4 + (7 - 9) / 2
    assert signature_right_chars("某某", "2026年11月28日") == 4 + (7 - 2) / 2
