"""The full-text index for report search: a generated tsvector column with a GIN index on
PostgreSQL, an FTS5 table kept in step by triggers on SQLite (see socex/intelligence/search_schema.py)."""

from django.db import migrations

from socex.intelligence import search_schema


class Migration(migrations.Migration):
    dependencies = [("intelligence", "0002_report_workflow_and_rules")]

    operations = [migrations.RunPython(search_schema.install, search_schema.remove, elidable=False)]
