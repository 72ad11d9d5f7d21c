"""Operations get a kind. Existing ones are classified from what their file already shows: an
IT framing or an IT vocabulary → informatique; works → travaux; an EGAlim forecast or a catering
vocabulary → restauration; anything else → autre (the buyer can change it on the page)."""

import re

from django.db import migrations, models

CATERING = re.compile(r"restaura|cantine|repas|denr[ée]es|alimentaire|egalim", re.IGNORECASE)
IT = re.compile(r"logiciel|informatique|syst[èe]me d.information|progiciel|num[ée]rique", re.I)


def classify(apps, schema_editor):  # type: ignore[no-untyped-def]
    Operation = apps.get_model("operations", "Operation")
    Framing = apps.get_model("steering", "Framing")
    Forecast = apps.get_model("catering", "Forecast")
    Need = apps.get_model("operations", "Need")
    framed = set(Framing.objects.values_list("operation_id", flat=True))
    forecast = set(Forecast.objects.values_list("operation_id", flat=True))
    needs = {n.operation_id: n for n in Need.objects.all()}
    for operation in Operation.objects.all().iterator():
        need = needs.get(operation.pk)
        text = " ".join([operation.title, operation.description, need.object if need else ""])
        if operation.pk in framed or IT.search(text):
            kind = "informatique"
        elif need is not None and need.nature == "travaux":
            kind = "travaux"
        elif operation.pk in forecast or CATERING.search(text):
            kind = "restauration"
        else:
            kind = "autre"
        if kind != operation.kind:
            Operation.objects.filter(pk=operation.pk).update(kind=kind)


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0004_unaccent"),
        ("steering", "0001_initial"),
        ("catering", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="operation",
            name="kind",
            field=models.CharField(
                choices=[
                    ("restauration", "Restauration collective"),
                    ("informatique", "Projet informatique"),
                    ("travaux", "Travaux"),
                    ("autre", "Autre achat (fournitures ou services)"),
                ],
                default="autre",
                max_length=20,
                verbose_name="type d'opération",
            ),
        ),
        migrations.RunPython(classify, migrations.RunPython.noop),
    ]
