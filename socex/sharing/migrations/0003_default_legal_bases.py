from django.db import migrations


def add_defaults(apps, schema_editor):
    from socex.sharing.default_legal_bases import add_default_legal_bases

    add_default_legal_bases(apps.get_model("sharing", "LegalBasis"))


def remove_unused_defaults(apps, schema_editor):
    from socex.sharing.default_legal_bases import DEFAULT_LEGAL_BASES

    LegalBasis = apps.get_model("sharing", "LegalBasis")
    codes = [item["code"] for item in DEFAULT_LEGAL_BASES]
    LegalBasis.objects.filter(code__in=codes, shares__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("sharing", "0002_share_not_with_itself")]
    operations = [migrations.RunPython(add_defaults, remove_unused_defaults)]
