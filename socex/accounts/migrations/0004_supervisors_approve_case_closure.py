"""Supervisors approve case closures (the cases app's ``case.approve_closure``).

New databases get it from 0002 (which reads the current default roles); this adds it to the
supervisor role of a database made before it existed, unless an administrator removed the role.
"""

from django.db import migrations

CAPABILITY = "case.approve_closure"


def add(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code="supervisor"):
        if CAPABILITY not in role.capabilities:
            role.capabilities = [*role.capabilities, CAPABILITY]
            role.save(update_fields=["capabilities"])


def remove(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code="supervisor"):
        role.capabilities = [code for code in role.capabilities if code != CAPABILITY]
        role.save(update_fields=["capabilities"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_user_must_change_password")]

    operations = [migrations.RunPython(add, remove)]
