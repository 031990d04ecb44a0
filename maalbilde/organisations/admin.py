from django.contrib import admin

from maalbilde.organisations.models import Organisation
from maalbilde.organisations.services import organisation_paths_rebuild


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    readonly_fields = ["path"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        obj.path = obj.path or f"/{obj.slug}/"
        super().save_model(request, obj, form, change)
        organisation_paths_rebuild()
