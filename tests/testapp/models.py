from django.db import models

from maillage.privacy.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedEmailField,
    EncryptedTextField,
)


class Person(models.Model):
    first_name = EncryptedCharField(max_length=150, blank=True)
    first_name_index = BlindIndexField(source="first_name")
    last_name = EncryptedCharField(max_length=150)
    last_name_index = BlindIndexField(source="last_name")
    phone = EncryptedCharField(max_length=30, blank=True)
    email = EncryptedEmailField(blank=True)
    address = EncryptedTextField(blank=True)
    birth_date = EncryptedDateField(null=True, blank=True)
    note = models.CharField(max_length=100, blank=True)  # not encrypted: reads as typed

    def __str__(self):
        return f"Person {self.pk}"
