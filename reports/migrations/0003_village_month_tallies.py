"""The village-month tallies and the aided household-months the report reads, filled from
the aid rows and moves already there."""

import django.db.models.deletion
from django.db import migrations, models


def fill_from_rows(apps, schema_editor):
    from reports.tallies import refresh

    refresh(schema_editor.connection.alias, apps=apps)


class Migration(migrations.Migration):

    dependencies = [
        ('beneficiaries', '0004_household_import_runs'),
        ('regions', '0002_only_province_and_regency_officials_are_staff'),
        ('reports', '0002_monthly_report_schedule'),
    ]

    operations = [
        migrations.CreateModel(
            name='AidedHouseholdMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='periode')),
                ('rows', models.IntegerField(default=0, verbose_name='jumlah')),
                ('first', models.BooleanField(default=False, verbose_name='pertama')),
                ('household', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='beneficiaries.household', verbose_name='rumah tangga')),
                ('regency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.regency', verbose_name='kabupaten/kota')),
                ('village', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.village', verbose_name='desa/kelurahan')),
            ],
            options={
                'verbose_name': 'rumah tangga penerima bantuan per bulan',
                'verbose_name_plural': 'rumah tangga penerima bantuan per bulan',
                'ordering': ['village', 'household', 'month'],
                'indexes': [models.Index(fields=['regency', 'month'], include=('village', 'household', 'first'), name='aided_household_regency_idx'), models.Index(fields=['month'], include=('village', 'household', 'first'), name='aided_household_month_idx'), models.Index(condition=models.Q(('first', True)), fields=['month'], include=('village', 'household', 'regency'), name='aided_household_first_idx')],
                'constraints': [models.UniqueConstraint(fields=('village', 'household', 'month'), name='aided_household_month_unique')],
            },
        ),
        migrations.CreateModel(
            name='VillageMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='periode')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='diubah')),
                ('aid_food_count', models.BigIntegerField(default=0, verbose_name='Pangan: jumlah')),
                ('aid_food_amount', models.BigIntegerField(default=0, verbose_name='Pangan: nilai')),
                ('aid_cash_count', models.BigIntegerField(default=0, verbose_name='Bantuan tunai: jumlah')),
                ('aid_cash_amount', models.BigIntegerField(default=0, verbose_name='Bantuan tunai: nilai')),
                ('aid_health_count', models.BigIntegerField(default=0, verbose_name='Kesehatan: jumlah')),
                ('aid_health_amount', models.BigIntegerField(default=0, verbose_name='Kesehatan: nilai')),
                ('aid_housing_count', models.BigIntegerField(default=0, verbose_name='Perumahan: jumlah')),
                ('aid_housing_amount', models.BigIntegerField(default=0, verbose_name='Perumahan: nilai')),
                ('aid_education_count', models.BigIntegerField(default=0, verbose_name='Biaya sekolah: jumlah')),
                ('aid_education_amount', models.BigIntegerField(default=0, verbose_name='Biaya sekolah: nilai')),
                ('aid_work_tools_count', models.BigIntegerField(default=0, verbose_name='Alat kerja: jumlah')),
                ('aid_work_tools_amount', models.BigIntegerField(default=0, verbose_name='Alat kerja: nilai')),
                ('aid_raw_materials_count', models.BigIntegerField(default=0, verbose_name='Bahan baku: jumlah')),
                ('aid_raw_materials_amount', models.BigIntegerField(default=0, verbose_name='Bahan baku: nilai')),
                ('aid_working_capital_count', models.BigIntegerField(default=0, verbose_name='Modal kerja: jumlah')),
                ('aid_working_capital_amount', models.BigIntegerField(default=0, verbose_name='Modal kerja: nilai')),
                ('aid_training_count', models.BigIntegerField(default=0, verbose_name='Pelatihan: jumlah')),
                ('aid_training_amount', models.BigIntegerField(default=0, verbose_name='Pelatihan: nilai')),
                ('move_entry', models.BigIntegerField(default=0, verbose_name='Masuk program')),
                ('move_advance', models.BigIntegerField(default=0, verbose_name='Naik tahap')),
                ('move_fallback', models.BigIntegerField(default=0, verbose_name='Turun tahap')),
                ('move_graduate', models.BigIntegerField(default=0, verbose_name='Lulus mandiri')),
                ('move_exit', models.BigIntegerField(default=0, verbose_name='Keluar')),
                ('pending', models.BigIntegerField(default=0, verbose_name='Menunggu persetujuan')),
                ('stage_1', models.BigIntegerField(default=0, verbose_name='Tahap 1')),
                ('stage_2', models.BigIntegerField(default=0, verbose_name='Tahap 2')),
                ('stage_3', models.BigIntegerField(default=0, verbose_name='Tahap 3')),
                ('graduated', models.BigIntegerField(default=0, verbose_name='Mandiri (lulus)')),
                ('exited', models.BigIntegerField(default=0, verbose_name='Keluar')),
                ('regency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.regency', verbose_name='kabupaten/kota')),
                ('village', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.village', verbose_name='desa/kelurahan')),
            ],
            options={
                'verbose_name': 'ringkasan bulanan desa',
                'verbose_name_plural': 'ringkasan bulanan desa',
                'ordering': ['village', 'month'],
                'indexes': [models.Index(fields=['regency', 'month'], name='village_month_regency_idx')],
                'constraints': [models.UniqueConstraint(fields=('village', 'month'), name='village_month_unique')],
            },
        ),
        migrations.RunPython(fill_from_rows, migrations.RunPython.noop),
    ]
