import hashlib
import secrets
import uuid
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone


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
        verbose_name = "utilisateur·rice"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class ApiTokenScope(models.TextChoices):
    READ = "read", "Lecture seule"
    WRITE = "write", "Lecture et écriture"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A personal API token. Acts as the membership it was created under; only its hash is stored.

    It always expires, at most MAILLAGE_API_TOKEN_DAYS days after its creation (at the end of that day), and
    is revoked when its membership, account or organisation is deactivated."""

    PREFIX = "mlg_"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    membership = models.ForeignKey("network.Membership", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("nom", max_length=100)
    scope = models.CharField(
        "portée", max_length=10, choices=ApiTokenScope.choices, default=ApiTokenScope.READ
    )
    key_prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("expire le")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def hash_key(key: str) -> str:
        # The key carries 256 bits of randomness: a fast hash is enough and keeps look-ups cheap.
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def generate_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def last_allowed_day() -> date:
        """The last day a token created today may work."""
        return timezone.localdate() + timedelta(days=settings.MAILLAGE_API_TOKEN_DAYS)

    @staticmethod
    def end_of(day: date) -> datetime:
        """The last instant of `day` in the local time zone: a token works until the end of its last day."""
        return datetime.combine(day, time.max, tzinfo=timezone.get_current_timezone())

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
