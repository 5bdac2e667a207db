from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from xuanju.accounts.models import User


@admin.register(User)
class AccountAdmin(UserAdmin):  # type: ignore[type-arg]
    """Accounts are managed in the admin by superusers: who belongs where with which role."""

    list_display = ["username", "display_name", "organization", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "display_name"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("党组织与角色", {"fields": ("display_name", "organization", "role")}),
    )
    autocomplete_fields = ["organization"]
