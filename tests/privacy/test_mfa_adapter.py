import io

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.core.management import CommandError, call_command

from maillage.privacy import keys
from maillage.privacy.crypto import DecryptionError
from maillage.privacy.keys import DATA
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

ADAPTER = "maillage.privacy.mfa_adapter.MFAAdapter"
CLEAR = "allauth.mfa.adapter.DefaultMFAAdapter"  # what a database older than the adapter was written with


def rotate(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command("rotate_keys", *args, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


def totp_of(user) -> Authenticator:
    return Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)


def test_second_factor_secrets_are_stored_encrypted_and_still_work(settings):
    settings.MFA_ADAPTER = ADAPTER
    user = UserFactory()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).generate_codes()
    key_id = keys.keyring().active_id(DATA)
    stored_secret = totp_of(user).data["secret"]
    assert stored_secret.startswith(f"v1:{key_id}:")
    assert secret not in stored_secret
    assert (
        Authenticator.objects.get(user=user, type="recovery_codes").data["seed"].startswith(f"v1:{key_id}:")
    )
    assert TOTP(totp_of(user)).validate_code(pyotp.TOTP(secret).now())
    recovery = Authenticator.objects.get(user=user, type="recovery_codes")
    assert RecoveryCodes(recovery).generate_codes() == codes


def test_a_tampered_secret_fails_loudly(settings):
    settings.MFA_ADAPTER = ADAPTER
    user = UserFactory()
    TOTP.activate(user, generate_totp_secret())
    authenticator = totp_of(user)
    Authenticator.objects.filter(pk=authenticator.pk).update(
        data={"secret": authenticator.data["secret"][:-2] + "AA"}
    )
    with pytest.raises(DecryptionError, match="mfa.authenticator"):
        TOTP(totp_of(user)).validate_code("123456")


def test_rotation_encrypts_secrets_kept_in_clear_then_moves_them_to_new_keys(settings):
    settings.MFA_ADAPTER = CLEAR
    user = UserFactory()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    assert totp_of(user).data["secret"] == secret

    settings.MFA_ADAPTER = ADAPTER
    assert "mfa.Authenticator.data — en clair : 2" in rotate(status=True)
    rotate()
    old = keys.keyring().active_id(DATA)
    assert totp_of(user).data["secret"].startswith(f"v1:{old}:")
    assert TOTP(totp_of(user)).validate_code(pyotp.TOTP(secret).now())

    rotate("--new")
    new = keys.keyring().active_id(DATA)
    assert totp_of(user).data["secret"].startswith(f"v1:{new}:")
    assert f"mfa.Authenticator.data — {new} (active) : 2" in rotate(status=True)
    rotate(retire=old)
    keys.reload()
    cache.clear()  # the same code was used above: allauth refuses a code twice
    assert TOTP(totp_of(user)).validate_code(pyotp.TOTP(secret).now())


def test_a_key_still_sealing_secrets_cannot_be_retired(settings):
    settings.MFA_ADAPTER = ADAPTER
    user = UserFactory()
    TOTP.activate(user, generate_totp_secret())
    old = keys.keyring().active_id(DATA)
    keys.add_keys()
    with pytest.raises(CommandError, match="mfa.Authenticator.data : 1"):
        rotate(retire=old)


def test_a_secret_written_in_clear_before_the_adapter_still_signs_in(settings):
    settings.MFA_ADAPTER = CLEAR
    user = UserFactory()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    settings.MFA_ADAPTER = ADAPTER
    assert TOTP(totp_of(user)).validate_code(pyotp.TOTP(secret).now())
