# Typed-in figures recorded before audit entries named their organisation get it from their
# subject, "plan/indicator/organisation/…", so the trail of a figure reads by organisation.
import re

from django.db import migrations


def organisation_from_subject(apps, schema_editor):
    AuditEntry = apps.get_model("organisations", "AuditEntry")
    Organisation = apps.get_model("organisations", "Organisation")
    unnamed = AuditEntry.objects.filter(action="observation", organisation__isnull=True)
    if not unnamed.exists():
        return
    for organisation in Organisation.objects.only("pk", "slug"):
        pattern = rf"^[^/]+/[^/]+/{re.escape(organisation.slug)}/"
        unnamed.filter(subject__regex=pattern).update(organisation=organisation)


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0003_auditentry_from_data'),
    ]

    operations = [
        migrations.RunPython(organisation_from_subject, migrations.RunPython.noop, elidable=True),
    ]
