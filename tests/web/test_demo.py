"""`jixiao demo`: the bureau, the two sample units with their packages, and the accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from jixiao.web.demo import PASSWORD, load_demo
from jixiao.web.models import Evaluation, Profile, Role, Unit


def test_demo_loads_once_and_leaves_changes_alone(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    lines = load_demo()
    assert any("jixiao-demo" in line for line in lines)
    assert {u.name for u in Unit.objects.all()} == {"衡山县开云镇人民政府", "衡阳市人民政府办公室"}
    assert {(p.user.username, p.role) for p in Profile.objects.select_related("user")} == {
        ("kaiyun", Role.FILLER), ("kaiyun-head", Role.HEAD), ("hengyang", Role.FILLER), ("hengyang-head", Role.HEAD),
        ("reviewer", Role.REVIEWER), ("admin", Role.ADMIN),
    }
    heads = Profile.objects.filter(role=Role.HEAD).select_related("unit")
    assert {p.unit.name for p in heads} == {"衡山县开云镇人民政府", "衡阳市人民政府办公室"}
    town = Evaluation.objects.get(unit__name="衡山县开云镇人民政府")
    assert town.summary["errors"] == 3 and len(town.summary["execution_rates"]) == 2
    for name in ("kaiyun", "kaiyun-head", "hengyang", "hengyang-head", "reviewer", "admin"):
        assert get_user_model().objects.get(username=name).check_password(PASSWORD)
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("a-real-secret")
    admin.save()
    load_demo()
    assert Evaluation.objects.count() == 2 and Profile.objects.count() == 6
    assert not get_user_model().objects.get(username="admin").check_password(PASSWORD)  # never reset to the public password
