# A report job can also make a committee's rollup workbook (the long rollups
# leave the request). Its file field is renamed `content` in Django
# only: the column stays "pdf", so no table is rewritten or locked and the
# code still running during a deploy keeps reading it.
#
# The two new columns are NOT NULL with a database default (db_default): on
# PostgreSQL 11 and later a change to the catalogue only, no rewrite, and the
# old code's INSERTs, which do not name them, get the default.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_heartbeat'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField(
                    model_name='reportjob',
                    old_name='pdf',
                    new_name='content',
                ),
                migrations.AlterField(
                    model_name='reportjob',
                    name='content',
                    field=models.BinaryField(blank=True, db_column='pdf', editable=False, null=True, verbose_name='file'),
                ),
            ],
        ),
        migrations.AddField(
            model_name='reportjob',
            name='kind',
            field=models.CharField(choices=[('summary', 'Summary report (PDF)'), ('units', 'Rollup by sending unit (Excel)'), ('certified', 'Certified trainees by unit (Excel)'), ('centers', 'Rollup by centre (Excel)'), ('pipeline', 'Party admission pipeline (Excel)')], db_default='summary', default='summary', max_length=12, verbose_name='kind'),
        ),
        migrations.AddField(
            model_name='reportjob',
            name='query',
            field=models.TextField(blank=True, db_default='', verbose_name='filters'),
        ),
    ]
