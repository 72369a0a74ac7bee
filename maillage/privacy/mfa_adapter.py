"""Second-factor secrets encrypted with the data keys (setting ``MFA_ADAPTER``).

allauth stores each TOTP secret and each recovery-code seed in ``Authenticator.data`` through
``MFA_ADAPTER.encrypt()``/``decrypt()``; this adapter seals them like identity values, bound to the context
``mfa.authenticator``. ``rotate_keys`` re-encrypts them with the other values, and encrypts secrets written in
clear before the adapter was configured.
"""

from allauth.mfa.adapter import DefaultMFAAdapter, get_adapter

from maillage.privacy.crypto import VERSION, decrypt, encrypt

CONTEXT = "mfa.authenticator"
SECRET_ITEMS = ("secret", "seed")  # TOTP secret, recovery-codes seed
SECRET_LISTS = ("migrated_codes",)  # recovery codes carried over from django-allauth's predecessor


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt(text, context=CONTEXT)

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(f"{VERSION}:"):
            # Written in clear before this adapter was configured (an older database): still usable, and
            # `rotate_keys` encrypts it.
            return encrypted_text
        return decrypt(encrypted_text, context=CONTEXT)


def secrets_encrypted() -> bool:
    """Whether the configured MFA adapter is this one (otherwise allauth keeps the secrets in clear)."""
    return isinstance(get_adapter(), MFAAdapter)


def stored_secrets(data: dict) -> list[str]:
    values = [data[item] for item in SECRET_ITEMS if isinstance(data.get(item), str)]
    for item in SECRET_LISTS:
        values.extend(data.get(item) or [])
    return values


def reencrypt_secrets(data: dict) -> dict:
    """The same data with every secret encrypted under the active key (secrets in clear included)."""

    def seal(value: str) -> str:
        plaintext = decrypt(value, context=CONTEXT) if value.startswith(f"{VERSION}:") else value
        return encrypt(plaintext, context=CONTEXT)

    updated = dict(data)
    for item in SECRET_ITEMS:
        if isinstance(data.get(item), str):
            updated[item] = seal(data[item])
    for item in SECRET_LISTS:
        if data.get(item):
            updated[item] = [seal(value) for value in data[item]]
    return updated
