"""``xuanju.quota/1`` in, ``xuanju.quota-result/1`` out (see docs/formats.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xuanju.formats.errors import InputError, Located
from xuanju.formats.schemas import check, loads_json
from xuanju.formats.wording import NO_MEMBERS_NO_BASE, quota_problem_text, quota_warning_text
from xuanju.rules.quota import ElectoralUnit, UnitAllocation, allocate_quota, quota_problem, quota_warnings

QUOTA_FORMAT = "xuanju.quota/1"
QUOTA_RESULT_FORMAT = "xuanju.quota-result/1"
METHOD = "base+largest-remainder"


@dataclass(frozen=True)
class QuotaRequest:
    title: str
    total: int
    base_per_unit: int
    units: list[ElectoralUnit]


def parse_quota(text: str) -> QuotaRequest:
    data = loads_json(text)
    check(data, "quota-1")
    request = QuotaRequest(
        title=data.get("title", ""),
        total=int(data["total"]),
        base_per_unit=int(data.get("base_per_unit", 1)),
        units=[
            ElectoralUnit(
                id=u["id"],
                name=u["name"],
                full_members=int(u["full_members"]),
                organizations=int(u.get("organizations", 1)),
            )
            for u in data["units"]
        ],
    )
    problems: list[Located] = []
    seen: set[str] = set()
    for i, unit in enumerate(request.units):
        if unit.id in seen:
            problems.append(Located(f"$.units[{i}].id", f"选举单位编号 “{unit.id}” 重复"))
        seen.add(unit.id)
    problem = quota_problem(request.total, request.base_per_unit, request.units)
    if problem is not None:
        problems.append(
            Located(
                "$.total",
                quota_problem_text(
                    problem,
                    request.total,
                    request.base_per_unit,
                    sum(1 for u in request.units if u.full_members > 0),
                ),
            )
        )
    if problems:
        raise InputError(problems)
    return request


def allocate(request: QuotaRequest) -> list[UnitAllocation]:
    return allocate_quota(request.total, request.units, request.base_per_unit)


def quota_result_to_data(request: QuotaRequest, allocation: list[UnitAllocation]) -> dict[str, Any]:
    return {
        "format": QUOTA_RESULT_FORMAT,
        "method": METHOD,
        "title": request.title,
        "total": request.total,
        "base_per_unit": request.base_per_unit,
        "allocation": [
            {
                "id": a.id,
                "name": unit.name,
                "full_members": unit.full_members,
                "organizations": unit.organizations,
                "seats": a.seats,
                "quota": round(float(a.quota), 2),
                "base": a.base,
            }
            for unit, a in zip(request.units, allocation, strict=True)
        ],
        "notes": [quota_warning_text(w, request.total) for w in quota_warnings(request.total)]
        + [f"{unit.name}：{NO_MEMBERS_NO_BASE}" for unit in request.units if unit.full_members == 0],
    }
