"""Django admin: what allauth registers and Maillage does not want there. Accounts themselves are registered
by `maillage.network.admin`, since changing an account's flags acts on its memberships too."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.models import Group

# Second-factor secrets are never shown, not even to the technical administrator: whoever reads a TOTP secret
# can pass as its owner. Factors are managed by each person on their « Sécurité » page.
admin.site.unregister(Authenticator)
# An address attached here would receive someone else's password reset; each account has exactly one,
# set by its invitation. Groups are unused (roles live on memberships).
admin.site.unregister(EmailAddress)
admin.site.unregister(Group)
