import re

import pytest
from django.core import mail

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.demo.seeding import DEMO_ACCOUNTS, demo_accounts_ensure
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="vi"' in html
    assert "Đăng nhập" in html
    assert "Quên mật khẩu?" in html


def test_english_is_available(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in html and "Log in" in html


def test_login_and_logout(client, make_user):
    user = make_user(Role.COMMUNE_OFFICER)
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == user
    client.post("/accounts/logout/")
    assert not client.get("/").context["user"].is_authenticated


def test_wrong_password_shows_a_vietnamese_error(client, make_user):
    user = make_user()
    response = client.post("/accounts/login/", {"username": user.username, "password": "sai"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_failed_logins_are_rate_limited(client, make_user, settings):
    user = make_user()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": user.username, "password": "sai"})
    # Locked out now, even with the right password.
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "tạm khoá" in response.content.decode() or "tạm khóa" in response.content.decode()


def test_api_basic_auth_is_rate_limited_too(client, make_user, settings):
    import base64

    user = make_user()
    bad = base64.b64encode(f"{user.username}:sai".encode()).decode()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.get("/api/v1/admin-units/", HTTP_AUTHORIZATION=f"Basic {bad}")
    good = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
    response = client.get("/api/v1/admin-units/", HTTP_AUTHORIZATION=f"Basic {good}")
    assert response.status_code in (403, 429)


def test_password_change(client, make_user):
    user = make_user()
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Mới-rất-dài-2026",
            "new_password2": "Mới-rất-dài-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Mới-rất-dài-2026")


def test_password_change_needs_login(client):
    response = client.get("/accounts/password/change/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_password_reset_by_email(client, make_user):
    user = make_user(email="chuthe@example.test")
    client.post("/accounts/password/reset/", {"email": "chuthe@example.test"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Đặt lại mật khẩu" in message.subject
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Đặt-lại-mới-2026", "new_password2": "Đặt-lại-mới-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Đặt-lại-mới-2026")


def test_password_reset_does_not_reveal_unknown_addresses(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_navigation_depends_on_role(client, make_user):
    admin = make_user(Role.SYSTEM_ADMIN, is_staff=True)
    producer = make_user(Role.PRODUCER)
    client.force_login(admin)
    assert 'href="/admin/"' in client.get("/").content.decode()
    client.force_login(producer)
    html = client.get("/").content.decode()
    assert 'href="/admin/"' not in html
    assert 'href="/map/"' in html


def test_users_for_user_scopes_by_jurisdiction(make_user, unit):
    vinh_long = unit("86", "province")
    an_hoi, ba_tri = unit("28777"), unit("29110")
    province_officer = make_user(Role.PROVINCE_OFFICER, [vinh_long])
    officer_an_hoi = make_user(Role.COMMUNE_OFFICER, [an_hoi])
    producer_ba_tri = make_user(Role.PRODUCER, [ba_tri])
    other_province = make_user(Role.PROVINCE_OFFICER, [unit("01", "province")])
    ministry = make_user(Role.MINISTRY_OFFICER)

    seen = set(User.objects.for_user(province_officer))
    assert {province_officer, officer_an_hoi, producer_ba_tri} <= seen
    assert other_province not in seen
    assert set(User.objects.for_user(officer_an_hoi)) == {officer_an_hoi}
    assert set(User.objects.for_user(ministry)) >= {province_officer, other_province}


def test_jurisdiction_of_a_province_covers_its_communes(make_user, unit):
    officer = make_user(Role.PROVINCE_OFFICER, [unit("86", "province")])
    assert officer.jurisdiction_communes().count() == 124
    producer = make_user(Role.PRODUCER, [unit("28777")])
    assert list(producer.jurisdiction_provinces().values_list("code", flat=True)) == ["86"]


def test_demo_accounts_one_per_role_and_rerun_keeps_them(tmp_path, monkeypatch):
    monkeypatch.setattr("apps.demo.seeding.CREDENTIALS_FILE", tmp_path / "creds.json")
    first = demo_accounts_ensure()
    assert {a.role for a in first} == set(Role.values)
    assert len(first) == len(DEMO_ACCOUNTS)
    assert all(User.objects.get(username=a.username).is_demo for a in first)
    second = demo_accounts_ensure()
    assert [a.password for a in second] == [a.password for a in first]
    for account in second:
        assert User.objects.get(username=account.username).check_password(account.password)
