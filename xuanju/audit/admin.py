from django.contrib import admin

from xuanju.audit.models import AuditRecord
from xuanju.readonly_admin import ReadOnlyAdmin


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ["id", "at", "actor", "action", "object_type", "object_id", "summary"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor", "summary", "object_id"]
