"""Cost of encryption, so that pages showing identities can budget for it (target: 100 decryptions < 5 ms)."""

import statistics
import time

from maillage.privacy.crypto import blind_index, decrypt, encrypt

TYPICAL_VALUES = (
    "Le Goff",
    "Marie-Hélène",
    "06 12 34 56 78",
    "Guérin-Bonnamy",
    "Jean-Pierre",
    "02 51 91 00 00",
    "N'Diaye",
    "marie.durand@example.org",
    "12 rue de la Gare, 85500 Les Herbiers",
    "Léa",
)
CONTEXT = "benchmark.person.value"


def _elapsed_ms(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def measure_encryption(n: int = 100, runs: int = 7) -> dict:
    """Median time, in milliseconds, to encrypt, decrypt and blind-index `n` typical values with the keyring.

    Needs the keys (`maillage init_keys`).
    Returns {"n", "runs", "encrypt_ms", "decrypt_ms", "blind_index_ms"}.
    """
    values = [TYPICAL_VALUES[i % len(TYPICAL_VALUES)] for i in range(n)]
    tokens = [encrypt(value, context=CONTEXT) for value in values]  # also loads the keyring once
    encrypt_times, decrypt_times, index_times = [], [], []
    for _ in range(runs):
        encrypt_times.append(_elapsed_ms(lambda: [encrypt(value, context=CONTEXT) for value in values]))
        decrypt_times.append(_elapsed_ms(lambda: [decrypt(token, context=CONTEXT) for token in tokens]))
        index_times.append(_elapsed_ms(lambda: [blind_index(value) for value in values]))
    return {
        "n": n,
        "runs": runs,
        "encrypt_ms": round(statistics.median(encrypt_times), 3),
        "decrypt_ms": round(statistics.median(decrypt_times), 3),
        "blind_index_ms": round(statistics.median(index_times), 3),
    }
