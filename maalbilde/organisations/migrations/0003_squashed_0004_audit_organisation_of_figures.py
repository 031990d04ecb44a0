# The audit trail's model comes from maalbilde_data (0003) and typed-in figures recorded
# before entries named their organisation get it from their subject (0004).
import re

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


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

    replaces = [
        ('organisations', '0003_auditentry_from_data'),
        ('organisations', '0004_audit_organisation_of_figures'),
    ]

    dependencies = [
        ('maalbilde_data', '0001_squashed_0011_auditentry_to_organisations'),
        ('organisations', '0001_squashed_0002_memberships'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The table exists (made by maalbilde_data); only the model's home changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(auto_now_add=True, verbose_name='when')),
                        ('action', models.CharField(max_length=40, verbose_name='action')),
                        ('subject', models.CharField(max_length=300, verbose_name='what')),
                        ('object_kind', models.CharField(blank=True, max_length=80, verbose_name='kind')),
                        ('object_id', models.CharField(blank=True, max_length=80, verbose_name='key')),
                        ('before', models.JSONField(blank=True, null=True, verbose_name='before')),
                        ('after', models.JSONField(blank=True, null=True, verbose_name='after')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='who')),
                        ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='organisations.organisation', verbose_name='organisation')),
                    ],
                    options={
                        'verbose_name': 'audit entry',
                        'verbose_name_plural': 'audit entries',
                        'db_table': 'maalbilde_data_auditentry',
                        'ordering': ['-at', '-pk'],
                        'indexes': [models.Index(fields=['organisation', '-at'], name='audit_by_organisation')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(organisation_from_subject, migrations.RunPython.noop),
    ]
