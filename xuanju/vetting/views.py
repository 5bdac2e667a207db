"""Pages of vetting: the upper level's conditions and the checks of every nominee, member profiles
and sanctions, the vetting (考察) of each person, the structure of the slate and of the committee,
and the slate as .xlsx.

Everything here is for the organizers of the election's organization and its upper level
(services.sees_vetting); the conditions and structure targets for the upper level alone
(services.sets_conditions); profiles and sanctions for those who manage the roster.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from xuanju.elections.models import Candidate, Election
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Member
from xuanju.organizations.scope import require, user_of
from xuanju.rules.voting import completed_years
from xuanju.vetting import actions, export, services
from xuanju.vetting.forms import ConditionsForm, ProfileForm, SanctionForm, TalkForm, TargetsForm, VettingForm
from xuanju.vetting.models import ElectionConditions, MemberProfile, Sanction, StructureTargets, VettingTalk
from xuanju.web import form_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def run_form(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], Any],
    success: str,
    redirect_to: str,
) -> HttpResponseRedirect | None:
    """xuanju.web.run_form for model forms: validate, call the action, put a refusal next to its
    field; the model form's instance is only read, the action saves."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        action(form.cleaned_data)
    except ActionError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None
    messages.success(request, success)
    return redirect(redirect_to)


def _election(pk: int) -> Election:
    return get_object_or_404(Election.objects.select_related("organization"), pk=pk)


def _context(request: HttpRequest, election: Election, **extra: Any) -> dict[str, Any]:
    user = user_of(request)
    return {
        "election": election,
        "org": election.organization,
        "sets_conditions": services.sets_conditions(user, election),
        "conditions_open": election.status in services.CONDITIONS_OPEN,
        **extra,
    }


# --- conditions (R-CAND-1, R-CAND-6) ---------------------------------------------------------


@login_required
@require_GET
def election_conditions(request: HttpRequest, pk: int) -> HttpResponse:
    """The conditions and every nominee and listed person checked against them."""
    election = _election(pk)
    require(services.sees_vetting(user_of(request), election.organization))
    stored = ElectionConditions.objects.filter(election=election).first()
    return render(
        request,
        "vetting/conditions.html",
        _context(
            request,
            election,
            stored=stored,
            conditions=services.conditions_text(election),
            rows=services.election_checks(election),
        ),
    )


