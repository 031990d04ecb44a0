from django.contrib import admin

from maalbilde.data.models import Dataset


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "organisation", "date_column"]
    search_fields = ["name", "slug"]
