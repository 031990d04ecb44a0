# Organisations and memberships: 0001–0002 in one step.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [
        ('organisations', '0001_initial'),
        ('organisations', '0002_memberships'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Organisation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=80, unique=True, verbose_name='slug')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('kind', models.CharField(choices=[('network', 'network'), ('organisation', 'organisation'), ('department', 'department'), ('site', 'site'), ('region', 'region'), ('member', 'member'), ('body', 'body'), ('partner', 'partner')], default='organisation', max_length=20, verbose_name='kind')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('attributes', models.JSONField(blank=True, default=dict, verbose_name='attributes')),
                ('path', models.CharField(db_index=True, editable=False, max_length=1000, verbose_name='path')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='organisations.organisation', verbose_name='parent')),
            ],
            options={
                'verbose_name': 'organisation',
                'verbose_name_plural': 'organisations',
                'ordering': ['path'],
            },
        ),
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('administrator', 'administrator'), ('editor', 'editor'), ('reporter', 'reporter'), ('viewer', 'viewer')], max_length=20, verbose_name='role')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='organisations.organisation', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'membership',
                'verbose_name_plural': 'memberships',
                'constraints': [models.UniqueConstraint(fields=('user', 'organisation'), name='one_role_per_place')],
            },
        ),
    ]
