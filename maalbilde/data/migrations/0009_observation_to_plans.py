# Typed-in figures belong to plans (they are an indicator's figures): the model moves to the
# plans app, the table stays where it is (plans.0003 takes it over).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("maalbilde_data", "0008_upload_heartbeat"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Observation")],
            database_operations=[],
        ),
    ]
