"""What each document says, read back from the .docx (R-RPT-1/2/3, R-MEET, R-CNT-7)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from tests.documents.reading import docx_text, generate
from tests.documents.world import CANDIDATES_NUMBER, PLAN_NUMBER, RESULTS_NUMBER
from xuanju.documents import content
from xuanju.documents.content import cn_date
from xuanju.documents.kinds import Kind
from xuanju.elections.models import Meeting, Round
from xuanju.rules.voting import party_age

pytestmark = pytest.mark.django_db
TODAY = cn_date(timezone.localdate())


def items(world, kind: Kind) -> list[int | None]:
    return [ref.item for ref in content.available(world.election) if ref.kind == kind]


def test_R_RPT_1_the_request_states_term_readiness_form_date_size_and_method(done):
    paragraphs, _ = docx_text(generate(done, Kind.PLAN_REQUEST).data)
    text = "".join(paragraphs)
    assert paragraphs[0] == "关于召开党员大会进行换届选举的请示"
    assert paragraphs[1] == "中共东乡镇委员会："
    assert "届满" in text and "已核对党员名册" in text  # term and readiness
    assert f"拟于{TODAY}召开党员大会进行选举" in text  # form and date
    assert "1.听取和审查上届委员会的工作报告；2.选举新一届委员会。" in text  # agenda
    assert "下届委员会由委员5名组成，设书记1名、副书记1名，任期5年" in text
    assert "女性委员至少1名" in text and "差额选举" in text and "R-CAND" not in text
    assert paragraphs[-2:] == ["中共东村支部委员会", TODAY]


def test_R_RPT_1_a_stored_request_without_its_date_takes_the_elections(done):
    """A request stored without the date (imported, or made before the field was kept) still
    prints, with the election's planned date, instead of failing the download."""
    approval = done.election.approvals.get(kind="plan")
    approval.content = {k: v for k, v in approval.content.items() if k != "planned_on"}
    approval.save(update_fields=["content"])
    text = "".join(docx_text(generate(done, Kind.PLAN_REQUEST).data)[0])
    assert f"拟于{cn_date(done.election.planned_on)}召开党员大会进行选举" in text


def test_R_RPT_1_the_reply_carries_the_upper_levels_decision_and_number(done):
    paragraphs, _ = docx_text(generate(done, Kind.PLAN_REPLY).data)
    assert paragraphs[0] == PLAN_NUMBER
    assert paragraphs[1] == "关于同意中共东村支部委员会召开党员大会进行换届选举的批复"
    assert paragraphs[2] == "中共东村支部委员会："
    assert "同意你单位召开党员大会进行换届选举" in "".join(paragraphs)
    assert paragraphs[-3:-1] == ["中共东乡镇委员会", TODAY]
    assert paragraphs[-1].startswith("（审计校验码 第")  # a 附注 below the date (R-SUP-4)


def test_R_RPT_2_the_candidates_request_lists_the_provisional_candidates_and_the_surplus(done):
    paragraphs, tables = docx_text(generate(done, Kind.CANDIDATES_REQUEST).data)
    text = "".join(paragraphs)
    assert paragraphs[0] == "关于中共东村支部委员会委员候选人预备人选的请示"
    assert "应选5名，预备人选6名，多于应选人数1名，差额比例20%，实行差额选举" in text  # R-CAND-2
    assert "应选1名，预备人选1名，实行等额选举" in text  # R-CAND-3
    committee = tables[0]
    assert committee[0] == [
        "姓名",
        "性别",
        "民族",
        "出生年月",
        "入党时间",
        "党龄",
        "学历",
        "现任职务",
        "简历和主要优缺点",
        "考察情况",
    ]
    assert [row[0] for row in committee[1:]] == ["王芳", "刘洋", "李强", "杨帆", "张伟", "陈静"]  # R-NAME
    assert committee[1][3:6] == ["1980.01", "2005.07", str(party_age(date(2006, 7, 1), timezone.localdate()))]
    assert committee[1][6:8] == ["—", "—"]  # no profile on record: education and post not given
    assert "群众基础好" in committee[1][8] and committee[1][9] == "考察合格"
    reply, _ = docx_text(generate(done, Kind.CANDIDATES_REPLY).data)
    assert reply[0] == CANDIDATES_NUMBER and "同意你单位报送的下届委员会候选人预备人选" in "".join(reply)


