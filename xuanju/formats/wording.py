"""How the rules' codes read in Chinese. The rules return codes and numbers; this module words them.

Every note ends with the rule it comes from, so a reader can look it up in the Regulations.
"""

from __future__ import annotations

from xuanju.rules.quota import QuotaProblem, QuotaWarning
from xuanju.rules.tally import InputProblem, Note, NoteCode, Problem

BASE_NAMES = {"present": "实到会有选举权人数", "entitled": "应到会有选举权人数"}

STATUS_NAMES = {
    "complete": "选举完成",
    "meeting_invalid": "会议无效（到会人数不足）",
    "round_void": "本轮选举无效，须重新投票",
    "tie_revote_needed": "得票相等，须再次投票",
    "seats_unfilled": "当选人数不足应选人数",
}

# Who votes, as the quorum and result notes name them (R-MEET-1): a members' meeting counts 党员, a
# congress 代表, a committee's plenary 委员.
VOTER_WORDS = {"members_meeting": "党员", "congress": "代表", "plenary": "委员"}

KIND_NAMES = {"regular": "正式选举", "tie_revote": "再次投票", "further": "另行选举", "pre_election": "预选"}

_PROBLEMS: dict[Problem, str] = {
    Problem.SEATS_BELOW_ONE: "应选人数至少为 1，实际是 {value}",
    Problem.PRESENT_EXCEEDS_ENTITLED: "实到会人数 {value} 多于应到会人数，请核对（R-MEET-1）",
    Problem.DUPLICATE_CANDIDATE_ID: "候选人编号 “{value}” 重复",
    Problem.UNKNOWN_CANDIDATE: "候选人名单中没有编号 “{value}”",
    Problem.CANDIDATE_TWICE: "同一张选票上候选人 “{value}” 出现了两次",
    Problem.CANDIDATE_FOR_AND_AGAINST: (
        "同一张选票上对候选人 “{value}” 既画了赞成（○）又画了不赞成（×），请按选票的实际情况由监票人认定（R-BAL-2）"
    ),
    Problem.REVOTE_WITHOUT_TIE: (
        "再次投票只在得票相等、多于剩余名额的人之间进行；本轮候选人只有 {value} 人，不多于应选人数，"
        "不能进行再次投票（R-CNT-4）"
    ),
    Problem.WRITE_IN_TWICE: "同一张选票上另选的 “{value}” 出现了两次（空格、间隔号的写法不同仍是同一人）",
    Problem.WRITE_IN_BLANK: "另选他人的姓名是空白，请填写姓名或删去这一项",
    Problem.WRITE_IN_IS_CANDIDATE: "另选他人 “{value}” 是本轮候选人，应记为对该候选人的赞成票",
    Problem.WRITE_IN_WITHOUT_AGAINST: (
        "另选他人 {value} 人，多于这张选票上的不赞成票数；只有投不赞成票才可另选他人，弃权不能另选（R-BAL-2）"
    ),
    Problem.WRITE_IN_IN_TIE_REVOTE: "再次投票只在得票相等的人之间进行，不能另选他人 “{value}”（R-CNT-4）",
    Problem.WRITE_IN_IN_PRE_ELECTION: (
        "预选只在大会主席团提出的候选人中进行，不能另选他人 “{value}”（R-CAND-4）"
    ),
    Problem.PRE_ELECTION_TOO_FEW_CANDIDATES: (
        "预选的候选人只有 {value} 人，须多于本轮应选的正式候选人数，否则不需要预选（R-CAND-4）"
    ),
    Problem.VOID_BALLOT_HAS_MARKS: "废票（“{value}”）不应再记录赞成、不赞成或另选他人（R-BAL-4）",
    Problem.COUNT_BELOW_ONE: "张数至少为 1，实际是 {value}",
    Problem.RETURNED_DIFFERS_FROM_LISTED: "收回选票数与列出的选票总数 {value} 张不符",
}


def problem_text(problem: InputProblem) -> str:
    return _PROBLEMS[problem.code].format(value=problem.value)


def voter_word(body: object) -> str:
    """党员, 代表 or 委员: who votes in a round held by ``body`` (a VotingBody value)."""
    return VOTER_WORDS.get(str(body), "党员")


