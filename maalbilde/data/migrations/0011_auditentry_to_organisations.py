# The audit trail moves to the organisations app, at the bottom of the layers, so that every
# layer can record its changes; the table stays where it is (organisations.0003 takes it over).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("maalbilde_data", "0010_audit_structured"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
            database_operations=[],
        ),
    ]
