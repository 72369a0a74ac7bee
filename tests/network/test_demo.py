"""The demonstration territory: `maillage load_demo` and the accounts file people sign in with."""

import io
import json
import stat

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, validate_totp_code
from django.core.management import CommandError, call_command

from maillage.accounts.models import User
from maillage.network.enums import OrganisationKind, ReferentKind, Role
from maillage.network.models import CommuneReferent, Membership, Organisation
from maillage.territories.models import Commune, Territory

ACCOUNT_KEYS = {"email", "password", "totp_secret", "roles", "organisation", "communes", "memberships"}
HERBIERS_COMMUNES = {
    "Les Herbiers",
    "Mouchamps",
    "Les Épesses",
    "Beaurepaire",
    "Vendrennes",
    "Mesnard-la-Barotière",
    "Saint-Paul-en-Pareds",
    "Saint-Mars-la-Réorthe",
}


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.DEMO_MODE = True
    return settings.VAR_DIR


@pytest.fixture
def demo(db, var_dir):
    output = load_demo()
    accounts = json.loads((var_dir / "demo-accounts.json").read_text(encoding="utf-8"))
    return accounts, output


def test_accounts_file_lists_every_user_with_the_agreed_keys(demo, var_dir):
    accounts, output = demo
    path = var_dir / "demo-accounts.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(var_dir.stat().st_mode) == 0o700
    assert {account["email"] for account in accounts} == set(User.objects.values_list("email", flat=True))
    assert len(accounts) >= 40
    for account in accounts:
        assert set(account) == ACCOUNT_KEYS
        assert account["email"] in output
        if account["memberships"]:
            first = account["memberships"][0]
            assert (account["roles"], account["organisation"], account["communes"]) == (
                first["roles"],
                first["organisation"],
                first["communes"],
            )
    assert "pyotp.TOTP" in output


def test_every_role_and_every_organisation_kind_is_shown(demo):
    accounts, _ = demo
    roles = {role for account in accounts for role in account["roles"]}
    roles |= {role for account in accounts for m in account["memberships"] for role in m["roles"]}
    assert roles == set(Role.values)
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(OrganisationKind.values)
    assert Organisation.objects.count() >= 20


def test_platform_admin_has_no_membership(demo):
    accounts, _ = demo
    (admin_account,) = [a for a in accounts if a["roles"] == ["platform_admin"]]
    assert admin_account["organisation"] is None
    assert admin_account["communes"] == []
    admin = User.objects.get(email=admin_account["email"])
    assert admin.is_platform_admin and admin.is_staff
    assert not admin.memberships.exists()


def test_each_commune_has_an_elected_and_an_agent_referent(demo):
    accounts, _ = demo
    communes = Commune.objects.filter(territory__name="Pays des Herbiers")
    assert set(communes.values_list("name", flat=True)) == HERBIERS_COMMUNES
    for commune in communes:
        kinds = set(CommuneReferent.objects.filter(commune=commune).values_list("kind", flat=True))
        assert kinds == set(ReferentKind.values), commune.name
    named = {name for account in accounts for m in account["memberships"] for name in m["communes"]}
    assert named == HERBIERS_COMMUNES
    for referent in CommuneReferent.objects.select_related("membership"):
        assert Role.REFERENT in referent.membership.roles


def test_some_people_hold_several_memberships_across_organisations_and_territories(demo):
    accounts, _ = demo
    several = [a for a in accounts if len(a["memberships"]) >= 2]
    assert several
    assert any(len({m["organisation"] for m in a["memberships"]}) >= 2 for a in several)
    assert any(len({m["territory"] for m in a["memberships"]}) >= 2 for a in several)
    parquet = Organisation.objects.get(name="Parquet de La Roche-sur-Yon")
    assert parquet.territories.count() == 2
    assert Membership.objects.filter(organisation=parquet).values("territory").distinct().count() == 2


def test_passwords_and_totp_secrets_of_the_file_are_the_enrolled_ones(demo):
    accounts, _ = demo
    for account in accounts:
        user = User.objects.get(email=account["email"])
        assert user.check_password(account["password"])
        code = pyotp.TOTP(account["totp_secret"]).now()
        assert validate_totp_code(account["totp_secret"], code)
        authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        assert TOTP(authenticator).validate_code(code)


def test_a_demo_referent_signs_in_with_password_and_totp(demo, client):
    accounts, _ = demo
    account = next(a for a in accounts if a["communes"])
    response = client.post("/accounts/login/", {"login": account["email"], "password": account["password"]})
    assert response.status_code == 302
    response = client.post(response["Location"], {"code": pyotp.TOTP(account["totp_secret"]).now()})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert account["organisation"] in home.content.decode()


def test_running_twice_changes_nothing(demo, var_dir):
    accounts_file = (var_dir / "demo-accounts.json").read_text(encoding="utf-8")
    counts = [model.objects.count() for model in (Territory, Commune, Organisation, User, Membership)]

    output = load_demo()

    assert "Démonstration déjà chargée" in output
    assert [model.objects.count() for model in (Territory, Commune, Organisation, User, Membership)] == counts
    assert (var_dir / "demo-accounts.json").read_text(encoding="utf-8") == accounts_file


def test_refused_outside_demo_mode(db, var_dir, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="MAILLAGE_DEMO"):
        load_demo()
    assert not Territory.objects.exists()
    assert not (var_dir / "demo-accounts.json").exists()
