import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class MaillageUserManager(UserManager):
    def _create_user(self, username, email, password, **extra_fields):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(None, email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, is_platform_admin=True)
        return self._create_user(None, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. Signs in with e-mail + password + second factor; roles come from memberships."""

    username = None
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("courriel", unique=True)
    # Technical administrator: manages territories, organisations and accounts, never nominative data.
    # Holds no membership, so no role that could open a situation.
    is_platform_admin = models.BooleanField("administration technique", default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = MaillageUserManager()

    class Meta:
        verbose_name = "compte utilisateur"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email
