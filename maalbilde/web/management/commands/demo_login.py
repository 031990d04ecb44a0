from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "maalbilde-demo"


class Command(BaseCommand):
    help = "Create (or reset) the demo administrator login and print it."

    def handle(self, *args, **options) -> None:
        user, _created = User.objects.get_or_create(username=DEMO_USERNAME)
        user.is_staff = user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        self.stdout.write(
            _("Demo login: user “%(user)s”, password “%(password)s” (for trying Målbilde only)")
            % {"user": DEMO_USERNAME, "password": DEMO_PASSWORD}
        )
