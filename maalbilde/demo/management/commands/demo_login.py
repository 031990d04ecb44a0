from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalbilde.lib.commands import Command as BaseCommand

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "maalbilde-demo"


class Command(BaseCommand):
    help = gettext_lazy("Create (or reset) the demo administrator login and print it.")

    def handle(self, *args, **options) -> None:
        user, _created = User.objects.get_or_create(username=DEMO_USERNAME)
        user.is_staff = user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        self.stdout.write(
            _("Demo login: user “%(user)s”, password “%(password)s” (for trying Målbilde only)")
            % {"user": DEMO_USERNAME, "password": DEMO_PASSWORD}
        )
