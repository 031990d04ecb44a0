from django.contrib import admin

from maalbilde.lib.admin import ReadOnly
from maalbilde.plans.models import (
    FocusArea,
    Goal,
    Indicator,
    Initiative,
    Plan,
    PlanVersion,
    Section,
    Target,
)


class PlanVersionInline(ReadOnly, admin.TabularInline):
    model = PlanVersion
    fields = ["number", "title", "state", "start_year", "end_year", "created_at", "source_name"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["slug", "__str__", "owner", "current_version"]
    search_fields = ["slug", "versions__title"]
    raw_id_fields = ["current_version"]
    inlines = [PlanVersionInline]


class SectionInline(ReadOnly, admin.StackedInline):
    model = Section
    extra = 0


class FocusAreaInline(ReadOnly, admin.TabularInline):
    model = FocusArea
    fields = ["position", "number", "slug", "title", "kind"]
    extra = 0
    show_change_link = True


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "plan", "number", "state", "start_year", "end_year", "created_at"]
    list_filter = ["state", "plan"]
    readonly_fields = ["checksum", "source_name", "created_at", "created_by"]
    inlines = [SectionInline, FocusAreaInline]


class GoalInline(ReadOnly, admin.TabularInline):
    model = Goal
    fields = ["position", "slug", "title"]
    extra = 0
    show_change_link = True


@admin.register(FocusArea)
class FocusAreaAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "number", "kind", "version"]
    list_filter = ["kind", "version__plan"]
    search_fields = ["title"]
    inlines = [GoalInline]


class IndicatorInline(ReadOnly, admin.TabularInline):
    model = Indicator
    fk_name = "goal"
    fields = ["position", "slug", "name", "unit"]
    extra = 0
    show_change_link = True


class InitiativeInline(ReadOnly, admin.TabularInline):
    model = Initiative
    fields = ["position", "slug", "title", "kind", "due", "status"]
    extra = 0


@admin.register(Goal)
class GoalAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "focus_area", "version"]
    list_filter = ["version__plan"]
    search_fields = ["title"]
    inlines = [IndicatorInline, InitiativeInline]


class TargetInline(ReadOnly, admin.TabularInline):
    model = Target
    fields = [
        "position",
        "organisation",
        "comparator",
        "value",
        "period",
        "first_year",
        "last_year",
    ]
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "unit", "direction", "focus_area", "version"]
    list_filter = ["unit", "version__plan"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["measures"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "indicator",
        "organisation",
        "comparator",
        "value",
        "period",
        "first_year",
        "last_year",
    ]
    list_filter = ["comparator", "period", "indicator__version__plan"]


@admin.register(Initiative)
class InitiativeAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "kind", "due", "status", "organisation"]
    list_filter = ["kind", "status", "version__plan"]
    search_fields = ["title"]
