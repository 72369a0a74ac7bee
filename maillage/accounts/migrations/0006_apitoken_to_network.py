"""`ApiToken` now belongs to `network` (network.0003 took over its table and rows): state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_only_the_accounts_own_address"),
        ("network", "0003_apitoken_from_accounts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="ApiToken")]),
    ]