@login_required
def election_conditions_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The upper level sets the conditions (R-CAND-1); the organization itself may not."""
    election = _election(pk)
    user = user_of(request)
    require(services.sets_conditions(user, election))
    stored = ElectionConditions.objects.filter(election=election).first()
    instance = stored or ElectionConditions(election=election, min_party_age=election.minimum_party_age)
    form = ConditionsForm(request.POST or None, instance=instance)
    back = reverse("election_conditions", args=[election.pk])
    done = run_form(
        request, form, lambda d: actions.set_conditions(user, election, **d), "候选人条件已保存", back
    )
    return done or form_page(
        request,
        f"设定候选人条件 · {election}",
        form,
        back,
        org=election.organization,
        intro="上级党组织提出的候选人条件，系统在推荐提名和确定预备人选时逐人核对（R-CAND-1）。"
        "报送预备人选后不能再修改。",
    )


# --- member profile and sanctions ----------------------------------------------------------


def _member(pk: int) -> Member:
    return get_object_or_404(Member.objects.select_related("organization"), pk=pk)


@login_required
def member_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """Education, occupation, front-line work, post and residence, and the sanctions on record."""
    member = _member(pk)
    user = user_of(request)
    require(services.edits_profile(user, member))
    profile = MemberProfile.objects.filter(member=member).first() or MemberProfile(member=member)
    posted = request.POST.get("form") if request.method == "POST" else None
    form = ProfileForm(request.POST if posted == "profile" else None, instance=profile, prefix="p")
    sanction_form = SanctionForm(request.POST if posted == "sanction" else None, prefix="s")
    url = reverse("member_profile", args=[member.pk])
    if posted == "profile":
        done = run_form(request, form, lambda d: actions.save_profile(user, member, **d), "已保存", url)
        if done:
            return done
    elif posted == "sanction":
        done = run_form(
            request,
            sanction_form,
            lambda d: actions.add_sanction(user, member, d["kind"], d["decided_on"], d["document"]),
            "处分已登记",
            url,
        )
        if done:
            return done
    return render(
        request,
        "vetting/member_profile.html",
        {
            "member": member,
            "org": member.organization,
            "form": form,
            "sanction_form": sanction_form,
            "sanctions": list(member.sanctions.all()),
        },
    )


@login_required
@require_POST
def sanction_delete(request: HttpRequest, pk: int) -> HttpResponse:
    sanction = get_object_or_404(Sanction.objects.select_related("member__organization"), pk=pk)
    user = user_of(request)
    require(services.edits_profile(user, sanction.member))
    actions.delete_sanction(user, sanction)
    messages.success(request, "已删除")
    return redirect("member_profile", sanction.member_id)


# --- vetting (考察) ----------------------------------------------------------------------------


@login_required
@require_GET
def election_vetting(request: HttpRequest, pk: int) -> HttpResponse:
    """Every person listed in the election with the state of their vetting."""
    election = _election(pk)
    require(services.sees_vetting(user_of(request), election.organization))
    rows = [
        {
            "candidate": c,
            "record": services.record_of(c),
            "summary": services.vetting_summary(services.record_of(c)),
        }
        for c in services.vetting_candidates(election)
    ]
    return render(request, "vetting/election_vetting.html", _context(request, election, rows=rows))


def _candidate(pk: int) -> Candidate:
    return get_object_or_404(
        Candidate.objects.select_related("contest__election__organization", "member__organization"), pk=pk
    )


@login_required
def candidate_vetting(request: HttpRequest, pk: int) -> HttpResponse:
    """The vetting record of one person: the four checks, the democratic assessment, the talks."""
    candidate = _candidate(pk)
    election = candidate.contest.election
    user = user_of(request)
    require(services.sees_vetting(user, election.organization))
    record = services.record_of(candidate)
    editable = election.status in services.VETTING_OPEN and candidate.stage != Candidate.Stage.DROPPED
    posted = request.POST.get("form") if request.method == "POST" else None
    form = VettingForm(request.POST if posted == "record" else None, instance=record, prefix="v")
    talk_form = TalkForm(request.POST if posted == "talk" else None, prefix="t")
    url = reverse("candidate_vetting", args=[candidate.pk])
    if posted == "record":
        done = run_form(
            request, form, lambda d: actions.save_vetting(user, candidate, **d), "考察情况已保存", url
        )
        if done:
            return done
    elif posted == "talk":
        done = run_form(
            request,
            talk_form,
            lambda d: actions.add_talk(user, candidate, d["talked_on"], d["with_whom"], d["summary"]),
            "谈话记录已登记",
            f"{url}#talks",
        )
        if done:
            return done
    return render(
        request,
        "vetting/candidate_vetting.html",
        _context(
            request,
            election,
            candidate=candidate,
            record=record,
            form=form,
            talk_form=talk_form,
            editable=editable,
            checks=[
                {
                    "label": label,
                    "findings": getattr(record, f"{key}_findings", ""),
                    "verdict": getattr(record, f"get_{key}_verdict_display")() if record else "",
                    "concern": getattr(record, f"{key}_verdict", "") == "concern",
                }
                for key, label in services.CHECKS
            ],
            assessment=services.assessment_rows(record) if record else [],
            incompetent_concern=bool(record and services.incompetent_concern(record)),
            talks=list(record.talks.all()) if record else [],
            check=services.check_member(candidate.member, election),
        ),
    )


@login_required
@require_POST
def vetting_talk_delete(request: HttpRequest, pk: int) -> HttpResponse:
    talk = get_object_or_404(
        VettingTalk.objects.select_related("record__candidate__contest__election__organization"), pk=pk
    )
    candidate = talk.record.candidate
    user = user_of(request)
    require(services.sees_vetting(user, candidate.contest.election.organization))
    try:
        actions.delete_talk(user, talk)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已删除")
    return redirect(reverse("candidate_vetting", args=[candidate.pk]) + "#talks")


# --- structure (R-CAND-1: 结构合理) -------------------------------------------------------------


@login_required
def election_structure_targets(request: HttpRequest, pk: int) -> HttpResponse:
    """The upper level sets the structure targets of the new committee."""
    election = _election(pk)
    user = user_of(request)
    require(services.sets_conditions(user, election))
    instance = StructureTargets.objects.filter(election=election).first() or StructureTargets(
        election=election
    )
    form = TargetsForm(request.POST or None, instance=instance)
    back = reverse("election_structure", args=[election.pk])
    done = run_form(
        request, form, lambda d: actions.set_structure_targets(user, election, **d), "结构要求已保存", back
    )
    return done or form_page(
        request,
        f"设定班子结构要求 · {election}",
        form,
        back,
        org=election.organization,
        intro="上级党组织对下届委员会结构的要求；留空的不作要求。系统据此提示预备人选能否达到要求（R-CAND-1）。",
    )


def _structure_page(
    request: HttpRequest, election: Election, team: services.TeamStructure, slate: bool
) -> HttpResponse:
    returning = services.outgoing_members(election) if slate or team.source != "现任委员会" else None
    people = [
        {
            "member": m,
            "profile": services.profile_of(m),
            "age": completed_years(m.birth_date, team.on),
            "returning": returning is not None and m.pk in returning,
        }
        for m in team.people
    ]
    return render(
        request,
        "vetting/structure.html",
        _context(
            request,
            election,
            team=team,
            slate=slate,
            people=people,
            charts=services.structure_charts(team),
            age_bands=list(zip(services.AGE_BAND_NAMES, team.structure.age_bands, strict=True)),
        ),
    )


@login_required
@require_GET
def election_structure(request: HttpRequest, pk: int) -> HttpResponse:
    """The structure of the slate, with the targets it cannot reach whatever the outcome."""
    election = _election(pk)
    require(services.sees_vetting(user_of(request), election.organization))
    return _structure_page(request, election, services.slate_structure(election), slate=True)


@login_required
@require_GET
def election_committee_structure(request: HttpRequest, pk: int) -> HttpResponse:
    """The structure of the elected committee (or of the committee in office) against the targets."""
    election = _election(pk)
    require(services.sees_vetting(user_of(request), election.organization))
    return _structure_page(request, election, services.committee_structure(election), slate=False)


@login_required
@require_GET
def election_slate_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The slate with profiles, vetting and checks, and its structure, as .xlsx."""
    election = _election(pk)
    require(services.sees_vetting(user_of(request), election.organization))
    response = FileResponse(
        io.BytesIO(export.slate_workbook(election)),
        as_attachment=True,
        filename=export.slate_filename(election),
        content_type=XLSX,
    )
    response["Cache-Control"] = "no-store"
    return response