def _note_template(note: Note) -> str:
    p = note.params
    match note.code:
        case NoteCode.QUORUM_MET:
            return (
                f"到会有选举权的{voter_word(p.get('body'))} {p['present']} 人，"
                f"超过应到会 {p['entitled']} 人的五分之四，可以进行选举"
            )
        case NoteCode.QUORUM_NOT_MET:
            return (
                f"到会有选举权的{voter_word(p.get('body'))} {p['present']} 人，"
                f"未超过应到会 {p['entitled']} 人的五分之四，不能进行选举，本次投票无人当选"
            )
        case NoteCode.RETURNED_EXCEEDS_ISSUED:
            return f"收回选票 {p['returned']} 张，多于发出的 {p['issued']} 张，本轮选举无效，应重新投票"
        case NoteCode.ISSUED_EXCEEDS_PRESENT:
            return (
                f"发出选票 {p['issued']} 张，多于实到会有选举权的{voter_word(p.get('body'))} {p['present']} 人；"
                "选举办法规定发出多于到会人数的，本轮选举无效，应重新投票"
            )
        case NoteCode.RETURNED_EXCEEDS_PRESENT:
            return (
                f"发出选票 {p['issued']} 张，多于实到会有选举权的{voter_word(p.get('body'))} {p['present']} 人，"
                f"收回的 {p['returned']} 张也多于到会人数，本轮选举无效，应重新投票"
            )
        case NoteCode.EXCESS_BALLOTS_ISSUED:
            return (
                f"发出选票 {p['issued']} 张，多于实到会有选举权的{voter_word(p.get('body'))} {p['present']} 人，"
                f"属工作差错：多发的 {p['excess']} 张应收回并登记为未使用；收回选票 {p['returned']} 张，"
                "不多于到会人数，本轮选举有效"
            )
        case NoteCode.INVALID_BALLOTS:
            return f"无效票 {p['count']} 张：所选人数（赞成加另选他人）多于应选人数 {p['seats']} 人"
        case NoteCode.VOID_BALLOTS:
            reasons = f"（{p['reasons']}）" if p["reasons"] else ""
            return f"废票 {p['count']} 张{reasons}，由计票人记录原因、监票人确认"
        case NoteCode.THRESHOLD:
            base_name = BASE_NAMES[str(p["base_kind"])]
            return f"以{base_name} {p['base']} 人为基数，赞成票须超过半数，即至少 {p['threshold']} 票方可当选"
        case NoteCode.REVOTE_WITHOUT_MAJORITY:
            if p.get("pre_election"):
                return (
                    "再次投票以得票多的列为正式候选人，选举办法未要求再次投票须超过半数，本轮不设当选票数线"
                )
            return "再次投票以得票多的当选，选举办法未要求再次投票须超过半数，本轮不设当选票数线"
        case NoteCode.ELECTED:
            return f"应选 {p['seats']} 人，按得票多少依次当选 {p['count']} 人"
        case NoteCode.WRITE_IN_ELECTED:
            return f"另选他人当选：{p['names']}，须在宣布后复核其被选举权（R-CAND-6）"
        case NoteCode.TIE:
            rule = "得票超过半数且得票多的当选" if p.get("majority") else "以得票多的当选"
            return f"{p['count']} 人得票相等（{p['votes']} 票），争最后 {p['seats']} 个名额，须就他们再次投票，{rule}"
        case NoteCode.SEATS_UNFILLED:
            return f"当选人数少于应选人数，尚缺 {p['seats']} 人，应就不足名额另行选举"
        case NoteCode.SEAT_REDUCTION_BELOW_MINIMUM:
            return (
                f"已当选 {p['elected']} 人，少于委员会规定的最少人数 {p['minimum']} 人，不能减少名额，"
                "须就不足名额另行选举"
            )
        case NoteCode.FURTHER_NOT_COMPETITIVE:
            return (
                f"本轮另行选举候选人 {p['candidates']} 人，不多于应选的 {p['seats']} 人，"
                "不符合差额选举的要求，应补足差额后再选（R-CAND-2）"
            )
        case NoteCode.FURTHER_POOL_EQUAL:
            return (
                f"书记、副书记可以等额选举（R-CAND-3）：另行选举的候选人按本轮得票多少排列，取 {p['candidates']} 人，"
                f"不需要差额；选举办法另有规定或上级另行推荐人选的从其规定"
            )
        case NoteCode.PRE_ELECTION_THRESHOLD:
            base_name = BASE_NAMES[str(p["base_kind"])]
            return (
                f"预选：以{base_name} {p['base']} 人为基数，赞成票须超过半数，即至少 {p['threshold']} 票，"
                f"方可列为正式候选人；超过半数的按得票多少取前 {p['seats']} 名"
            )
        case NoteCode.PRE_ELECTION_UNFILLED:
            return (
                f"得票超过半数的被提名人少于应取的正式候选人数，尚缺 {p['seats']} 名，"
                "按选举办法就不足名额再行预选"
            )
        case NoteCode.SEAT_REDUCTION_POSSIBLE:
            return (
                "如接近应选名额且委员会人数不低于规定的最少人数，经半数以上选举人同意，也可以减少名额、不再选举，"
                "须记录同意情况"
            )
        case NoteCode.FURTHER_POOL:
            return (
                f"另行选举的候选人按本轮得票多少排列，取 {p['candidates']} 人，"
                f"差额不少于 20%（{p['seats']} 个名额至少 {p['minimum']} 人）；选举办法另有规定的从其规定（R-CAND-2）"
            )
        case NoteCode.FURTHER_POOL_SHORT:
            return (
                f"本轮未当选者只有 {p['candidates']} 人，少于另行选举所需的 {p['minimum']} 名候选人，"
                "须按选举办法补充提名"
            )
        case NoteCode.PRE_ELECTION:
            return f"预选：得票多的前 {p['seats']} 名列为正式候选人，选举办法规定预选不需要超过半数"
        case NoteCode.PRE_ELECTION_ADVANCED:
            return f"应取正式候选人 {p['seats']} 名，按得票多少依次列入 {p['count']} 人"
        case NoteCode.PRE_ELECTION_TIE:
            rule = "得票超过半数且得票多的" if p.get("majority") else "以得票多的"
            return (
                f"{p['count']} 人得票相等（{p['votes']} 票），争最后 {p['seats']} 个正式候选人名额，"
                f"须就他们再次投票，{rule}列为正式候选人"
            )
        case NoteCode.PRE_ELECTION_LIST:
            return "预选结果当场宣布；正式候选人按姓氏笔画排列，由大会主席团提交代表进行正式选举；每人得票数报上级党组织"
        case NoteCode.REPORT_VOTES:
            return "由会议主持人当场宣布结果，当选人按姓氏笔画排列；每人得票数报上级党组织"
    raise AssertionError(note.code)  # pragma: no cover