def test_R_MEET_3_the_procedure_states_what_the_meeting_adopted(done):
    members = items(done, Kind.PROCEDURE)[0]
    paragraphs, _ = docx_text(generate(done, Kind.PROCEDURE, members).data)
    text = "".join(paragraphs)
    assert paragraphs[0] == "中共东村支部委员会党员大会选举办法"
    assert "委员5名（候选人6名，实行差额选举）" in text
    assert "应到会19名，实到会18名，超过应到会人数的五分之四（至少16名）" in text  # R-MEET-1
    assert "赞成票，画“○”" in text and "不赞成票，画“×”" in text  # R-BAL-2
    assert "多于应选人数的为无效票" in text and "废票" in text  # R-BAL-3/4
    assert "多于发出的选票，选举无效" in text  # R-BAL-5
    # R-BAL-5: the default reading, stated as the meeting adopted it
    assert "发出的选票多于实到会人数的，属工作差错，多发的选票当场收回并登记为未使用，不影响选举有效" in text
    assert "预选" not in text  # a members' meeting holds none (R-CNT-8)
    assert "超过实到会有选举权人数的半数" in text and "得票多的当选" in text  # R-CNT-1/4
    assert f"本办法于{TODAY}经党员大会表决通过（到会18人，17人赞成）后生效" in text


def test_R_MEET_2_R_MEET_4_scrutineers_and_the_roll_without_any_ballot(done):
    members = items(done, Kind.ROLES)[0]
    roles, _ = docx_text(generate(done, Kind.ROLES, members).data)
    assert "总监票人：徐丽" in roles and "监票人：马超" in roles and "计票人：朱红、孙涛" in roles
    paragraphs, tables = docx_text(generate(done, Kind.ROLL, items(done, Kind.ROLL)[0]).data)
    text = "".join(paragraphs)
    assert "名册上有选举权的党员20名，其中不计入应到会人数的1名，应到会19名；实到会18名，缺席1名" in text
    assert tables[0][1] == ["罗兰", "出国半年以上", "镇党委同意，大会通过"]
    assert "林峰。" in paragraphs  # absent
    assert "票" not in text  # attendance only, never beside a ballot (R-SUP-1)


def test_R_CNT_7_each_rounds_result_with_every_persons_votes(done):
    first, revote = [r for r in items(done, Kind.ROUND_RESULT)][:2]
    paragraphs, tables = docx_text(generate(done, Kind.ROUND_RESULT, first).data)
    text = "".join(paragraphs)
    assert paragraphs[0] == "中共东村支部委员会党员大会委员选举计票结果"
    assert "发出选票18张，收回选票18张，其中有效票18张，无效票0张，废票0张" in text
    assert "以实到会有选举权人数18名为基数，得赞成票超过半数即10票以上的始得当选" in text
    assert tables[0][0] == ["序号", "姓名", "赞成", "不赞成", "弃权", "结果"]
    assert tables[0][1] == ["1", "王芳", "18", "0", "0", "当选"]
    assert {(row[1], row[2], row[5]) for row in tables[0][5:]} == {
        ("杨帆", "13", "须再次投票"),
        ("陈静", "13", "须再次投票"),
    }
    assert "得票相等，须再次投票。当选人（按姓氏笔画为序）：王芳、刘洋、李强、张伟。" in paragraphs
    second, tables = docx_text(generate(done, Kind.ROUND_RESULT, revote).data)
    assert "第2轮投票（再次投票）" in "".join(second)
    assert "始得当选" not in "".join(second)  # R-CNT-4: no threshold for a revote without a majority
    assert [row[1:3] for row in tables[0][1:]] == [["陈静", "10"], ["杨帆", "8"]]
    assert Round.objects.get(pk=revote).kind == "tie_revote"


