"""The administrator's pages: reachable by the admin only, and evaluations not editable there."""

from __future__ import annotations

import pytest


@pytest.fixture
def superuser(org):
    admin = org["users"]["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    return admin


def test_admin_pages_answer_for_the_administrator(org, login, superuser):
    client = login(superuser)
    for url in ["/admin/", "/admin/web/unit/", "/admin/web/bureau/", "/admin/auth/user/", "/admin/web/evaluation/",
                f"/admin/web/evaluation/{org['town'].pk}/change/", f"/admin/web/evaluation/{org['town'].pk}/history/",
                f"/admin/auth/user/{org['users']['filler'].pk}/change/"]:
        assert client.get(url).status_code == 200, url
    page = client.get("/admin/auth/user/").content.decode()
    assert "填报人" in page and "衡山县开云镇人民政府" in page


def test_evaluations_cannot_be_changed_in_admin(org, login, superuser):
    town = org["town"]
    response = login(superuser).post(f"/admin/web/evaluation/{town.pk}/change/", {"fiscal_year": "1999", "version": "99"})
    assert response.status_code == 403
    town.refresh_from_db()
    assert town.fiscal_year == 2022


@pytest.mark.parametrize("role", ["filler", "reviewer"])
def test_others_are_kept_out_of_admin(org, login, role):
    response = login(org["users"][role]).get("/admin/web/unit/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
