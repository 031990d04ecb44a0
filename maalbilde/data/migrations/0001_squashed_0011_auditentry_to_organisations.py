# Datasets, imports, facts and registers: 0001–0011 in one step.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [
        ('maalbilde_data', '0001_initial'),
        ('maalbilde_data', '0002_fact_index_by_organisation'),
        ('maalbilde_data', '0003_uploads_and_rejects'),
        ('maalbilde_data', '0004_registers'),
        ('maalbilde_data', '0005_upload_progress'),
        ('maalbilde_data', '0006_figures_generation'),
        ('maalbilde_data', '0007_register_form_token'),
        ('maalbilde_data', '0008_upload_heartbeat'),
        ('maalbilde_data', '0009_observation_to_plans'),
        ('maalbilde_data', '0010_audit_structured'),
        ('maalbilde_data', '0011_auditentry_to_organisations'),
    ]

    dependencies = [
        ('organisations', '0001_squashed_0002_memberships'),
        ('plans', '0001_squashed_0002_publications'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='FiguresGeneration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.BigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='Dataset',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=80, unique=True, verbose_name='slug')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('organisation_column', models.CharField(blank=True, max_length=80, verbose_name='organisation column')),
                ('register', models.BooleanField(default=False, verbose_name='register')),
                ('date_column', models.CharField(max_length=80, verbose_name='date column')),
                ('columns', models.JSONField(default=list, verbose_name='columns')),
                ('slots', models.JSONField(default=dict, editable=False)),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='datasets', to='organisations.organisation', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'dataset',
                'verbose_name_plural': 'datasets',
                'ordering': ['slug'],
            },
        ),
        migrations.CreateModel(
            name='Batch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file_name', models.CharField(max_length=300, verbose_name='file name')),
                ('checksum', models.CharField(max_length=64, verbose_name='checksum')),
                ('rows_read', models.PositiveIntegerField(default=0, verbose_name='rows read')),
                ('rows_stored', models.PositiveIntegerField(default=0, verbose_name='rows stored')),
                ('rows_rejected', models.PositiveIntegerField(default=0, verbose_name='rows rejected')),
                ('rows_skipped', models.PositiveIntegerField(default=0, verbose_name='rows skipped')),
                ('facts', models.PositiveIntegerField(default=0, verbose_name='facts')),
                ('report', models.JSONField(default=dict, verbose_name='report')),
                ('rejects', models.BinaryField(blank=True, null=True, verbose_name='rejected rows')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='imported')),
                ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='withdrawn')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='imported by')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation', verbose_name='organisation')),
                ('withdrawn_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='withdrawn by')),
                ('dataset', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='batches', to='maalbilde_data.dataset', verbose_name='dataset')),
            ],
            options={
                'verbose_name': 'import batch',
                'verbose_name_plural': 'import batches',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Fact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField()),
                ('month', models.PositiveSmallIntegerField()),
                ('rows', models.BigIntegerField()),
                ('c1', models.CharField(default='', max_length=200)),
                ('c2', models.CharField(default='', max_length=200)),
                ('c3', models.CharField(default='', max_length=200)),
                ('c4', models.CharField(default='', max_length=200)),
                ('c5', models.CharField(default='', max_length=200)),
                ('c6', models.CharField(default='', max_length=200)),
                ('m1', models.FloatField(null=True)),
                ('m2', models.FloatField(null=True)),
                ('m3', models.FloatField(null=True)),
                ('m4', models.FloatField(null=True)),
                ('m5', models.FloatField(null=True)),
                ('m6', models.FloatField(null=True)),
                ('m7', models.FloatField(null=True)),
                ('m8', models.FloatField(null=True)),
                ('k1', models.BigIntegerField(default=0)),
                ('k2', models.BigIntegerField(default=0)),
                ('k3', models.BigIntegerField(default=0)),
                ('k4', models.BigIntegerField(default=0)),
                ('k5', models.BigIntegerField(default=0)),
                ('k6', models.BigIntegerField(default=0)),
                ('k7', models.BigIntegerField(default=0)),
                ('k8', models.BigIntegerField(default=0)),
                ('batch', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='maalbilde_data.batch')),
                ('dataset', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='maalbilde_data.dataset')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation')),
            ],
        ),
        migrations.CreateModel(
            name='RegisterRow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(verbose_name='date')),
                ('values', models.JSONField(default=dict, verbose_name='values')),
                ('form_token', models.CharField(blank=True, editable=False, max_length=40, null=True, unique=True)),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='changed')),
                ('dataset', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rows', to='maalbilde_data.dataset', verbose_name='dataset')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation', verbose_name='organisation')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='changed by')),
            ],
            options={
                'verbose_name': 'register row',
                'verbose_name_plural': 'register rows',
                'ordering': ['-date', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Upload',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file_name', models.CharField(max_length=300)),
                ('content', models.BinaryField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('state', models.CharField(choices=[('waiting', 'waiting to be imported'), ('running', 'importing'), ('done', 'imported'), ('failed', 'not imported')], default='waiting', max_length=10)),
                ('stage', models.CharField(blank=True, max_length=200)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('heartbeat_at', models.DateTimeField(blank=True, null=True)),
                ('message', models.TextField(blank=True)),
                ('problems', models.JSONField(blank=True, default=list)),
                ('problem_rows', models.PositiveIntegerField(default=0)),
                ('batch', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='maalbilde_data.batch')),
                ('dataset', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='maalbilde_data.dataset')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.AddConstraint(
            model_name='batch',
            constraint=models.UniqueConstraint(condition=models.Q(('withdrawn_at__isnull', True)), fields=('dataset', 'checksum'), name='batch_content_once'),
        ),
        migrations.AddIndex(
            model_name='fact',
            index=models.Index(fields=['dataset', 'organisation', 'year'], name='maalbilde_d_dataset_719561_idx'),
        ),
        migrations.AddIndex(
            model_name='registerrow',
            index=models.Index(fields=['dataset', 'organisation', 'date'], name='maalbilde_d_dataset_06fdd7_idx'),
        ),
        # The tables of typed-in figures (plans.Observation) and of the audit trail
        # (organisations.AuditEntry) are made here, where they were first made, so that a
        # database that has them already takes the same path; the models are declared in
        # plans 0003 and organisations 0003.
        migrations.SeparateDatabaseAndState(
            state_operations=[],
            database_operations=[
                migrations.CreateModel(
                    name='Observation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('indicator_slug', models.SlugField(max_length=80, verbose_name='indicator')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('month', models.PositiveSmallIntegerField(default=0, verbose_name='month')),
                        ('value', models.FloatField(verbose_name='value')),
                        ('comment', models.TextField(blank=True, verbose_name='comment')),
                        ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
                        ('entered_at', models.DateTimeField(auto_now=True, verbose_name='entered')),
                        ('entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation', verbose_name='organisation')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='plans.plan', verbose_name='plan')),
                    ],
                    options={
                        'verbose_name': 'observation',
                        'verbose_name_plural': 'observations',
                        'db_table': 'maalbilde_data_observation',
                        'ordering': ['plan', 'indicator_slug', 'year', 'month'],
                        'constraints': [models.UniqueConstraint(fields=('plan', 'indicator_slug', 'organisation', 'year', 'month'), name='observation_once_per_period')],
                    },
                ),
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
        ),
    ]
