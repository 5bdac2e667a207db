"""换届工作总结: the skeleton of a campaign's report, pre-filled with its figures, as .docx for the
organization department to complete in Word or WPS.

The figures (progress, the structure of the new teams by township and in total, the targets met and
the organizations that miss one) are written from the records; the parts only the department can
write (what it did, what it learned, what comes next) are headings with a line saying what belongs
there. Built as document blocks (:mod:`xuanju.documents.markup`) and written by the documents app's
.docx writer, so the report has the same page and fonts as every other document.
"""

from __future__ import annotations

from datetime import date

from xuanju.campaigns.structure import CampaignStructure, Stage
from xuanju.display import CODE_GROUP, citation
from xuanju.documents.docx_writer import docx_bytes
from xuanju.documents.markup import (
    Addressee,
    Block,
    DateLine,
    Heading,
    Paragraph,
    Signature,
    Table,
    Title,
    cell,
)
from xuanju.organizations.models import Organization
from xuanju.rules.structure import Gap, Targets
from xuanju.rules.team_totals import TeamFigures, average_tenths, percent_tenths
from xuanju.vetting.services import target_label

TO_WRITE = "（此处由组织部门填写{what}。）"
MISSING_LISTED = 30  # the organizations named in the text; the rest are counted (the .xlsx has all)


def _date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _cited(text: str) -> str:
    """``text`` with its rule codes as the Chinese citations official documents use."""
    return CODE_GROUP.sub(
        lambda m: f"（{citation(m.group(0))}）" if m.group(0)[0] in "（(" else citation(m.group(0)), text
    )


def _percent(part: int, whole: int) -> str:
    tenths = percent_tenths(part, whole)
    return "—" if tenths is None else f"{tenths / 10:.1f}%"


def structure_sentence(f: TeamFigures) -> str:
    """The new teams' structure in one paragraph."""
    if not f.people:
        return "目前尚无党组织选出新一届班子。"
    average = average_tenths(f.average_age)
    parts = [
        f"已选出的 {f.teams} 个新一届班子共有成员 {f.people} 名",
        f"其中女性 {f.women} 名，占 {_percent(f.women, f.people)}",
        f"少数民族 {f.minorities} 名，占 {_percent(f.minorities, f.people)}",
        f"35岁及以下 {f.young} 名，占 {_percent(f.young, f.people)}",
        f"平均年龄 {average / 10:.1f} 岁" if average is not None else "",
        f"大专及以上学历 {f.college_or_above} 名，占 {_percent(f.college_or_above, f.people)}",
        f"生产、工作一线 {f.front_line} 名，占 {_percent(f.front_line, f.people)}",
        f"连任 {f.returning} 名、新进 {f.new} 名，新进占 {_percent(f.new, f.people)}",
    ]
    text = "，".join(p for p in parts if p) + "。"
    if f.secretaries:
        text += (
            f"已选出书记 {f.secretaries} 名，其中兼任村（居）民委员会主任 {f.secretaries_heading} 名，"
            f"占 {_percent(f.secretaries_heading, f.secretaries)}。"
        )
    return text


def _target_text(targets: Targets | None, gap: Gap) -> str:
    value = getattr(targets, gap.value)
    age, required = value if isinstance(value, tuple) else (None, value)
    return target_label(gap, required, age)


