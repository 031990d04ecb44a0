from django.contrib import admin

from maalbilde.data.models import Dataset
from maalbilde.lib.admin import ReadOnly


@admin.register(Dataset)
class DatasetAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "slug", "organisation", "date_column"]
    search_fields = ["name", "slug"]
