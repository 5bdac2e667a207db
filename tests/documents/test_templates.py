"""Organizations' own templates: the nearest one up the tree applies; a broken one is refused."""

from __future__ import annotations

import pytest

from tests.documents.reading import docx_text, generate
from xuanju.audit.models import AuditRecord
from xuanju.documents import actions, content
from xuanju.documents.engine import default_body, effective
from xuanju.documents.kinds import Kind
from xuanju.documents.models import DocumentTemplate
from xuanju.organizations.actions import ActionError

pytestmark = pytest.mark.django_db


def sample(world, kind: Kind) -> dict:
    return content.build(world.election, kind, None).context


def test_R_RPT_1_a_countys_wording_applies_beneath_it_until_a_nearer_one_is_set(done):
    county, village = done.tree.county, done.tree.village
    county_body = default_body(Kind.PLAN_REQUEST).replace(
        "\n# 关于召开党员大会进行换届选举的请示\n",
        "\n文号：{{ org }}〔{{ year }}〕　号\n# 关于召开党员大会进行换届选举的请示\n",
    )
    actions.save_template("county", county, Kind.PLAN_REQUEST, county_body, sample(done, Kind.PLAN_REQUEST))
    paragraphs, _ = docx_text(generate(done, Kind.PLAN_REQUEST).data)
    assert paragraphs[0].startswith("中共东村支部委员会〔") and paragraphs[0].endswith("〕　号")
    assert effective(village, Kind.PLAN_REQUEST).source == county

    own = county_body.replace("妥否，请批示。", "以上请示当否，请批示。")
    actions.save_template("village", village, Kind.PLAN_REQUEST, own, None)
    assert "以上请示当否，请批示。" in docx_text(generate(done, Kind.PLAN_REQUEST).data)[0]
    actions.reset_template("village", village, Kind.PLAN_REQUEST)
    assert effective(village, Kind.PLAN_REQUEST).source == county
    assert effective(done.tree.school, Kind.PLAN_REQUEST).source == county  # a sibling subtree too
    assert effective(done.tree.town, Kind.PLAN_REPLY).source is None  # other kinds keep the default
    actions_done = AuditRecord.objects.filter(
        action__in=["save_document_template", "reset_document_template"]
    ).values_list("action", flat=True)
    assert list(actions_done) == [
        "save_document_template",
        "save_document_template",
        "reset_document_template",
    ]


def test_a_broken_template_is_refused_in_chinese_naming_the_line_and_the_old_one_is_kept(done):
    village = done.tree.village
    good = default_body(Kind.NOTICE).replace("特此通知。", "特此通知，请按时到任。")
    actions.save_template("village", village, Kind.NOTICE, good, None)
    for broken, expected in (
        ("# 当选通知\n{% if approved %}\n已批准", "模板第2行“{% if approved %}”：标签没有结束"),
        ("# 当选通知\n{{ name|nosuch }}", "模板第2行“{{ name|nosuch }}”：不认识的过滤器"),
        ("# 当选通知\n{% include 'x.txt' %}", "文书模板不能引用其他模板"),
        ("当选通知", "文书须有标题"),
        ("# 当选通知\n| a | b |\n| c |", "生成的文书第3行：表格这一行有1栏，与第2行表头的2栏不一致"),
        ("# 当选通知\n落款：{{ nothing }}", "生成的文书第2行：落款不能为空"),
    ):
        with pytest.raises(ActionError) as refused:
            notice = next(r for r in content.available(done.election) if r.kind == Kind.NOTICE)
            actions.save_template(
                "village",
                village,
                Kind.NOTICE,
                broken,
                content.build(done.election, Kind.NOTICE, notice.item).context,
            )
        assert expected in refused.value.message
        assert "Traceback" not in refused.value.message
        assert DocumentTemplate.objects.get(organization=village, kind=Kind.NOTICE).body == good
