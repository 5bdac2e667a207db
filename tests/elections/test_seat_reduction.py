"""R-CNT-5: reducing the seats instead of a further election — "半数以上选举人同意" read as the
procedure adopts it (half included by default, more than half as the parameter), or at a delegates'
congress the presidium's decision; shown on the pages, in the procedure and in the minutes."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.counts import SINGLE_ENTRY, close_counted
from tests.documents.reading import docx_text
from tests.elections.congress_stub import congress  # noqa: F401  (fixture)
from tests.elections.test_congress_meeting import at_congress, town, vote  # noqa: F401  (fixture)
from tests.elections.test_flow import branch, contest, prepare, run_meeting  # noqa: F401  (fixture)
from xuanju.documents.files import document_file
from xuanju.documents.kinds import Kind
from xuanju.elections import actions
from xuanju.elections.models import ElectionStatus, Meeting, Post
from xuanju.organizations.actions import ActionError

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def short_of_two(branch, reading: str | None = None):  # noqa: F811
    """5 seats, 20 present; three elected in the first round, nobody in the further election."""
    election, people = prepare(branch)
    meeting = run_meeting(election, people, Meeting.Kind.MEMBERS, people)
    if reading:
        actions.set_reduction_reading("village", meeting, reading)
    actions.appoint("village", meeting, people[10], "scrutineer")
    actions.appoint("village", meeting, people[11], "counter")
    committee = contest(election, Post.COMMITTEE_MEMBER)
    first = actions.open_round("village", committee, meeting, issued=20, counting_method=SINGLE_ENTRY)
    key = {c.member.name: c.key for c in first.candidates.all()}
    actions.record_ballot("counter", first, [key[n] for n in ("王芳", "李强", "张伟")], [], [], count=15)
    actions.record_ballot("counter", first, [key["刘洋"]], [], [], count=5)
    close_counted(first, returned=20)
    further = actions.open_round("village", committee, meeting, issued=20, counting_method=SINGLE_ENTRY)
    actions.record_ballot("counter", further, [], [], [], count=20)
    close_counted(further, returned=20)
    meeting.refresh_from_db()
    return election, people, meeting, committee, further


def text_of(election, kind: Kind, item: int) -> str:
    paragraphs, tables = docx_text(document_file(election, kind, item, "docx").data)
    return "".join(paragraphs) + "".join(c for t in tables for row in t for c in row)


def test_R_CNT_5_half_of_the_voters_consenting_is_enough_by_default(branch):  # noqa: F811
    election, _, meeting, committee, _ = short_of_two(branch)
    assert meeting.reduction_reading == "at_least_half"
    with pytest.raises(ActionError, match=r"半数以上（含半数）.*至少须10人"):
        actions.reduce_seats("village", committee, meeting, consenting=9)
    with pytest.raises(ActionError, match="只有党员代表大会"):
        actions.reduce_seats("village", committee, meeting, consenting=None, by_presidium=True)
    with pytest.raises(ActionError, match="0 至实到会人数 20"):
        actions.reduce_seats("village", committee, meeting, consenting=21)
    actions.reduce_seats("village", committee, meeting, consenting=10)  # exactly half of 20
    committee.refresh_from_db()
    assert committee.seats_reduced == 2 and not committee.reduced_by_presidium
    assert (
        committee.reduction_consent
        == "到会20人，10人同意减少2个名额（选举办法规定须经半数以上（含半数）选举人同意）"
    )
    election.refresh_from_db()
    assert election.status == ElectionStatus.PLENARY


def test_R_CNT_5_a_procedure_may_adopt_the_stricter_more_than_half(branch):  # noqa: F811
    election, _, meeting, committee, _ = short_of_two(branch, reading="more_than_half")
    with pytest.raises(ActionError, match=r"过半数.*至少须11人"):
        actions.reduce_seats("village", committee, meeting, consenting=10)
    with pytest.raises(ActionError, match="已经开始投票"):  # part of the procedure: fixed once voting began
        actions.set_reduction_reading("village", meeting, "at_least_half")
    actions.reduce_seats("village", committee, meeting, consenting=11)
    committee.refresh_from_db()
    assert "11人同意" in committee.reduction_consent and "过半数" in committee.reduction_consent
    # the procedure and the minutes say which reading was adopted and what was consented
    assert "经过半数选举人同意，也可以减少名额" in text_of(election, Kind.PROCEDURE, meeting.pk)
    minutes = text_of(election, Kind.MINUTES, meeting.pk)
    assert "经过半数选举人同意" in minutes and "主席团" not in minutes
    assert "委员减少名额2名：到会20人，11人同意减少2个名额（选举办法规定须经过半数选举人同意）" in minutes


def test_R_CNT_5_the_default_reading_is_printed_in_the_procedure_and_minutes(branch):  # noqa: F811
    election, _, meeting, committee, _ = short_of_two(branch)
    actions.reduce_seats("village", committee, meeting, consenting=10)
    assert "经半数以上（含半数）选举人同意，也可以减少名额" in text_of(election, Kind.PROCEDURE, meeting.pk)
    assert "10人同意减少2个名额" in text_of(election, Kind.MINUTES, meeting.pk)


def test_R_CNT_5_an_unknown_reading_is_refused(branch):  # noqa: F811
    election, people = prepare(branch)
    meeting = run_meeting(election, people, Meeting.Kind.MEMBERS, people)
    with pytest.raises(ActionError, match="过半数"):
        actions.set_reduction_reading("village", meeting, "two_thirds")


def test_R_CNT_5_the_procedure_page_sets_the_reading_before_voting(branch):  # noqa: F811
    tree, people = branch
    election, _ = prepare(branch)
    meeting = run_meeting(election, people, Meeting.Kind.MEMBERS, people)
    chair = f.client_for(f.account("village", tree.village, "secretary"))
    url = reverse("meeting_procedure", args=[meeting.pk])
    shown = chair.get(url).content.decode()
    assert "半数以上（含半数）选举人同意" in shown and "过半数选举人同意（更严格）" in shown
    bad = chair.post(url, {"reduction_reading": "two_thirds"})
    assert (
        bad.status_code == 200
        and meeting.__class__.objects.get(pk=meeting.pk).reduction_reading == "at_least_half"
    )
    chair.post(url, {"reduction_reading": "more_than_half"})
    meeting.refresh_from_db()
    assert meeting.reduction_reading == "more_than_half"
    assert "减少名额须经过半数选举人同意" in chair.get(url).content.decode()


def test_R_CNT_5_at_a_congress_the_presidium_may_decide(town):  # noqa: F811
    tree, people = town
    election = at_congress(tree, people)
    meeting = actions.open_meeting("town", election, Meeting.Kind.CONGRESS, TODAY)
    actions.mark_present("town", meeting, [p.pk for p in people[:34]])
    actions.close_roll("town", meeting)
    actions.adopt_procedure("town", meeting, "present", False, 34, counting_method=SINGLE_ENTRY)
    actions.appoint("town", meeting, people[30], "chief_scrutineer")
    actions.appoint("town", meeting, people[31], "counter")
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    round_ = actions.open_round("town", committee, meeting, issued=34, counting_method=SINGLE_ENTRY)
    vote(round_, people[:8], 34)  # 8 of 9 seats filled; the township minimum is 7 (R-ORG-3)
    close_counted(round_, returned=34)
    chair = f.client_for(f.account("town", tree.town, "secretary"))
    result = chair.get(reverse("round_result", args=[round_.pk])).content.decode()
    assert "由大会主席团决定减少名额" in result and "或者由大会主席团决定" in result
    response = chair.post(reverse("round_reduce_seats", args=[round_.pk]), {"by_presidium": "on"})
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.reduced_by_presidium and committee.seats_reduced == 1
    assert committee.reduction_consent == "经大会主席团决定减少1个名额"
    minutes = text_of(election, Kind.MINUTES, meeting.pk)
    assert "委员减少名额1名，由大会主席团决定：经大会主席团决定减少1个名额" in minutes
    assert "或者大会主席团决定" in text_of(election, Kind.PROCEDURE, meeting.pk)
