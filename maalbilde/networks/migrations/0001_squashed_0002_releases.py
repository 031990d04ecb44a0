# Networks, rounds and releases: 0001–0002 in one step.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [
        ('networks', '0001_initial'),
        ('networks', '0002_releases'),
    ]

    dependencies = [
        ('organisations', '0001_squashed_0002_memberships'),
        ('plans', '0001_squashed_0002_publications'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Answer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('draft', 'draft'), ('submitted', 'submitted'), ('returned', 'returned'), ('approved', 'approved')], default='draft', max_length=10, verbose_name='state')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='changed')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation')),
                ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'answer',
                'verbose_name_plural': 'answers',
            },
        ),
        migrations.CreateModel(
            name='AnswerEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('action', models.CharField(max_length=20)),
                ('comment', models.TextField(blank=True)),
                ('replaced', models.JSONField(blank=True, default=dict)),
                ('answer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='networks.answer')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Round',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=80, unique=True, verbose_name='slug')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('deadline', models.DateField(verbose_name='deadline')),
                ('instructions', models.TextField(blank=True, verbose_name='instructions')),
                ('late_answers', models.BooleanField(default=False, verbose_name='answers after the deadline')),
                ('change_warning_percent', models.FloatField(default=30, verbose_name='change that asks for a comment (%)')),
                ('open_data', models.BooleanField(default=False, verbose_name='published as open data')),
                ('reminded_on', models.DateField(blank=True, null=True, verbose_name='last reminder')),
                ('source', models.TextField(blank=True, verbose_name='round file')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('network', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rounds', to='organisations.organisation', verbose_name='network')),
                ('plan', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='plans.plan', verbose_name='plan')),
                ('previous', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='networks.round', verbose_name='previous round')),
            ],
            options={
                'verbose_name': 'reporting round',
                'verbose_name_plural': 'reporting rounds',
                'ordering': ['-year', 'title', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='RespondentGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=80)),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='groups', to='networks.round')),
            ],
        ),
        migrations.CreateModel(
            name='Release',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(verbose_name='release')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='made')),
                ('notes', models.TextField(blank=True, verbose_name='release notes')),
                ('statistics', models.JSONField(default=list)),
                ('survey', models.JSONField(default=list)),
                ('held_back', models.JSONField(blank=True, default=list)),
                ('overridden', models.JSONField(blank=True, default=list)),
                ('contributions', models.JSONField(default=dict)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='releases', to='networks.round')),
            ],
            options={
                'verbose_name': 'release',
                'verbose_name_plural': 'releases',
                'ordering': ['round', '-number'],
            },
        ),
        migrations.CreateModel(
            name='Question',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField()),
                ('section', models.CharField(blank=True, max_length=200, verbose_name='section')),
                ('slug', models.SlugField(max_length=80)),
                ('kind', models.CharField(choices=[('number', 'number'), ('text', 'free text'), ('scale', 'scale 1–5'), ('single', 'one choice'), ('multiple', 'several choices')], max_length=10, verbose_name='kind')),
                ('label', models.CharField(max_length=500, verbose_name='question')),
                ('help', models.TextField(blank=True, verbose_name='help')),
                ('unit', models.CharField(blank=True, max_length=20, verbose_name='unit')),
                ('required', models.BooleanField(default=False, verbose_name='required')),
                ('minimum', models.FloatField(blank=True, null=True, verbose_name='at least')),
                ('maximum', models.FloatField(blank=True, null=True, verbose_name='at most')),
                ('at_most', models.SlugField(blank=True, max_length=80)),
                ('choices', models.JSONField(blank=True, default=list)),
                ('groups', models.JSONField(blank=True, default=list)),
                ('indicator', models.SlugField(blank=True, max_length=80, verbose_name='indicator')),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='questions', to='networks.round')),
            ],
            options={
                'ordering': ['round', 'position'],
            },
        ),
        migrations.AddField(
            model_name='answer',
            name='round',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='networks.round'),
        ),
        migrations.CreateModel(
            name='RoundMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='members', to='networks.respondentgroup')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation')),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='networks.round')),
            ],
        ),
        migrations.CreateModel(
            name='Value',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.FloatField(blank=True, null=True)),
                ('text', models.TextField(blank=True)),
                ('choices', models.JSONField(blank=True, default=list)),
                ('comment', models.TextField(blank=True)),
                ('answer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='values', to='networks.answer')),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='values', to='networks.question')),
            ],
        ),
        migrations.AddConstraint(
            model_name='respondentgroup',
            constraint=models.UniqueConstraint(fields=('round', 'slug'), name='group_once'),
        ),
        migrations.AddConstraint(
            model_name='release',
            constraint=models.UniqueConstraint(fields=('round', 'number'), name='release_once'),
        ),
        migrations.AddConstraint(
            model_name='question',
            constraint=models.UniqueConstraint(fields=('round', 'slug'), name='question_once'),
        ),
        migrations.AddConstraint(
            model_name='answer',
            constraint=models.UniqueConstraint(fields=('round', 'organisation'), name='answer_once'),
        ),
        migrations.AddConstraint(
            model_name='roundmember',
            constraint=models.UniqueConstraint(fields=('round', 'organisation'), name='member_once'),
        ),
        migrations.AddIndex(
            model_name='value',
            index=models.Index(fields=['question', 'number'], name='networks_va_questio_0f42e0_idx'),
        ),
        migrations.AddConstraint(
            model_name='value',
            constraint=models.UniqueConstraint(fields=('answer', 'question'), name='value_once'),
        ),
    ]
