"""Web fixtures: two bureaus, units in each, one account per role, and the town sample imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.ingest import import_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TOWN = EXAMPLES / "hengshan-kaiyun-town-2022.txt"
CITY = EXAMPLES / "hengyang-city-government-office-2022.txt"
PASSWORD = "s3cret-pass"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Seven accounts per test: the production hasher's deliberate slowness would dominate.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_failed_logins():
    """Failed sign-ins are counted in the cache; one test's must not lock another's users."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def evidence_folder(settings, tmp_path):
    """Each test's evidence files in its own folder, never in the data folder."""
    folder = tmp_path / "evidence"
    settings.STORAGES = {**settings.STORAGES, "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(folder)},
    }}
    return folder


@pytest.fixture(scope="session")
def town_doc():
    return import_file(TOWN)


@pytest.fixture(scope="session")
def city_doc():
    return import_file(CITY)


def _evaluation(unit, result):
    from jixiao.web import services

    return services.create(unit, result.evaluation.fiscal_year, result)


@pytest.fixture
def org(db, town_doc, city_doc):
    """Bureau A with units town (own) and city; bureau B with unit far. Users by role."""
    from django.contrib.auth import get_user_model

    from jixiao.web.models import Bureau, Profile, Role, Unit

    User = get_user_model()
    a = Bureau.objects.create(name="衡阳市财政局")
    b = Bureau.objects.create(name="长沙市财政局")
    town = Unit.objects.create(bureau=a, name="衡山县开云镇人民政府")
    city = Unit.objects.create(bureau=a, name="衡阳市人民政府办公室")
    far = Unit.objects.create(bureau=b, name="长沙市某局")

    def user(name, role, unit=None, bureau=None):
        u = User.objects.create_user(name, password=PASSWORD)
        Profile.objects.create(user=u, role=role, unit=unit, bureau=bureau)
        return u

    users = {
        "filler": user("filler", Role.FILLER, unit=town),
        "head": user("head", Role.HEAD, unit=town),
        "city_filler": user("city_filler", Role.FILLER, unit=city),
        "reviewer": user("reviewer", Role.REVIEWER, bureau=a),
        "far_reviewer": user("far_reviewer", Role.REVIEWER, bureau=b),
        "admin": user("admin", Role.ADMIN),
        "nobody": User.objects.create_user("nobody", password=PASSWORD),
    }
    far_doc = city_doc.evaluation.model_copy(update={"unit": city_doc.evaluation.unit.model_copy(update={"name": far.name})})
    return {
        "bureaus": (a, b),
        "units": {"town": town, "city": city, "far": far},
        "users": users,
        "town": _evaluation(town, town_doc),
        "city": _evaluation(city, city_doc),
        "far": _evaluation(far, type(city_doc)(city_doc.source, far_doc, list(city_doc.notices))),
    }


@pytest.fixture
def login(client):
    def as_(user):
        client.force_login(user)
        return client

    return as_


# Who runs each move in the fixtures' bureau when a test only needs the package moved on.
MOVED_BY = {"ask_head": "filler", "submit": "head", "return_to_filler": "head", "withdraw": "filler",
            "start_review": "reviewer", "send_back": "reviewer", "approve": "reviewer", "reopen": "reviewer"}


@pytest.fixture
def advance(org):
    """Move the town evaluation along the review loop as its people would, every error explained
    first (so the submission gate lets it through); returns it as it then stands."""
    from jixiao.web import services, workflow
    from jixiao.web.models import Waiver

    def run(*moves):
        town = org["town"]
        for f in services.analyse(town).open_errors:
            Waiver.objects.create(evaluation=town, fingerprint=f.fingerprint, code=f.code, message=f.message,
                                  reason="以批复文件为准", author=org["users"]["filler"])
        for name in moves:
            town = workflow.move(town, name, org["users"][MOVED_BY[name]], "原因说明" if name in workflow.REASONS else "")
        return town

    return run
