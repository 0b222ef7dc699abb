from django.db import migrations

from socex.audit import triggers


class Migration(migrations.Migration):
    """PostgreSQL: refuse TRUNCATE on audit_event, which row triggers do not see."""

    dependencies = [("audit", "0002_append_only_triggers")]
    operations = [migrations.RunPython(triggers.create_no_truncate, triggers.drop_no_truncate)]
