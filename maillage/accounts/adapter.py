from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.models import Authenticator


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts come from a platform administrator or an organisation's invitation, never self sign-up.
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Managing second factors asks for the password again (a stolen session cannot swap them) — except the
        # very first enrolment, forced right after sign-in, when there is no factor yet to protect.
        user = getattr(self.request, "user", None)
        if app == "allauth.mfa" and user is not None and user.is_authenticated:
            if not Authenticator.objects.filter(user=user).exists():
                return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def send_password_reset_mail(self, user, email: str, context: dict) -> None:
        # A reset link goes only to the account's own address (`User.email`, set by its invitation), never
        # to another address found for it (a secondary `EmailAddress`, which whoever attached it could read).
        # The page answers the same either way, so nobody learns which addresses exist.
        if email.strip().casefold() != user.email.strip().casefold():
            return
        super().send_password_reset_mail(user, email, context)