def report_blocks(structure: CampaignStructure, today: date) -> list[Block]:
    campaign = structure.campaign
    owner = campaign.organization
    upper = Organization.objects.get_parent(owner) if owner.depth > 1 else None
    teams = structure.teams
    elected = sum(1 for t in teams if t.stage is Stage.ELECTED)
    slates = sum(1 for t in teams if t.stage is Stage.SLATE)
    completed = sum(1 for t in teams if t.completed)
    blocks: list[Block] = [Title((f"关于{cell(campaign.name)}工作情况的总结",))]
    if upper is not None:
        blocks.append(Addressee(f"{cell(upper.name)}组织部："))
    blocks.append(
        Paragraph(
            f"按照换届工作安排，{cell(owner.name)}于{_date(campaign.requests_by)}前部署、"
            f"{_date(campaign.meetings_from)}至{_date(campaign.meetings_until)}集中召开选举大会，"
            f"对所属 {structure.entries} 个党组织进行集中换届。截至{_date(today)}，有关情况总结如下。"
        )
    )
    blocks.append(Heading(1, "一、基本情况"))
    blocks.append(
        Paragraph(
            f"纳入这次集中换届的党组织 {structure.entries} 个。已选出新一届班子的 {elected} 个，"
            f"占 {_percent(elected, structure.entries)}，其中上级已批复选举结果、完成换届的 {completed} 个；"
            f"已确定候选人预备人选、尚未选举的 {slates} 个；尚未确定人选的 {structure.not_started} 个。"
        )
    )
    blocks.append(Heading(1, "二、新一届班子结构情况"))
    blocks.append(Paragraph(structure_sentence(structure.elected)))
    header = (
        "乡镇（街道）",
        "党组织数",
        "已选出",
        "班子成员",
        "女性",
        "35岁及以下",
        "大专及以上",
        "平均年龄",
    )
    rows = []
    for township in [*structure.townships, None]:
        name, entries, f = (
            (cell(township.name), township.entries, township.elected)
            if township is not None
            else ("合计", structure.entries, structure.elected)
        )
        average = average_tenths(f.average_age)
        rows.append(
            (
                name,
                str(entries),
                str(f.teams),
                str(f.people),
                str(f.women),
                str(f.young),
                str(f.college_or_above),
                "—" if average is None else f"{average / 10:.1f}",
            )
        )
    blocks.append(Table(header, tuple(rows)))
    blocks.append(Heading(1, "三、结构要求落实情况"))
    if structure.attainment or structure.heading_judged:
        for item in structure.attainment:
            blocks.append(
                Paragraph(
                    f"“{_target_text(structure.targets, item.gap)}”：已选出的 {item.judged} 个班子中，"
                    f"达到 {item.met} 个，未达到 {item.missed} 个。"
                )
            )
        if structure.heading_judged:
            blocks.append(
                Paragraph(
                    f"书记“一肩挑”：已选出书记的 {structure.heading_judged} 个村（社区）中，"
                    f"书记兼任村（居）民委员会主任的 {structure.heading_judged - structure.heading_missed} 个，"
                    f"尚未兼任的 {structure.heading_missed} 个。"
                )
            )
    else:
        blocks.append(Paragraph("这次集中换届没有设定班子结构要求。"))
    missing = structure.missing
    if missing:
        named = "；".join(
            f"{cell(t.organization)}（{_cited('、'.join(t.misses))}）" for t in missing[:MISSING_LISTED]
        )
        more = f"等 {len(missing)} 个" if len(missing) > MISSING_LISTED else ""
        blocks.append(Paragraph(f"未达到或难以达到结构要求的党组织{more}：{named}。"))
    blocks.append(Heading(1, "四、主要做法和经验"))
    blocks.append(Paragraph(TO_WRITE.format(what="加强组织领导、严把人选关口、严肃换届纪律等方面的做法")))
    blocks.append(Heading(1, "五、存在的问题和下一步工作"))
    blocks.append(Paragraph(TO_WRITE.format(what="存在的问题、对未完成换届和未达到结构要求党组织的措施")))
    blocks.append(Signature(f"{cell(owner.name)}组织部"))
    blocks.append(DateLine(_date(today)))
    return blocks


def report_docx(structure: CampaignStructure, today: date) -> bytes:
    """The report as .docx bytes, dated ``today`` (the same records give the same bytes)."""
    campaign = structure.campaign
    return docx_bytes(
        report_blocks(structure, today),
        title=f"{campaign.name}工作总结",
        author=campaign.organization.name,
        dated=today,
    )
