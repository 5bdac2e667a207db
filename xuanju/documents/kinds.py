"""The documents of an election (文书), one template each, and who may read them."""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    PLAN_REQUEST = "plan-request", "关于召开党员大会进行换届选举的请示"
    PLAN_REPLY = "plan-reply", "换届选举请示的批复"
    CANDIDATES_REQUEST = "candidates-request", "委员会委员候选人预备人选的请示"
    CANDIDATES_REPLY = "candidates-reply", "候选人预备人选请示的批复"
    PROCEDURE = "procedure", "选举办法"
    ROLES = "roles", "监票人、计票人名单"
    ROLL = "roll", "会议点名情况"
    ROUND_RESULT = "round-result", "计票结果"
    SAMPLING_AUDIT = "sampling-audit", "抽样复核报告"
    RESULT_FORM = "result-form", "选举结果报告单"
    RESULTS_REPORT = "results-report", "关于选举结果的报告"
    RESULTS_REPLY = "results-reply", "选举结果报告的批复"
    NOTICE = "notice", "当选通知"
    MINUTES = "minutes", "会议记录"


#: What was announced or adopted before the whole meeting (R-MEET-3/4, R-CNT-7): members of the
#: organization may read these. Requests, replies, candidates' vetting and profiles, the roll with
#: its reasons and the minutes are for the organizers and the upper level only.
PUBLIC = frozenset({Kind.PROCEDURE, Kind.ROLES, Kind.ROUND_RESULT})

#: Why a document is not there yet, as the list of documents shows it.
WAITING = {
    Kind.PLAN_REQUEST: "待报送换届请示之后生成",
    Kind.PLAN_REPLY: "待上级批复换届请示之后生成",
    Kind.CANDIDATES_REQUEST: "待报送候选人预备人选之后生成",
    Kind.CANDIDATES_REPLY: "待上级批复候选人预备人选之后生成",
    Kind.PROCEDURE: "待会议通过选举办法之后生成",
    Kind.ROLES: "待会议通过监票人、确定计票人之后生成",
    Kind.ROLL: "待点名结束之后生成",
    Kind.ROUND_RESULT: "待一轮投票计票结束之后生成",
    Kind.SAMPLING_AUDIT: "扫描计票的轮次完成抽样复核之后生成",
    Kind.RESULT_FORM: "待一轮投票计票结束之后生成",
    Kind.RESULTS_REPORT: "待报送选举结果之后生成",
    Kind.RESULTS_REPLY: "待上级批复选举结果之后生成",
    Kind.NOTICE: "待有人当选之后生成",
    Kind.MINUTES: "待会议点名结束之后生成",
}
