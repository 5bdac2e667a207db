"""Surname stroke order (姓氏笔画排序): R-NAME-1..4, and the stroke table behind it."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xuanju.rules import names, stroke_table, stroke_table_rime
from xuanju.rules.names import (
    normalize_name,
    sort_names,
    stroke_count,
    stroke_key,
    stroke_shapes,
    surname_of,
    unknown_characters,
)


def _split(text: str) -> list[str]:
    return text.split()


# Published lists "按姓氏笔画为序" (members of the CPC Central Committee's Political Bureau, as
# announced by Xinhua after the first plenary session of each Central Committee).
POLITBURO_20 = _split(
    "丁薛祥 习近平 马兴瑞 王毅 王沪宁 尹力 石泰峰 刘国中 李希 李强 李干杰 李书磊 李鸿忠 何卫东 何立峰 "
    "张又侠 张国清 陈文清 陈吉宁 陈敏尔 赵乐际 袁家军 黄坤明 蔡奇"
)
POLITBURO_19 = _split(
    "丁薛祥 王晨 王沪宁 刘鹤 许其亮 孙春兰（女） 李希 李强 李克强 李鸿忠 杨洁篪 杨晓渡 汪洋 张又侠 "
    "陈希 陈全国 陈敏尔 赵乐际 胡春华 栗战书 郭声琨 黄坤明 韩正 蔡奇"
)
POLITBURO_18 = _split(
    "习近平 马凯 王岐山 王沪宁 刘云山 刘延东（女） 刘奇葆 许其亮 孙春兰（女） 孙政才 李克强 李建国 "
    "李源潮 汪洋 张春贤 张高丽 张德江 范长龙 孟建柱 赵乐际 胡春华 俞正声 栗战书 郭金龙 韩正"
)
POLITBURO_17 = _split(
    "习近平 王刚 王乐泉 王兆国 王岐山 回良玉（回族） 刘淇 刘云山 刘延东（女） 李长春 李克强 李源潮 "
    "吴邦国 汪洋 张高丽 张德江 周永康 胡锦涛 俞正声 贺国强 贾庆林 徐才厚 郭伯雄 温家宝 薄熙来"
)


def shuffled(items: list[str], seed: int) -> list[str]:
    copy = list(items)
    random.Random(seed).shuffle(copy)
    return copy


# --- published lists ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_R_NAME_1_to_4_politburo_20_in_published_order(seed: int) -> None:
    assert len(POLITBURO_20) == 24
    assert sort_names(shuffled(POLITBURO_20, seed)) == POLITBURO_20


@pytest.mark.parametrize(
    "published", [POLITBURO_19, POLITBURO_18, POLITBURO_17], ids=["19th", "18th", "17th"]
)
@pytest.mark.parametrize("seed", range(3))
def test_R_NAME_1_to_4_earlier_politburos_in_published_order(published: list[str], seed: int) -> None:
    assert sort_names(shuffled(published, seed)) == published


# --- R-NAME-1: stroke count of the surname ---------------------------------------------------


@pytest.mark.parametrize(
    ("char", "count"),
    [
        ("丁", 2), ("马", 3), ("于", 3), ("王", 4), ("方", 4), ("尹", 4), ("邓", 4), ("石", 5),
        ("刘", 6), ("孙", 6), ("许", 6), ("朱", 6), ("李", 7), ("张", 7), ("陈", 7), ("吴", 7),
        ("何", 7), ("宋", 7), ("周", 8), ("林", 8), ("罗", 8), ("郑", 8), ("欧", 8), ("赵", 9),
        ("胡", 9), ("徐", 10), ("郭", 10), ("高", 10), ("唐", 10), ("诸", 10), ("黄", 11),
        ("梁", 11), ("曹", 11), ("谢", 12), ("韩", 12), ("彭", 12), ("曾", 12), ("葛", 12),
        ("蔡", 14), ("薛", 16), ("魏", 17), ("戴", 17),
    ],
)  # fmt: skip
def test_R_NAME_1_stroke_counts_of_common_surnames(char: str, count: int) -> None:
    assert stroke_count(char) == count


def test_R_NAME_1_fewer_strokes_first() -> None:
    assert sort_names(["蔡奇", "王毅", "丁薛祥", "刘鹤"]) == ["丁薛祥", "王毅", "刘鹤", "蔡奇"]


def test_R_NAME_1_traditional_form_counts_as_simplified() -> None:
    assert stroke_count("陳") == stroke_count("陈") == 7
    assert stroke_shapes("劉") == stroke_shapes("刘")


# --- R-NAME-2: stroke shapes 横 < 竖 < 撇 < 点 < 折 -------------------------------------------


@pytest.mark.parametrize(
    ("char", "shapes"),
    [
        ("王", "1121"), ("方", "4153"), ("尹", "5113"), ("丁", "12"), ("小", "234"), ("了", "52"),
        ("子", "521"), ("李", "1234521"), ("杨", "1234533"), ("习", "541"), ("马", "551"),
        ("冲", "412512"), ("以", "5434"), ("必", "45434"), ("我", "3121534"), ("德", "332122522114544"),
    ],
)  # fmt: skip
def test_R_NAME_2_shapes_follow_the_standard(char: str, shapes: str) -> None:
    # 提 counts as 横 (冲 41…, 习 …1), 竖钩 as 竖 (丁 12, 小 234), 捺 as 点, turns as 折.
    assert stroke_shapes(char) == shapes
    assert stroke_count(char) == len(shapes)


@pytest.mark.parametrize(
    "ordered",
    [
        ["王", "方", "尹"],  # 4 strokes: 横 < 点 < 折 at the first stroke
        ["习", "马"],  # 541 < 551 at the second stroke
        ["李", "杨", "汪", "张", "陈"],  # 7 strokes; 李 before 杨 at the sixth (竖钩 = 竖)
        ["刘", "许", "孙"],  # 6 strokes: 41… < 45… < 5…
        ["张", "陈"],  # 51… < 52…
        ["牛", "毛"],  # 3112 < 3115 at the last stroke
        ["赵", "胡", "俞", "贺"],  # 9 strokes
        ["贾", "徐", "郭"],  # 10 strokes
    ],
)
def test_R_NAME_2_equal_counts_compare_shapes_stroke_by_stroke(ordered: list[str]) -> None:
    assert len({stroke_count(c) for c in ordered}) == 1
    assert sort_names(list(reversed(ordered))) == ordered


def test_R_NAME_2_same_strokes_different_surnames_stay_grouped() -> None:
    # 于 and 干 are both 横横竖; each surname keeps its names together (code point decides).
    assert stroke_shapes("于") == stroke_shapes("干")
    assert sort_names(["干丁", "于乙", "干乙", "于丁"]) == ["于乙", "于丁", "干乙", "干丁"]


# --- R-NAME-3: equal surnames ---------------------------------------------------------------


def test_R_NAME_3_one_character_given_name_first() -> None:
    assert sort_names(["李鸿忠", "李干杰", "李强", "李希"]) == ["李希", "李强", "李干杰", "李鸿忠"]
    assert sort_names(["王沪宁", "王晨"]) == ["王晨", "王沪宁"]  # 晨 11 strokes, still first


def test_R_NAME_3_given_names_character_by_character() -> None:
    assert sort_names(["陈敏尔", "陈吉宁", "陈文清"]) == ["陈文清", "陈吉宁", "陈敏尔"]
    assert sort_names(["张国清", "张国华"]) == ["张国华", "张国清"]  # second given char decides


# --- R-NAME-4: notes, dots, whitespace, stability -------------------------------------------


@pytest.mark.parametrize(
    "decorated",
    ["孙春兰（女）", "孙春兰(女)", "孙春兰 （女）", " 孙 春兰 ", "孙春兰\u3000", "孙春兰（女）（回族）"],
)
def test_R_NAME_4_notes_and_whitespace_are_not_part_of_the_key(decorated: str) -> None:
    assert normalize_name(decorated) == "孙春兰"
    assert stroke_key(decorated) == stroke_key("孙春兰")


@pytest.mark.parametrize("dot", ["·", "・", "•", "‧", "･", "．", "."])
def test_R_NAME_4_middle_dot_of_transliterated_names_is_ignored(dot: str) -> None:
    assert stroke_key(f"买买提{dot}艾力") == stroke_key("买买提艾力")
    assert surname_of(f"买买提{dot}艾力") == "买"


def test_R_NAME_4_equal_keys_keep_input_order() -> None:
    names_in = ["张伟（女）", "李明", "张伟", "张伟 ", "李明（回族）"]
    assert sort_names(names_in) == ["李明", "李明（回族）", "张伟（女）", "张伟", "张伟 "]
    assert sort_names(list(reversed(names_in))) == ["李明（回族）", "李明", "张伟 ", "张伟", "张伟（女）"]


def test_R_NAME_4_nested_and_unbalanced_notes() -> None:
    assert normalize_name("回良玉（回族（注））") == "回良玉"
    assert normalize_name("刘延东（女") == "刘延东女"  # no closing bracket: only the bracket goes


# --- compound surnames ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "surname"),
    [
        ("欧阳修", "欧阳"), ("司马光", "司马"), ("诸葛亮", "诸葛"), ("上官婉儿", "上官"),
        ("万俟卨", "万俟"), ("欧阳（女）", "欧"), ("欧强", "欧"), ("王欧阳", "王"), ("", ""),
    ],
)  # fmt: skip
def test_R_NAME_3_surname_of_recognises_compound_surnames(name: str, surname: str) -> None:
    assert surname_of(name) == surname


def test_R_NAME_1_compound_surname_sorts_by_first_then_second_character() -> None:
    # 欧 8 strokes: after 王 (4) and before 赵 (9); single-character 欧 names before 欧阳.
    assert sort_names(["赵一", "欧阳明", "欧强", "王五", "欧阳丹"]) == [
        "王五",
        "欧强",
        "欧阳丹",
        "欧阳明",
        "赵一",
    ]
    # R-NAME-3 applies after the compound surname: one-character given name first.
    assert sort_names(["司马相如", "司马光"]) == ["司马光", "司马相如"]


# --- unknown characters ---------------------------------------------------------------------


def test_R_NAME_1_unknown_characters_sort_last_and_are_reported() -> None:
    assert sort_names(["Smith", "王五", "2号", "李四"]) == ["王五", "李四", "2号", "Smith"]
    assert unknown_characters("John·李（注）") == ["J", "o", "h", "n"]
    assert unknown_characters("李强") == []
    assert sort_names(["李B", "李A", "李强"]) == ["李强", "李A", "李B"]


def test_R_NAME_1_count_only_standard_character_sorts_by_count() -> None:
    # 𬌗 (U+2C317, 通用规范汉字表 #6979) has a count (10) but no shape data in any source.
    assert stroke_shapes("𬌗") is None
    assert stroke_count("𬌗") == 10
    assert unknown_characters("𬌗") == ["𬌗"]
    assert sort_names(["𬌗甲", "高甲", "黄甲", "徐甲"]) == ["徐甲", "高甲", "𬌗甲", "黄甲"]


def test_stroke_lookups_reject_more_than_one_character() -> None:
    with pytest.raises(ValueError):
        stroke_count("王五")
    assert stroke_count("A") is None and stroke_shapes("A") is None


# --- the table ------------------------------------------------------------------------------


def test_R_NAME_1_table_covers_the_8105_standard_characters() -> None:
    standard = stroke_table.STANDARD
    assert len(standard) == 8105 == len(set(standard))
    assert all(stroke_count(c) is not None for c in standard)
    with_shapes = [c for c in standard if stroke_shapes(c) is not None]
    assert len(with_shapes) == 7997  # the other 108 are count-only (docs/stroke-data.md)
    assert all(ord(c) >= 0x20000 for c in standard if stroke_shapes(c) is None)


def test_R_NAME_2_every_entry_has_as_many_shapes_as_strokes() -> None:
    table = names._merged_shapes()
    assert len(table) > 8000
    for char, shapes in table.items():
        assert shapes and set(shapes) <= set("12345"), char
        assert stroke_count(char) == len(shapes), char
    assert not set(names._parse(stroke_table.SHAPES)) & set(names._parse(stroke_table_rime.SHAPES))


def test_R_NAME_1_folds_point_into_the_table() -> None:
    folds = names._folds()
    assert folds["陳"] == "陈" and folds["劉"] == "刘"
    assert all(stroke_count(simplified) is not None for simplified in folds.values())


# --- properties -----------------------------------------------------------------------------

SURNAME_CHARS = "丁习马王尹石刘李何张陈赵袁黄蔡于干欧阳司"
NAME_CHARS = (
    SURNAME_CHARS + "薛祥近平兴瑞毅沪宁力泰峰国中希强杰书磊鸿忠卫东立又侠清文吉敏尔乐际家军坤明奇Ab1𬌗"
)
name_text = st.text(alphabet=NAME_CHARS, min_size=1, max_size=4)
notes = st.sampled_from(["", "（女）", "(回族)", "·", " ", "\u3000"])


@given(st.lists(name_text, max_size=30))
def test_R_NAME_4_sort_is_a_permutation_and_idempotent(items: list[str]) -> None:
    result = sort_names(items)
    assert sorted(result) == sorted(items)
    assert sort_names(result) == result
    assert [stroke_key(n) for n in result] == sorted(stroke_key(n) for n in items)


@given(st.lists(st.tuples(name_text, st.integers(0, 1000)), max_size=30))
def test_R_NAME_4_stable_for_equal_keys(tagged: list[tuple[str, int]]) -> None:
    # Sort (name, tag) pairs by the name's key: equal names keep their tags' input order.
    result = sorted(tagged, key=lambda pair: stroke_key(pair[0]))
    for name in {n for n, _ in tagged}:
        assert [t for n, t in result if n == name] == [t for n, t in tagged if n == name]
    assert [n for n, _ in result] == sort_names([n for n, _ in tagged])


@given(name_text, notes, notes)
def test_R_NAME_4_key_ignores_notes_and_separators(name: str, inner: str, outer: str) -> None:
    decorated = name[:1] + inner + name[1:] + outer
    assert stroke_key(decorated) == stroke_key(name)
