"""The Django admin of the technical administrator: every registered model is read-only or audited, and no
admin page can set an e-mail address, a password or a second factor of another account (an address attached
there would receive that account's password reset: a takeover).

The tests walk `admin.site._registry` as the URLconf leaves it: registering a writable admin later, or an
editable credential field, makes them fail.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin
from django.urls import URLResolver, get_resolver, reverse

import config.urls  # noqa: F401  (the URLconf adjusts admin.site: login, permission, password change)
from maillage.audit.models import AuditEntry
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory, enrol_totp
from tests.api.helpers import create_token
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
# What lets someone sign in as a person: where the reset link goes, the password, the second factors.
CREDENTIAL_MODELS = [EmailAddress, Authenticator]
CREDENTIAL_FIELDS = {"email", "password", "key_hash"}
ATTACKER = "technique.perso@exemple.test"


@pytest.fixture
def world(platform_admin, commune):
    """One row at least of every registered model, created after the signed-in platform admin: the newest
    row of each model is the one changed."""
    member = MembershipFactory(territory=commune.territory, roles=["coordinator"], communes=[commune])
    enrol_totp(member.user)
    create_token(member)
    # A plain account with no membership: every flag of it may change.
    return UserFactory(first_name="Sans", last_name="Adhésion")


@pytest.fixture
def platform_admin(client, db):
    """A platform admin as `createsuperuser` makes them (and the demo's): staff and superuser too."""
    user = UserFactory(platform_admin=True)
    assert user.is_staff and user.is_superuser and user.is_platform_admin
    sign_in(client, user)
    return user


def url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def target(model):
    return model.objects.order_by("-pk").first()


def form_data(form, formsets=()) -> dict:
    """What the browser would send back for an untouched change form (and its inline formsets)."""
    data = {}
    for bound in [*form, *(f for formset in formsets for f in [*formset.management_form, *formset.forms])]:
        for item in [bound] if isinstance(bound, forms.BoundField) else list(bound):
            value = item.value()
            if isinstance(item.field, forms.BooleanField):
                if value:
                    data[item.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[item.html_name] = [str(v) for v in value]
            else:
                data[item.html_name] = "" if value is None else str(value)
    return data


def altered(field: forms.Field, value):
    """Another valid value for an editable field; a field the test cannot alter fails it (teach it here)."""
    if isinstance(field, forms.BooleanField):
        return None if value else "on"
    if isinstance(field, forms.ChoiceField) and len(field.choices) > 1:
        return next(str(choice) for choice, _label in field.choices if str(choice) != str(value))
    if isinstance(field, forms.CharField):
        return f"{value} (modifié)"
    pytest.fail(f"The admin edits a {type(field).__name__}: teach this test to change it.")


def stored(obj) -> dict:
    return {
        f.attname: getattr(type(obj).objects.get(pk=obj.pk), f.attname) for f in obj._meta.concrete_fields
    }


def admin_form(client, model, obj):
    """The change form the admin renders for `obj`, with its inline formsets."""
    response = client.get(url(model, "change", obj.pk))
    assert response.status_code == 200
    return response.context["adminform"].form, [f.formset for f in response.context["inline_admin_formsets"]]


@pytest.mark.django_db
def test_every_registered_model_has_a_row_to_check(world):
    assert REGISTERED, "nothing is registered in the admin"
    missing = [model._meta.label for model in REGISTERED if target(model) is None]
    assert not missing, f"Create a row of {missing} in the `world` fixture."


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_nothing_is_added_or_deleted_in_the_admin(client, platform_admin, world, model):
    obj = target(model)
    model_admin = admin.site._registry[model]
    assert client.get(url(model, "add")).status_code == 403
    assert client.post(url(model, "add"), {}).status_code == 403
    assert client.get(url(model, "delete", obj.pk)).status_code == 403
    assert client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    changelist = client.get(url(model, "changelist"))
    assert changelist.status_code == 200
    assert "delete_selected" not in model_admin.get_actions(changelist.wsgi_request)
    bulk = client.post(
        url(model, "changelist"), {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302, 403)
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_change_through_the_admin_is_refused_or_audited(client, platform_admin, world, model):
    obj = target(model)
    page = client.get(url(model, "change", obj.pk))
    assert page.status_code == 200
    if not admin.site._registry[model].has_change_permission(page.wsgi_request, obj):
        before = stored(obj)
        assert client.post(url(model, "change", obj.pk), {}).status_code == 403
        assert stored(obj) == before
        return

    form, formsets = admin_form(client, model, obj)
    editable = [name for name in form.fields if not form.fields[name].disabled]
    assert editable, f"{model._meta.label}: a writable admin without an editable field"
    for name in editable:
        form, formsets = admin_form(client, model, obj)
        data = form_data(form, formsets)
        data.pop(name, None)
        new_value = altered(form.fields[name], form[name].value())
        if new_value is not None:
            data[name] = new_value
        before = stored(obj)
        entries = AuditEntry.objects.filter(actor_user_id=platform_admin.pk).count()

        response = client.post(url(model, "change", obj.pk), data)

        assert response.status_code == 302, (
            model,
            name,
            response.context and response.context["adminform"].form.errors,
            data,
        )
        assert stored(obj) != before, f"{model._meta.label}.{name} did not change"
        new_entries = AuditEntry.objects.filter(actor_user_id=platform_admin.pk).order_by("sequence")[
            entries:
        ]
        assert [e for e in new_entries if e.object_public_id == getattr(obj, "public_id", None)], (
            f"Changing {model._meta.label}.{name} through the admin wrote no audit entry by the admin"
        )


@pytest.mark.django_db
def test_credential_models_are_not_writable_in_the_admin(client, platform_admin, world):
    request = client.get(reverse("admin:index")).wsgi_request
    for model in CREDENTIAL_MODELS:
        model_admin = admin.site._registry.get(model)
        if model_admin is not None:
            assert not model_admin.has_add_permission(request), model
            assert not model_admin.has_change_permission(request), model
            assert not model_admin.has_delete_permission(request), model
    assert client.get(f"/admin/{EmailAddress._meta.app_label}/emailaddress/add/").status_code in (403, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_no_admin_form_edits_an_address_a_password_or_a_second_factor(client, platform_admin, world, model):
    obj = target(model)
    html = client.get(url(model, "change", obj.pk)).content.decode()
    assert not re.search(r'<input[^>]*type="password"', html)
    for field in CREDENTIAL_FIELDS:
        assert not re.search(rf'<(input|textarea|select)[^>]*name="{field}"', html), (model, field)
    for form in admin_forms(client, model, obj):
        assert not CREDENTIAL_FIELDS & set(form.fields), (model, form.fields)


def admin_forms(client, model, obj):
    form, formsets = admin_form(client, model, obj)
    return [form, *(f for formset in formsets for f in formset.forms)]


@pytest.mark.django_db
def test_posting_an_address_or_a_password_to_the_account_admin_changes_neither(client, platform_admin, world):
    form, formsets = admin_form(client, type(world), world)
    data = {**form_data(form, formsets), "email": ATTACKER, "password": "Un autre mot de passe bien long"}
    data["password1"] = data["password2"] = data["password"]

    client.post(url(type(world), "change", world.pk), data)

    world.refresh_from_db()
    assert world.email != ATTACKER
    assert world.check_password(DEFAULT_PASSWORD)
    assert not EmailAddress.objects.filter(email=ATTACKER).exists()


@pytest.mark.django_db
def test_the_admin_password_pages_lead_to_allauths_audited_form(client, platform_admin, world):
    """No admin route offers a password form: the admin's own change-password page is allauth's."""
    allauth_form = reverse("account_change_password")
    for route in admin_routes():
        if "password" not in route:
            continue
        assert "<" not in route, f"/{route}: a password page for one account"
        response = client.get("/" + route)
        assert response.status_code in (200, 302), route
        if response.status_code == 302:
            assert response["Location"] == allauth_form
        assert 'type="password"' not in response.content.decode(), route

    response = client.post(
        reverse("admin:password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": "Pris par l'admin 2026", "new_password2": "Pris"},
    )
    assert response.status_code == 302 and response["Location"] == allauth_form
    platform_admin.refresh_from_db()
    assert platform_admin.check_password(DEFAULT_PASSWORD)


def admin_routes(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from admin_routes(entry.url_patterns, prefix + str(entry.pattern))
        elif (prefix + str(entry.pattern)).startswith("admin/"):
            yield prefix + str(entry.pattern)
