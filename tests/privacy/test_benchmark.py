from maillage.privacy.benchmark import measure_encryption


def test_measure_encryption_reports_median_times():
    result = measure_encryption(n=20, runs=3)
    assert result["n"] == 20
    assert result["runs"] == 3
    for figure in ("encrypt_ms", "decrypt_ms", "blind_index_ms"):
        assert 0 < result[figure] < 1000, figure
