# Plans and publications: 0001–0002 in one step. Typed-in figures come in 0003.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [
        ('plans', '0001_initial'),
        ('plans', '0002_publications'),
    ]

    dependencies = [
        ('organisations', '0001_squashed_0002_memberships'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='FocusArea',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField()),
                ('slug', models.SlugField(max_length=80, verbose_name='slug')),
                ('number', models.CharField(blank=True, max_length=20, verbose_name='number')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('kind', models.CharField(choices=[('focus_area', 'focus area'), ('perspective', 'cross-cutting perspective')], default='focus_area', max_length=20, verbose_name='kind')),
                ('description', models.TextField(blank=True, verbose_name='description')),
            ],
            options={
                'verbose_name': 'focus area',
                'verbose_name_plural': 'focus areas',
                'ordering': ['version', 'position'],
            },
        ),
        migrations.CreateModel(
            name='Goal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField()),
                ('slug', models.SlugField(max_length=80, verbose_name='slug')),
                ('title', models.TextField(verbose_name='title')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('focus_area', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='plans.focusarea', verbose_name='focus area')),
            ],
            options={
                'verbose_name': 'goal',
                'verbose_name_plural': 'goals',
                'ordering': ['focus_area__position', 'position'],
            },
        ),
        migrations.CreateModel(
            name='Plan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=80, unique=True, verbose_name='slug')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plans', to='organisations.organisation', verbose_name='owner')),
            ],
            options={
                'verbose_name': 'plan',
                'verbose_name_plural': 'plans',
                'ordering': ['slug'],
            },
        ),
        migrations.CreateModel(
            name='PlanVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(verbose_name='version')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('start_year', models.PositiveSmallIntegerField(verbose_name='first year')),
                ('end_year', models.PositiveSmallIntegerField(verbose_name='last year')),
                ('state', models.CharField(choices=[('draft', 'draft'), ('adopted', 'adopted')], default='draft', max_length=10, verbose_name='state')),
                ('adopted_on', models.DateField(blank=True, null=True, verbose_name='adopted on')),
                ('introduction', models.TextField(blank=True, verbose_name='introduction')),
                ('vision', models.TextField(blank=True, verbose_name='vision')),
                ('mission', models.TextField(blank=True, verbose_name='mission')),
                ('values', models.JSONField(blank=True, default=list, verbose_name='values')),
                ('target_groups', models.JSONField(blank=True, default=list, verbose_name='target groups')),
                ('ambitions', models.JSONField(blank=True, default=list, verbose_name='ambitions')),
                ('organisations', models.JSONField(default=list, editable=False)),
                ('datasets', models.JSONField(default=list, editable=False)),
                ('checksum', models.CharField(editable=False, max_length=64, verbose_name='checksum')),
                ('source_name', models.CharField(blank=True, max_length=300, verbose_name='source file')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation', verbose_name='owner')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='plans.plan', verbose_name='plan')),
            ],
            options={
                'verbose_name': 'plan version',
                'verbose_name_plural': 'plan versions',
                'ordering': ['plan', 'number'],
            },
        ),
        migrations.AddField(
            model_name='plan',
            name='current_version',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='plans.planversion', verbose_name='current version'),
        ),
        migrations.CreateModel(
            name='Initiative',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField()),
                ('slug', models.SlugField(max_length=80, verbose_name='slug')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('kind', models.CharField(choices=[('initiative', 'initiative'), ('milestone', 'milestone')], default='initiative', max_length=20, verbose_name='kind')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('responsible', models.CharField(blank=True, max_length=200, verbose_name='responsible')),
                ('due', models.DateField(blank=True, null=True, verbose_name='due')),
                ('status', models.CharField(choices=[('planned', 'planned'), ('in_progress', 'in progress'), ('done', 'done'), ('cancelled', 'cancelled')], default='planned', max_length=20, verbose_name='status')),
                ('goal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='initiatives', to='plans.goal', verbose_name='goal')),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation', verbose_name='responsible organisation')),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='initiatives', to='plans.planversion')),
            ],
            options={
                'verbose_name': 'initiative or milestone',
                'verbose_name_plural': 'initiatives and milestones',
                'ordering': ['goal', 'position'],
            },
        ),
        migrations.CreateModel(
            name='Indicator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField()),
                ('slug', models.SlugField(max_length=80, verbose_name='slug')),
                ('name', models.TextField(verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='how it is measured')),
                ('unit', models.CharField(choices=[('count', 'count'), ('percent', 'percent'), ('nok', 'NOK'), ('hours', 'hours'), ('fte', 'full-time equivalents'), ('score', 'score'), ('qualitative', 'qualitative')], default='count', max_length=20, verbose_name='unit')),
                ('direction', models.CharField(choices=[('increase', 'higher is better'), ('decrease', 'lower is better'), ('maintain', 'keep steady')], default='increase', max_length=20, verbose_name='direction')),
                ('over_time', models.CharField(choices=[('sum', 'sum'), ('mean', 'mean'), ('last', 'last value'), ('cumulative', 'cumulative')], default='sum', max_length=20, verbose_name='over time')),
                ('over_tree', models.CharField(choices=[('sum', 'sum'), ('mean', 'mean'), ('none', 'not combined')], default='sum', max_length=20, verbose_name='over the organisation tree')),
                ('metric', models.JSONField(blank=True, null=True, verbose_name='metric')),
                ('formula', models.JSONField(blank=True, null=True, verbose_name='formula')),
                ('focus_area', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='indicators', to='plans.focusarea', verbose_name='focus area')),
                ('goal', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='indicators', to='plans.goal', verbose_name='goal')),
                ('measures', models.ManyToManyField(blank=True, related_name='measured_by', to='plans.goal', verbose_name='goals measured')),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='indicators', to='plans.planversion')),
            ],
            options={
                'verbose_name': 'indicator',
                'verbose_name_plural': 'indicators',
                'ordering': ['focus_area__position', 'position'],
            },
        ),
        migrations.AddField(
            model_name='goal',
            name='version',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='plans.planversion'),
        ),
        migrations.AddField(
            model_name='focusarea',
            name='version',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='focus_areas', to='plans.planversion'),
        ),
        migrations.CreateModel(
            name='Publication',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('published_at', models.DateTimeField(auto_now_add=True, verbose_name='published')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='publications', to='plans.plan', verbose_name='plan')),
                ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='published by')),
            ],
            options={
                'verbose_name': 'publication',
                'verbose_name_plural': 'publications',
                'ordering': ['plan', '-year'],
            },
        ),
        migrations.CreateModel(
            name='Section',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField()),
                ('number', models.CharField(blank=True, max_length=20, verbose_name='number')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('text', models.TextField(verbose_name='text')),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sections', to='plans.planversion')),
            ],
            options={
                'verbose_name': 'section',
                'verbose_name_plural': 'sections',
                'ordering': ['version', 'position'],
            },
        ),
        migrations.CreateModel(
            name='Target',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField()),
                ('comparator', models.CharField(choices=[('at_least', 'at least'), ('at_most', 'at most'), ('growth_at_least', 'growth of at least (% a year)')], default='at_least', max_length=20, verbose_name='comparator')),
                ('value', models.DecimalField(decimal_places=4, max_digits=20, verbose_name='value')),
                ('period', models.CharField(choices=[('year', 'one year'), ('each_year', 'every year'), ('deadline', 'by a deadline')], max_length=20, verbose_name='period')),
                ('first_year', models.PositiveSmallIntegerField(verbose_name='first year')),
                ('last_year', models.PositiveSmallIntegerField(verbose_name='last year')),
                ('baseline_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='baseline year')),
                ('baseline_value', models.DecimalField(blank=True, decimal_places=4, max_digits=20, null=True, verbose_name='baseline value')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='plans.indicator', verbose_name='indicator')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'target',
                'verbose_name_plural': 'targets',
                'ordering': ['indicator', 'position'],
            },
        ),
        migrations.AddConstraint(
            model_name='planversion',
            constraint=models.UniqueConstraint(fields=('plan', 'number'), name='plan_version_number_unique'),
        ),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.UniqueConstraint(fields=('version', 'slug'), name='initiative_slug_unique'),
        ),
        migrations.AddConstraint(
            model_name='indicator',
            constraint=models.UniqueConstraint(fields=('version', 'slug'), name='indicator_slug_unique'),
        ),
        migrations.AddConstraint(
            model_name='goal',
            constraint=models.UniqueConstraint(fields=('version', 'slug'), name='goal_slug_unique'),
        ),
        migrations.AddConstraint(
            model_name='focusarea',
            constraint=models.UniqueConstraint(fields=('version', 'slug'), name='focus_area_slug_unique'),
        ),
        migrations.AddConstraint(
            model_name='publication',
            constraint=models.UniqueConstraint(fields=('plan', 'year'), name='publication_once_a_year'),
        ),
    ]
