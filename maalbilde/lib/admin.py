"""The admin shows what the app keeps; it changes nothing that has a service of its own."""

from django.http import HttpRequest


class ReadOnly:
    """For a ModelAdmin or an inline: lists and opens, never adds, changes or deletes. Plans,
    organisations and datasets change through their services (a plan file, the app's own
    pages, the command line), which make a new version, keep the rules and write the audit
    trail; an edit in the admin did none of that."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
