"""Model fields for nominative values: encrypted at rest, searchable only through a keyed blind index.

    class Person(models.Model):
        last_name = EncryptedCharField("nom", max_length=150)
        last_name_index = BlindIndexField(source="last_name")
        birth_date = EncryptedDateField("date de naissance", null=True, blank=True)

    Person.objects.filter(blind_match("last_name_index", "Le Goff"))

- Columns are `text` holding ``v1:<key id>:<…>`` (see :mod:`maillage.privacy.crypto`); the value is bound to
  ``<app label>.<model name>.<field name>``, so renaming the model or the field needs a migration that
  re-encrypts its values.
- ``None`` is stored as NULL and ``""`` as ``""``, unencrypted: that a value is absent is not a secret, and it
  keeps ``isnull`` filters and "required field" checks simple.
- Reading a value that cannot be decrypted raises DecryptionError naming model, field and key id.
- The only lookup allowed is ``isnull``: ordering or filtering ciphertext means nothing. Look values up with
  their blind index (`blind_match`). ``QuerySet.update()`` does not refresh blind indexes: change encrypted
  values through ``save()`` (services do); ``save(update_fields=…)`` must name the index with its source.
"""

import datetime

from django.core import checks
from django.core.exceptions import FieldDoesNotExist, FieldError, ImproperlyConfigured
from django.db import models
from django.db.models import Q, signals

from maillage.privacy.crypto import blind_index, blind_index_values, decrypt, encrypt


class EncryptedFieldMixin:
    """Encrypts on the way to the database, decrypts on the way back. Subclasses give the Python type."""

    def get_internal_type(self) -> str:
        return "TextField"

    @property
    def encryption_context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def value_to_text(self, value) -> str:
        return str(value)

    def text_to_value(self, text: str):
        return text

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        for option in ("primary_key", "unique", "db_index"):
            if getattr(self, option):
                errors.append(
                    checks.Error(
                        f"{option}=True n'a pas de sens sur un champ chiffré : chaque chiffré est unique.",
                        hint="Ajoutez un BlindIndexField(source=…) pour rechercher ou contrôler l'unicité.",
                        obj=self,
                        id="privacy.E001",
                    )
                )
        return errors

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(self.value_to_text(value), context=self.encryption_context)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return self.text_to_value(decrypt(value, context=self.encryption_context))

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(self._lookup_refused(lookup_name))

    def get_transform(self, lookup_name):
        raise FieldError(self._lookup_refused(lookup_name))

    def _lookup_refused(self, lookup_name: str) -> str:
        return (
            f"{self.model._meta.label}.{self.name} est chiffré : « {lookup_name} » est impossible, seul "
            f"« isnull » l'est. Cherchez par l'index aveugle : filter(blind_match('<index>', valeur)). / "
            f"{self.name} is encrypted: only 'isnull' lookups work; use its blind index (blind_match)."
        )


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    """Free text (an address, a note) encrypted at rest."""


class EncryptedCharField(EncryptedFieldMixin, models.CharField):
    """A short value (a name, a phone number); `max_length` limits the value typed, not the stored text."""


class EncryptedEmailField(EncryptedFieldMixin, models.EmailField):
    """An e-mail address encrypted at rest."""


class EncryptedDateField(EncryptedFieldMixin, models.DateField):
    """A date (a date of birth) encrypted at rest, stored as its ISO form."""

    def value_to_text(self, value: datetime.date) -> str:
        return value.isoformat()

    def text_to_value(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)

    def contribute_to_class(self, cls, name, **kwargs):
        # Skip DateField's get_next_by_<name>() helpers: they compare values, which encryption forbids.
        models.Field.contribute_to_class(self, cls, name, **kwargs)


class BlindIndexField(models.CharField):
    """Keyed index of an encrypted field, filled on save: ``<index key id>:<HMAC-SHA256 hex>``, or NULL.

    Equal for values that differ only by case, accents, punctuation and spacing (see ``crypto.normalise``).
    """

    INDEX_MAX_LENGTH = 100  # key id (32 at most) + ":" + 64 hex digits

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("db_index", True)
        kwargs.update(max_length=self.INDEX_MAX_LENGTH, editable=False, null=True, blank=True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for forced in ("max_length", "editable", "null", "blank"):
            kwargs.pop(forced, None)
        if kwargs.get("db_index") is True:
            del kwargs["db_index"]
        else:
            kwargs["db_index"] = False
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        try:
            source = self.model._meta.get_field(self.source)
        except FieldDoesNotExist:
            source = None
        if not isinstance(source, EncryptedFieldMixin):
            errors.append(
                checks.Error(
                    f"La source « {self.source} » de {self.name} doit être un champ chiffré du même modèle.",
                    obj=self,
                    id="privacy.E002",
                )
            )
        return errors

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            signals.pre_save.connect(_refuse_stale_blind_index, sender=cls)

    def index_of(self, instance) -> str | None:
        value = getattr(instance, self.source)
        if value is None or value == "":
            return None
        if isinstance(value, datetime.date):
            value = value.isoformat()
        return blind_index(str(value))

    def pre_save(self, model_instance, add):
        value = self.index_of(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def _refuse_stale_blind_index(sender, instance, update_fields=None, **kwargs):
    if update_fields is None:
        return
    for field in sender._meta.concrete_fields:
        if (
            isinstance(field, BlindIndexField)
            and field.source in update_fields
            and field.name not in update_fields
        ):
            raise ImproperlyConfigured(
                f"save(update_fields=…) met à jour {field.source} sans {field.name} : l'index aveugle serait "
                f"périmé. Ajoutez « {field.name} » à update_fields. / "
                f"Saving {field.source} without {field.name} would leave a stale blind index."
            )


def blind_match(index_field: str, value: str) -> Q:
    """Filter on a blind index: ``Person.objects.filter(blind_match("last_name_index", "Le Goff"))``.

    Matches values indexed under any known index key, so look-ups keep working while keys rotate. An empty
    value matches nothing.
    """
    return Q(**{f"{index_field}__in": blind_index_values(value)})
