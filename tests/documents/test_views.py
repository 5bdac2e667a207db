"""The documents pages: who may list and download what, and editing a template in the browser."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from tests import factories as f
from xuanju.documents import content
from xuanju.documents.kinds import Kind
from xuanju.documents.models import DocumentTemplate

pytestmark = pytest.mark.django_db


def url(world, kind: Kind, fmt: str = "pdf") -> str:
    ref = next(r for r in content.available(world.election) if r.kind == kind)
    if ref.item is None:
        return reverse("election_document", args=[world.election.pk, kind.value, fmt])
    return reverse("election_document_item", args=[world.election.pk, kind.value, ref.item, fmt])


def test_R_RPT_2_organizers_and_the_upper_level_download_members_only_what_was_announced(done):
    secretary = f.client_for(done.accounts["secretary"])
    town = f.client_for(done.accounts["town"])
    member = f.client_for(done.accounts["member"])
    response = secretary.get(url(done, Kind.CANDIDATES_REQUEST, "docx"))
    assert response.status_code == 200
    name = "中共东村支部委员会委员会委员候选人预备人选的请示.docx"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"candidates-request.docx\"; filename*=UTF-8''{quote(name)}"
    )
    assert town.get(url(done, Kind.CANDIDATES_REQUEST)).status_code == 200
    for kind in (Kind.CANDIDATES_REQUEST, Kind.PLAN_REQUEST, Kind.ROLL, Kind.MINUTES, Kind.NOTICE):
        assert member.get(url(done, kind)).status_code == 403, kind
    assert member.get(url(done, Kind.PROCEDURE)).status_code == 200
    listing = member.get(reverse("election_documents", args=[done.election.pk])).content.decode()
    assert "选举办法" in listing and "预备人选的请示" not in listing and "考察" not in listing
    full = secretary.get(reverse("election_documents", args=[done.election.pk])).content.decode()
    assert "候选人预备人选的请示" in full and "会议记录" in full


def test_an_outsider_sees_nothing(done):
    outsider = f.client_for(done.accounts["outsider"])
    village = done.tree.village
    pages = [
        reverse("election_documents", args=[done.election.pk]),
        url(done, Kind.PROCEDURE),
        url(done, Kind.RESULTS_REPORT, "docx"),
        url(done, Kind.ROUND_RESULT, "docx"),  # one per round: the item route
        reverse("document_templates", args=[village.pk]),
        reverse("document_template_edit", args=[village.pk, Kind.NOTICE.value]),
    ]
    for page in pages:
        assert outsider.get(page).status_code == 403, page
    assert outsider.post(pages[-1], {"action": "save", "body": "# x"}).status_code == 403
    assert not DocumentTemplate.objects.exists()


def test_unknown_kinds_formats_and_missing_records_are_not_found(done):
    secretary = f.client_for(done.accounts["secretary"])
    pk = done.election.pk
    assert secretary.get(reverse("election_document", args=[pk, "nosuch", "pdf"])).status_code == 404
    assert secretary.get(reverse("election_document", args=[pk, "plan-request", "odt"])).status_code == 404
    assert (
        secretary.get(reverse("election_document_item", args=[pk, "minutes", 99999, "pdf"])).status_code
        == 404
    )


def test_editing_a_template_previews_refuses_a_broken_one_and_resets(done):
    village = done.tree.village
    secretary = f.client_for(done.accounts["secretary"])
    member = f.client_for(done.accounts["member"])
    page = reverse("document_template_edit", args=[village.pk, Kind.NOTICE.value])
    assert member.get(page).status_code == 403
    shown = secretary.get(page).content.decode()
    assert "特此通知。" in shown and "默认模板" in shown
    body = "# 当选通知\n主送：{{ name }}同志\n我村特此通知。\n落款：{{ org }}\n日期：{{ date }}\n"
    preview = secretary.post(page, {"action": "preview", "body": body}).content.decode()
    assert "我村特此通知。" in preview and "王芳同志：" in preview
    refused = secretary.post(page, {"action": "save", "body": "# 当选通知\n{% if x %}"})
    assert refused.status_code == 200 and "模板第2行" in refused.content.decode()
    assert not DocumentTemplate.objects.exists()
    assert secretary.post(page, {"action": "save", "body": body}).status_code == 302
    assert DocumentTemplate.objects.get(organization=village).body == body
    listing = secretary.get(reverse("document_templates", args=[village.pk])).content.decode()
    assert "本组织的模板" in listing
    assert secretary.post(page, {"action": "reset"}).status_code == 302
    assert not DocumentTemplate.objects.exists()


def test_the_election_page_links_to_its_documents(done):
    member = f.client_for(done.accounts["member"])
    shown = member.get(reverse("election_detail", args=[done.election.pk])).content.decode()
    assert reverse("election_documents", args=[done.election.pk]) in shown
