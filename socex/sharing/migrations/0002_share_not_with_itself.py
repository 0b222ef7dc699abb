from django.db import migrations, models


class Migration(migrations.Migration):
    """An organisation cannot share a record with itself: the database holds the rule too."""

    dependencies = [("sharing", "0001_initial")]

    operations = [
        migrations.AddConstraint(
            model_name="share",
            constraint=models.CheckConstraint(
                condition=models.Q(("organisation", models.F("shared_by_organisation")), _negated=True),
                name="share_not_with_itself",
            ),
        ),
    ]
