from django.contrib import admin

from xuanju.organizations.models import Committee, Member, Organization, Reminder, TermAdjustment
from xuanju.readonly_admin import ReadOnlyAdmin


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "sector", "full_member_count", "member_count", "dissolved_on"]
    list_filter = ["kind", "sector"]
    search_fields = ["name"]


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "status", "joined_on", "left_on"]
    list_filter = ["status"]
    search_fields = ["name"]
    exclude = ["id_number", "phone"]


@admin.register(Committee)
class CommitteeAdmin(ReadOnlyAdmin):
    list_display = ["organization", "elected_on", "term_end", "reelection_due", "is_current"]


@admin.register(TermAdjustment)
class TermAdjustmentAdmin(ReadOnlyAdmin):
    list_display = ["committee", "kind", "new_date", "approved_on", "document"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["organization", "sent_by", "sent_at", "read_at"]
