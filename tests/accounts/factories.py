import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from maillage.accounts import mfa
from maillage.accounts.models import User

DEFAULT_PASSWORD = "Un mot de passe de test assez long"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.test")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    class Params:
        platform_admin = factory.Trait(is_platform_admin=True, is_staff=True, is_superuser=True)
        # Enrolled in TOTP, with a secret tests can compute codes from (user.totp_secret).
        with_totp = factory.Trait(
            totp=factory.PostGeneration(lambda user, create, extracted, **kw: enrol_totp(user))
        )

    @factory.post_generation
    def email_address(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


def enrol_totp(user: User, secret: str | None = None) -> str:
    secret = secret or generate_totp_secret()
    TOTP.activate(user, secret)
    mfa.recovery_codes_enrol(user)  # as allauth's own enrolment does
    user.totp_secret = secret
    return secret
