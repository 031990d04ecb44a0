from django.contrib import admin

from maalbilde.organisations.models import Membership, Organisation
from maalbilde.organisations.services import organisation_paths_rebuild


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    inlines = [MembershipInline]
    list_display = ["name", "slug", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    readonly_fields = ["path"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        obj.path = obj.path or f"/{obj.slug}/"
        super().save_model(request, obj, form, change)
        organisation_paths_rebuild()
