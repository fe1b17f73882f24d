"""Growth village-months keep their toddlers known once the month closes
(`growth_tally.close_months`): the column, the month markers, and the close of the ended
months of the existing data (reversing drops them with the table and column)."""

from django.db import migrations, models


def close_ended_months(apps, schema_editor):
    from beneficiaries import growth_tally

    growth_tally.close_months(using=schema_editor.connection.alias, apps=apps)


class Migration(migrations.Migration):

    dependencies = [
        ('beneficiaries', '0018_person_current_birth_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='GrowthMonthClose',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(unique=True, verbose_name='periode')),
                ('closed_at', models.DateTimeField(verbose_name='ditutup pada')),
            ],
            options={
                'verbose_name': 'penutupan bulan pemantauan pertumbuhan',
                'verbose_name_plural': 'penutupan bulan pemantauan pertumbuhan',
                'ordering': ['month'],
            },
        ),
        migrations.AddField(
            model_name='growthmonth',
            name='toddlers',
            field=models.IntegerField(default=0, verbose_name='Balita terdata'),
        ),
        migrations.RunPython(close_ended_months, migrations.RunPython.noop),
    ]