def note_text(note: Note) -> str:
    """A note as one Chinese sentence, ending with its rule ID."""
    text = _note_template(note)
    if text.endswith("）") and "R-" in text.rsplit("（", 1)[-1]:
        return text.rstrip("）") + f"，{note.rule}）。"
    return f"{text}（{note.rule}）。"


_QUOTA_PROBLEMS = {
    QuotaProblem.TOTAL_ABOVE_300: "代表名额 {total} 名超过 300 名的上限（R-DEL-2）",
    QuotaProblem.TOTAL_BELOW_BASE: (
        "代表名额 {total} 名不够每个有正式党员的选举单位各分 {base} 名基本名额（共需 {needed} 名，R-DEL-3）"
    ),
    QuotaProblem.NO_UNITS: "没有选举单位",
    QuotaProblem.NO_MEMBERS: "各选举单位的正式党员人数都是 0，无法按人数比例分配（R-DEL-3）",
}


def quota_problem_text(problem: QuotaProblem, total: int, base: int, units: int) -> str:
    """``units`` counts the units that receive a base: those with full members (R-DEL-3)."""
    return _QUOTA_PROBLEMS[problem].format(total=total, base=base, needed=base * units)


NO_MEMBERS_NO_BASE = "无正式党员，不分配基本名额（R-DEL-3）"


def quota_warning_text(warning: QuotaWarning, total: int) -> str:
    match warning:
        case QuotaWarning.OUTSIDE_NORMAL_RANGE:
            return f"代表名额 {total} 名不在一般的 100 至 200 名之间，请在请示中说明理由（R-DEL-2）。"
    raise AssertionError(warning)  # pragma: no cover
