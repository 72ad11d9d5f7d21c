from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("construction", "0007_works_possession"),
    ]

    operations = [
        migrations.AddField(
            model_name="finalaccount",
            name="claim_received_on",
            field=models.DateField(
                blank=True,
                null=True,
                verbose_name="mémoire en réclamation reçu par le maître d'ouvrage le",
            ),
        ),
    ]
