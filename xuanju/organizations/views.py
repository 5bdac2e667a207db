"""Views: parse, authorize, call one action, render. Rules are never computed here."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xuanju.display import cn_date
from xuanju.organizations import actions
from xuanju.organizations.actions import ActionError, SeatInput
from xuanju.organizations.forms import (
    AdjustmentForm,
    CommitteeForm,
    DissolveForm,
    MemberForm,
    MergeForm,
    MoveForm,
    OrganizationForm,
    ReminderForm,
    RemoveMemberForm,
    RestrictionForm,
    SeatForm,
    TransferForm,
    member_choices,
)
from xuanju.organizations.models import (
    POST_CHOICES,
    Committee,
    Member,
    Organization,
    Reminder,
    Restriction,
    TermAdjustment,
)
from xuanju.organizations.personal_data import mask
from xuanju.organizations.scope import (
    can_create_beneath,
    can_manage,
    can_oversee,
    can_read,
    require,
    sees_personal_data,
    user_of,
    visible_organizations,
)
from xuanju.organizations.services import (
    STATE_TEXT,
    MonitorFilters,
    branches_out_of_line,
    findings_for,
    members_whose_name_contains,
    rights_of,
    seats_in_order,
    status_of,
)
from xuanju.rules.terms import TermState
from xuanju.rules.voting import party_age
from xuanju.web import PAGE_SIZE, add_action_error, form_page, paginate, query_without_page, run_form


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        # An empty installation started without the demo: set it up first (xuanju.account_admin.setup).
        if not Organization.objects.exists():
            return redirect("first_run")
        return redirect_to_login(request.get_full_path())
    org = user_of(request).organization
    if org is None:
        return redirect("organization_list")
    return redirect("organization_detail", org.pk)


# --- organizations ------------------------------------------------------------------------


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    orgs = visible_organizations(user_of(request)).order_by("path")
    q = request.GET.get("q", "").strip()
    if q:
        orgs = orgs.filter(name__icontains=q)
    kind = request.GET.get("kind", "")
    if kind:
        orgs = orgs.filter(kind=kind)
    if request.GET.get("dissolved") != "1":
        orgs = orgs.filter(dissolved_on__isnull=True)
    if request.GET.get("attention") == "1":
        orgs = branches_out_of_line(orgs)
    page = paginate(request, orgs)
    rows = []
    committees = {
        c.organization_id: c
        for c in Committee.objects.filter(
            is_current=True, organization__in=list(page.object_list)
        ).prefetch_related("seats")
    }
    today = timezone.localdate()
    for org in page.object_list:
        committee = committees.get(org.pk)
        status = status_of(committee, today) if committee else None
        rows.append(
            {"org": org, "committee": committee, "status": status, "findings": findings_for(org, committee)}
        )
    return render(
        request,
        "organizations/organization_list.html",
        {
            "rows": rows,
            "page_obj": page,
            "query": query_without_page(request),
            "q": q,
            "kind": kind,
            "state_text": STATE_TEXT,
        },
    )


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk)
    require(can_read(user_of(request), org))
    committee = (
        Committee.objects.filter(organization=org, is_current=True)
        .prefetch_related("seats__member", "adjustments__approved_by")
        .first()
    )
    today = timezone.localdate()
    children = Organization.objects.get_children(org).filter(dissolved_on__isnull=True)
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "org": org,
            "ancestors": Organization.objects.get_ancestors(org),
            "children": children[:200],
            "child_count": children.count(),
            "committee": committee,
            "seats": seats_in_order(committee) if committee else [],
            "status": status_of(committee, today) if committee else None,
            "state_text": STATE_TEXT,
            "findings": findings_for(org, committee),
            "reminders": org.reminders.all()[:10],
            "can_manage": can_manage(user_of(request), org),
            "can_oversee": can_oversee(user_of(request), org),
            "can_create_beneath": can_create_beneath(user_of(request), org),
        },
    )


@login_required
def organization_create(request: HttpRequest, parent_pk: int) -> HttpResponse:
    parent = get_object_or_404(Organization, pk=parent_pk)
    require(
        (can_manage(user_of(request), parent) and user_of(request).role in ("org_department",))
        or user_of(request).is_superuser
    )
    form = OrganizationForm(request.POST or None, initial={"sector": parent.sector})
    created: dict[str, Organization] = {}

    def act(data: dict[str, Any]) -> None:
        created["org"] = actions.create_organization(
            user_of(request), parent, data["name"], data["kind"], data["sector"]
        )
        extra = {
            field: data[field]
            for field in ("approved_committee_size", "has_standing_committee", "kind_approval")
            if data.get(field)
        }
        if extra:
            actions.update_organization(user_of(request), created["org"], **extra)

    done = run_form(request, form, act, "党组织已建立", reverse("organization_detail", args=[parent.pk]))
    if done:
        return redirect("organization_detail", created["org"].pk)
    return form_page(
        request,
        f"在“{parent.name}”下新建党组织",
        form,
        reverse("organization_detail", args=[parent.pk]),
        org=parent,
    )


@login_required
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk)
    require(can_oversee(user_of(request), org) or can_manage(user_of(request), org))
    initial = {
        "name": org.name,
        "kind": org.kind,
        "sector": org.sector,
        "approved_committee_size": org.approved_committee_size,
        "has_standing_committee": org.has_standing_committee,
        "kind_approval": org.kind_approval,
    }
    form = OrganizationForm(request.POST or None, initial=initial)
    url = reverse("organization_detail", args=[org.pk])
    done = run_form(
        request, form, lambda d: actions.update_organization(user_of(request), org, **d), "已保存", url
    )
    return done or form_page(request, f"修改“{org.name}”", form, url, org=org)


@login_required
def organization_move(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk)
    require(can_oversee(user_of(request), org))
    form = MoveForm(request.POST or None, parents=visible_organizations(user_of(request)))
    url = reverse("organization_detail", args=[org.pk])
    done = run_form(
        request,
        form,
        lambda d: actions.move_organization(user_of(request), org, d["parent"]),
        "隶属关系已调整",
        url,
    )
    return done or form_page(request, f"调整“{org.name}”的隶属关系", form, url, org=org)


@login_required
def organization_merge(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk)
    require(can_oversee(user_of(request), org))
    form = MergeForm(request.POST or None, targets=visible_organizations(user_of(request)).exclude(pk=org.pk))
    target_holder: dict[str, Organization] = {}

    def act(data: dict[str, Any]) -> None:
        target_holder["target"] = actions.merge_organizations(
            user_of(request), org, data["target"], data["on"]
        )

    done = run_form(request, form, act, "已合并", reverse("organization_list"))
    if done:
        return redirect("organization_detail", target_holder["target"].pk)
    intro = "合并后，本组织的党员转入目标组织，下级组织改隶目标组织，本组织撤销。"
    return form_page(
        request,
        f"合并“{org.name}”",
        form,
        reverse("organization_detail", args=[org.pk]),
        org=org,
        intro=intro,
    )


@login_required
def organization_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk)
    require(can_oversee(user_of(request), org))
    form = DissolveForm(request.POST or None)
    url = reverse("organization_detail", args=[org.pk])
    done = run_form(
        request,
        form,
        lambda d: actions.dissolve_organization(user_of(request), org, d["on"]),
        "党组织已撤销",
        url,
    )
    return done or form_page(request, f"撤销“{org.name}”", form, url, org=org, submit="撤销")


# --- members ------------------------------------------------------------------------------


@login_required
def member_list(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk)
    require(can_read(user_of(request), org))
    members = Member.objects.filter(organization=org)
    if request.GET.get("left") != "1":
        members = members.filter(left_on__isnull=True)
    q = request.GET.get("q", "").strip()
    if q:
        named = members_whose_name_contains(members, q)  # R-NAME-5
        members = members.filter(Q(pk__in=named) | Q(id_number=q.upper()) | Q(phone=q))
    status = request.GET.get("status", "")
    if status:
        members = members.filter(status=status)
    page = paginate(request, members.order_by("name", "pk").prefetch_related("restrictions"))
    full = sees_personal_data(user_of(request), org)
    today = timezone.localdate()
    rows = []
    for member in page.object_list:
        rows.append(
            {
                "member": member,
                "rights": rights_of(member, today),
                "id_number": member.id_number if full else mask(member.id_number),
                "phone": member.phone if full else mask(member.phone),
                "party_age": party_age(member.full_member_on, today),
            }
        )
    return render(
        request,
        "organizations/member_list.html",
        {
            "org": org,
            "rows": rows,
            "page_obj": page,
            "query": query_without_page(request),
            "q": q,
            "status": status,
            "can_manage": can_manage(user_of(request), org),
        },
    )


@login_required
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk)
    require(can_manage(user_of(request), org))
    form = MemberForm(request.POST or None)
    url = reverse("member_list", args=[org.pk])
    done = run_form(
        request, form, lambda d: actions.add_member(user_of(request), org, **d), "党员已添加", url
    )
    return done or form_page(request, f"在“{org.name}”添加党员", form, url, org=org)


def _managed_member(request: HttpRequest, pk: int) -> Member:
    member = get_object_or_404(Member.objects.select_related("organization"), pk=pk)
    require(can_manage(user_of(request), member.organization))
    return member


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _managed_member(request, pk)
    initial = {f: getattr(member, f) for f in actions.MEMBER_FIELDS}
    form = MemberForm(request.POST or None, initial=initial)
    url = reverse("member_list", args=[member.organization_id])
    done = run_form(
        request, form, lambda d: actions.update_member(user_of(request), member, **d), "已保存", url
    )
    return done or form_page(request, f"修改党员 {member.name}", form, url, org=member.organization)


@login_required
def member_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    member = _managed_member(request, pk)
    targets = visible_organizations(user_of(request)).exclude(pk=member.organization_id)
    # A secretary may send a member anywhere in the system: the receiving side need not be theirs.
    if not user_of(request).is_superuser and user_of(request).role == "secretary":
        targets = Organization.objects.exclude(pk=member.organization_id)
    form = TransferForm(request.POST or None, targets=targets)
    url = reverse("member_list", args=[member.organization_id])
    done = run_form(
        request,
        form,
        lambda d: actions.transfer_member(user_of(request), member, d["to"], d["on"]),
        "组织关系已转接",
        url,
    )
    return done or form_page(request, f"转接 {member.name} 的组织关系", form, url, org=member.organization)


@login_required
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = _managed_member(request, pk)
    form = RemoveMemberForm(request.POST or None)
    url = reverse("member_list", args=[member.organization_id])
    done = run_form(
        request,
        form,
        lambda d: actions.remove_member(user_of(request), member, d["on"], d["reason"], d["kind"]),
        "已办理",
        url,
    )
    return done or form_page(request, f"{member.name} 不再在册", form, url, org=member.organization)


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.select_related("organization"), pk=pk)
    require(can_read(user_of(request), member.organization))
    full = sees_personal_data(user_of(request), member.organization)
    form = RestrictionForm(request.POST or None)
    if request.method == "POST":
        require(can_manage(user_of(request), member.organization))
        done = run_form(
            request,
            form,
            lambda d: actions.add_restriction(
                user_of(request), member, d["kind"], d["start"], d["end"], d["document"]
            ),
            "已登记",
            reverse("member_detail", args=[member.pk]),
        )
        if done:
            return done
    restrictions = list(member.restrictions.all())
    return render(
        request,
        "organizations/member_detail.html",
        {
            "org": member.organization,
            "member": member,
            "form": form,
            "restrictions": restrictions,
            "transfers": member.transfers.select_related("from_organization", "to_organization"),
            "rights": rights_of(member, timezone.localdate()),
            "id_number": member.id_number if full else mask(member.id_number),
            "phone": member.phone if full else mask(member.phone),
            "can_manage": can_manage(user_of(request), member.organization),
        },
    )


@login_required
@require_POST
def restriction_end(request: HttpRequest, pk: int) -> HttpResponse:
    restriction = get_object_or_404(Restriction.objects.select_related("member__organization"), pk=pk)
    require(can_manage(user_of(request), restriction.member.organization))
    try:
        actions.end_restriction(user_of(request), restriction, timezone.localdate())
        messages.success(request, "已解除")
    except ActionError as error:
        messages.error(request, error.message)
    return redirect("member_detail", restriction.member_id)


# --- committees and terms -----------------------------------------------------------------

SeatFormSet = django_forms.formset_factory(SeatForm, extra=9, max_num=15)


@login_required
def committee_record(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk)
    require(can_manage(user_of(request), org))
    form = CommitteeForm(request.POST or None)
    formset = SeatFormSet(request.POST or None, form_kwargs={"members": member_choices(org)})
    url = reverse("organization_detail", args=[org.pk])
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        seats = [
            SeatInput(member=f.cleaned_data["member"], post=f.cleaned_data["post"])
            for f in formset
            if f.cleaned_data.get("member")
        ]
        try:
            actions.record_committee(
                user_of(request),
                org,
                form.cleaned_data["elected_on"],
                seats,
                form.cleaned_data["has_committee"],
            )
        except ActionError as error:
            add_action_error(form, error)
        else:
            messages.success(request, "本届委员会已登记")
            return redirect(url)
    return form_page(
        request,
        f"登记“{org.name}”本届委员会",
        form,
        url,
        org=org,
        formset=formset,
        intro="登记选举产生的委员会（或只设书记的支部的书记、副书记）。任期按规定自动计算（R-TERM-1）。",
    )


@login_required
def adjustment_create(request: HttpRequest, pk: int) -> HttpResponse:
    committee = get_object_or_404(Committee.objects.select_related("organization"), pk=pk)
    org = committee.organization
    require(can_oversee(user_of(request), org))
    form = AdjustmentForm(request.POST or None, request.FILES or None)
    url = reverse("organization_detail", args=[org.pk])
    approver = user_of(request).organization or Organization.objects.get_parent(org)
    done = run_form(
        request,
        form,
        lambda d: actions.record_term_adjustment(user_of(request), committee, approved_by=approver, **d),
        "批复已登记",
        url,
    )
    intro = f"本届任期 {cn_date(committee.elected_on)} 至 {cn_date(committee.term_end)}。延期或提前换届一般不超过 1 年（R-TERM-2）。"
    return done or form_page(request, f"登记“{org.name}”延期或提前换届批复", form, url, org=org, intro=intro)


# --- re-election monitor and reminders ----------------------------------------------------

MONITOR_BUCKETS = [
    TermState.OVERDUE,
    TermState.DUE_SOON,
    TermState.DELAY_LIMIT_NEAR,
    TermState.DELAYED,
    TermState.ADVANCED,
]


@login_required
def monitor(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The re-election monitor (R-TERM-2/3) for an organization and everything under it."""
    user = user_of(request)
    if pk is None:
        root = user.organization or Organization.objects.filter(depth=1).order_by("path").first()
        if root is None:
            return render(request, "organizations/monitor.html", {"root": None})
    else:
        root = get_object_or_404(Organization, pk=pk)
    require(can_read(user, root))
    filters = MonitorFilters(timezone.localdate())
    base = filters.base(root)
    counts = filters.counts(base)
    try:
        bucket = TermState(request.GET.get("bucket", TermState.OVERDUE.value))
    except ValueError:
        bucket = TermState.OVERDUE
    if bucket not in MONITOR_BUCKETS:
        bucket = TermState.OVERDUE
    listed = (
        filters.bucket(base, bucket)
        .select_related("organization")
        .order_by("reelection_due", "organization__path")
    )
    paginator = Paginator(listed, PAGE_SIZE)
    paginator.count = counts[bucket]  # already counted with the others; spares a second count
    page = paginator.get_page(request.GET.get("page"))
    rows = [(c, can_oversee(user, c.organization)) for c in page.object_list]
    return render(
        request,
        "organizations/monitor.html",
        {
            "root": root,
            "buckets": [(state.value, STATE_TEXT[state], counts[state]) for state in MONITOR_BUCKETS],
            "bucket": bucket.value,
            "page_obj": page,
            "rows": rows,
            "query": query_without_page(request),
            "today": filters.today,
        },
    )


