from django.contrib import admin

from maalbilde.lib.admin import ReadOnly
from maalbilde.organisations.models import Membership, Organisation


class MembershipInline(ReadOnly, admin.TabularInline):
    model = Membership
    extra = 0


# Roles are granted on the organisations' own pages (web/people.py), which audit them.
@admin.register(Membership)
class MembershipAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnly, admin.ModelAdmin):
    inlines = [MembershipInline]
    list_display = ["name", "slug", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
