"""xuanju.quota/1 in, xuanju.quota-result/1 out (R-DEL-2/3)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from xuanju.formats.errors import InputError
from xuanju.formats.quota import allocate, parse_quota, quota_result_to_data
from xuanju.formats.schemas import schema

EXAMPLES = Path(__file__).parents[2] / "examples"


def document(**changes):
    data = {
        "format": "xuanju.quota/1",
        "total": 150,
        "units": [
            {"id": "u1", "name": "甲", "full_members": 120},
            {"id": "u2", "name": "乙", "full_members": 80},
        ],
    }
    data.update(changes)
    return json.dumps(data, ensure_ascii=False)


def test_R_DEL_3_example_allocation_adds_up_and_matches_the_schema():
    request = parse_quota((EXAMPLES / "quota.json").read_text(encoding="utf-8"))
    result = quota_result_to_data(request, allocate(request))
    jsonschema.validate(result, schema("quota-result-1"))
    assert sum(a["seats"] for a in result["allocation"]) == 150
    assert [a["seats"] for a in result["allocation"]] == [10, 60, 45, 6, 29]
    assert result["allocation"][0]["quota"] == 9.27


def test_R_DEL_2_above_300_is_an_input_error_naming_the_rule():
    with pytest.raises(InputError) as caught:
        parse_quota(document(total=301))
    assert str(caught.value).startswith("$.total：") and "R-DEL-2" in str(caught.value)


def test_R_DEL_3_too_small_for_the_base_is_an_input_error():
    with pytest.raises(InputError) as caught:
        parse_quota(document(total=1))
    assert "R-DEL-3" in str(caught.value)


def test_R_DEL_2_outside_the_normal_range_is_noted():
    request = parse_quota(document(total=250))
    assert any("R-DEL-2" in note for note in quota_result_to_data(request, allocate(request))["notes"])


def test_duplicate_unit_ids_are_refused():
    units = [{"id": "u1", "name": "甲", "full_members": 1}, {"id": "u1", "name": "乙", "full_members": 1}]
    with pytest.raises(InputError) as caught:
        parse_quota(document(units=units))
    assert "$.units[1].id" in str(caught.value)


def test_R_DEL_3_a_unit_without_full_members_gets_no_seat_and_the_table_says_why():
    units = [
        {"id": "u1", "name": "甲", "full_members": 50},
        {"id": "u2", "name": "乙", "full_members": 50},
        {"id": "u3", "name": "丙", "full_members": 0},
    ]
    request = parse_quota(document(total=100, units=units))
    result = quota_result_to_data(request, allocate(request))
    jsonschema.validate(result, schema("quota-result-1"))
    assert [a["seats"] for a in result["allocation"]] == [50, 50, 0]
    assert [a["base"] for a in result["allocation"]] == [1, 1, 0]
    assert any(note.startswith("丙：") and "无正式党员" in note for note in result["notes"])
    from xuanju.formats.text import quota_report

    row = next(line for line in quota_report(result).splitlines() if line.startswith("丙"))
    assert "无正式党员，不分配基本名额" in row