@login_required
def adjustment_document(request: HttpRequest, pk: int) -> FileResponse:
    """The approving document of a delay or advance, for those who may read the organization."""
    adjustment = get_object_or_404(TermAdjustment.objects.select_related("committee__organization"), pk=pk)
    require(can_read(user_of(request), adjustment.committee.organization))
    if not adjustment.document_file:
        raise Http404("没有上传批复文件")
    return FileResponse(adjustment.document_file.open("rb"), as_attachment=False)


@login_required
def reminder_send(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk)
    require(can_oversee(user_of(request), org))
    sender = user_of(request).organization or Organization.objects.get_parent(org)
    form = ReminderForm(request.POST or None)
    back = request.GET.get("next") or reverse("organization_detail", args=[org.pk])
    if not back.startswith("/"):
        back = reverse("organization_detail", args=[org.pk])
    done = run_form(
        request,
        form,
        lambda d: actions.send_reminder(user_of(request), sender, org, d["message"]),
        "提醒已发出",
        back,
    )
    return done or form_page(request, f"提醒“{org.name}”按期换届", form, back, org=org, submit="发出提醒")


@login_required
def reminder_list(request: HttpRequest) -> HttpResponse:
    """Reminders received by the user's organization (R-TERM-3), and those it sent."""
    own = user_of(request).organization
    received = (
        Reminder.objects.filter(organization=own).select_related("sent_by")
        if own
        else Reminder.objects.none()
    )
    sent = Reminder.objects.filter(sent_by=own).select_related("organization")[:50] if own else []
    return render(
        request,
        "organizations/reminder_list.html",
        {"page_obj": paginate(request, received), "sent": sent, "query": query_without_page(request)},
    )