def test_R_RPT_3_the_report_files_the_members_asks_approval_for_the_secretaries_with_every_vote(done):
    paragraphs, tables = docx_text(generate(done, Kind.RESULTS_REPORT).data)
    text = "".join(paragraphs)
    assert paragraphs[0] == "关于中共东村支部委员会换届选举结果的报告"
    assert (
        "当选5名（按姓氏笔画为序）：王芳（18票）、刘洋（14票）、李强（18票）、张伟（14票）、陈静（10票）。"
        in text
    )
    assert "新一届委员会委员报请备案，书记、副书记报请批准。" in text
    assert tables[0][0] == ["姓名", "第1轮得票", "第2轮再次投票得票", "结果"]
    assert ["杨帆", "13", "8", "未当选"] in tables[0] and ["陈静", "13", "10", "当选"] in tables[0]
    assert tables[1][1] == ["王芳", "5", "当选"] and tables[2][1] == ["李强", "5", "当选"]
    form, form_tables = docx_text(generate(done, Kind.RESULT_FORM).data)
    assert form[0] == "中共东村支部委员会换届选举结果报告单" and form_tables == tables
    reply, _ = docx_text(generate(done, Kind.RESULTS_REPLY).data)
    assert reply[0] == RESULTS_NUMBER
    assert (
        "新一届委员会委员王芳、刘洋、李强、张伟、陈静予以备案；同意王芳任中共东村支部委员会书记；"
        in "".join(reply)
    )


def test_R_RPT_3_one_election_notice_for_each_elected_person(done):
    notices = [ref for ref in content.available(done.election) if ref.kind == Kind.NOTICE]
    assert [ref.name for ref in notices] == [
        f"当选通知（{n}）" for n in ("王芳", "刘洋", "李强", "张伟", "陈静")
    ]
    paragraphs, _ = docx_text(generate(done, Kind.NOTICE, notices[0].item).data)
    assert paragraphs[:2] == ["当选通知", "王芳同志："]
    assert f"经中共东村支部委员会党员大会于{TODAY}选举，你当选为中共东村支部委员会委员。" in paragraphs
    assert (
        f"经中共东村支部委员会新一届委员会第一次全体会议于{TODAY}选举，你当选为中共东村支部委员会书记，已经上级党组织批准。"
        in paragraphs
    )


def test_R_CNT_7_the_minutes_record_the_whole_meeting(done):
    members = next(m for m in done.election.meetings.all() if m.kind == Meeting.Kind.MEMBERS)
    paragraphs, tables = docx_text(generate(done, Kind.MINUTES, members.pk).data)
    text = "".join(paragraphs)
    assert paragraphs[0] == "中共东村支部委员会党员大会会议记录"
    assert f"时间：{TODAY}" in paragraphs
    assert "应到会19名，实到会18名" in text and "罗兰：出国半年以上（镇党委同意，大会通过）。" in paragraphs
    assert (
        "（到会18人，17人赞成）" in text
        and "总监票人：徐丽；监票人：马超；计票人：朱红、孙涛。" in paragraphs
    )
    assert "委员应选5名，候选人6名：王芳、刘洋、李强、杨帆、张伟、陈静。" in paragraphs
    assert "（一）委员第1轮（正式选举）" in paragraphs and "（二）委员第2轮（再次投票）" in paragraphs
    assert len(tables) == 2
    assert "会议主持人当场宣布，当选委员（按姓氏笔画为序）：王芳、刘洋、李强、张伟、陈静。" in paragraphs


def test_documents_wait_for_their_records(db):
    from tests import factories as f
    from xuanju.elections import actions

    tree, _ = f.village_due_for_reelection(timezone.localdate())
    election = actions.start_election("village", tree.village, timezone.localdate(), 5, 1, readiness="就绪")
    assert content.available(election) == []
    waiting = dict(content.waiting(election, []))
    assert waiting[Kind.PLAN_REQUEST] == "待报送换届请示之后生成"
    actions.submit_plan("village", election)
    assert [ref.kind for ref in content.available(election)] == [Kind.PLAN_REQUEST]
    with pytest.raises(content.NotAvailable):
        content.build(election, Kind.PLAN_REPLY, None)
