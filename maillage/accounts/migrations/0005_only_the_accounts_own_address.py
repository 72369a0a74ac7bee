"""Removes every e-mail address attached to an account other than the account's own (`User.email`).

Before ADR 0013 the Django admin let the technical administrator attach a verified address to anyone's account;
such an address could receive that account's password reset, or be made its primary address. Sign-in and
resets now use the account's own address only: any other row is dropped, and the own one made primary."""

from django.db import migrations
from django.db.models.functions import Lower


def keep_only_the_own_address(apps, schema_editor):
    EmailAddress = apps.get_model("account", "EmailAddress")
    User = apps.get_model("accounts", "User")
    own = {pk: email.lower() for pk, email in User.objects.values_list("pk", "email")}
    foreign = [
        row.pk
        for row in EmailAddress.objects.annotate(lowered=Lower("email")).only("pk", "user_id", "email")
        if row.lowered != own.get(row.user_id)
    ]
    removed, _ = EmailAddress.objects.filter(pk__in=foreign).delete()
    EmailAddress.objects.filter(primary=False).update(primary=True)
    if removed:
        print(f"\n  {removed} adresse(s) électronique(s) étrangère(s) au compte retirée(s).")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_apitoken_expires_at_required"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(keep_only_the_own_address, migrations.RunPython.noop)]