@login_required
@require_POST
def reminder_read(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = get_object_or_404(Reminder, pk=pk)
    require(user_of(request).organization_id == reminder.organization_id)
    actions.mark_reminder_read(user_of(request), reminder)
    return redirect("reminder_list")


DIVISION_CHOICES = [(value, label) for value, label in POST_CHOICES if value not in actions.ELECTED_POSTS]


@login_required
def committee_divisions(request: HttpRequest, pk: int) -> HttpResponse:
    """委员分工: which member of the current committee does organization, propaganda, discipline work."""
    committee = get_object_or_404(Committee.objects.select_related("organization"), pk=pk)
    org = committee.organization
    user = user_of(request)
    require(can_manage(user, org))
    seats = list(committee.seats.select_related("member").order_by("id"))
    if request.method == "POST":
        divisions = {
            seat.member_id: request.POST.get(f"post-{seat.member_id}", seat.post)
            for seat in seats
            if seat.post not in actions.ELECTED_POSTS
        }
        valid = {value for value, _ in DIVISION_CHOICES}
        if not set(divisions.values()) <= valid:
            messages.error(request, "请从列表中选择分工")
        else:
            try:
                actions.assign_divisions(user, committee, divisions)
                messages.success(request, "委员分工已保存")
                return redirect("organization_detail", org.pk)
            except ActionError as error:
                messages.error(request, error.message)
    return render(
        request,
        "organizations/committee_divisions.html",
        {
            "org": org,
            "committee": committee,
            "seats": seats,
            "choices": DIVISION_CHOICES,
            "elected_posts": actions.ELECTED_POSTS,
        },
    )
