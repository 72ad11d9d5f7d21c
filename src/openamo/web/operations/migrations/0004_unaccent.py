"""The ``unaccent`` extension for accent-insensitive search (``openamo.web.search``); nothing
on SQLite. A trusted extension: the database owner may create it without superuser rights."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("operations", "0003_live_partial_indexes")]

    operations = [UnaccentExtension()]
