# Typed-in figures recorded before audit entries named their organisation get it from their
# subject, "plan/indicator/organisation/…", so the trail of a figure reads by organisation.
from importlib import import_module

from django.db import migrations

# The step lives on in the squashed migration that replaces this one.
organisation_from_subject = import_module(
    "maalbilde.organisations.migrations.0003_squashed_0004_audit_organisation_of_figures"
).organisation_from_subject


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0003_auditentry_from_data'),
    ]

    operations = [
        migrations.RunPython(organisation_from_subject, migrations.RunPython.noop, elidable=True),
    ]
