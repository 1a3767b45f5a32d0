"""An evaluation's analysis is computed once per version and shared through the database by every
worker process; what a process keeps for itself is bounded."""

from __future__ import annotations

import pytest

import jixiao
from jixiao.lru import Lru
from jixiao.model import dump_evaluation
from jixiao.web import analysed, services
from jixiao.web.models import Analysed, Evaluation


@pytest.fixture
def computed(monkeypatch):
    """How many times a package was scored and audited."""
    calls = []
    real = services._analyse

    def counting(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(services, "_analyse", counting)
    return calls


def _save(evaluation: Evaluation, value: str) -> Evaluation:
    doc = services.document(evaluation)
    doc.base_data.staffing.actual = value
    return services.store(evaluation, doc, evaluation.version, "测试")


def test_another_worker_reads_the_analysis_the_save_stored_instead_of_computing_it(org, computed):
    town = _save(org["town"], "30")
    assert len(computed) == 1  # the save analysed its new version, for its summary
    analysed.forget_local()  # a second worker process: nothing in its memory
    other = Evaluation.objects.get(pk=town.pk)
    analysis = services.analyse(other)
    assert len(computed) == 1 and analysis.document.base_data.staffing.actual == 30
    assert analysis.summary() == other.summary
    assert Analysed.objects.filter(evaluation=town, version=town.version).count() == 1


def test_a_new_release_or_an_edited_rubric_file_never_reads_an_old_analysis(org, computed, monkeypatch):
    town = org["town"]
    analysed.forget_local()
    services.analyse(town)
    assert computed == []  # read back from the database
    analysed.forget_local()
    monkeypatch.setattr(jixiao, "__version__", "9.9.9")
    monkeypatch.setattr(analysed, "__version__", "9.9.9")
    services.analyse(Evaluation.objects.get(pk=town.pk))
    assert len(computed) == 1


def test_a_document_changed_behind_the_version_is_analysed_again(org, computed):
    town = org["town"]
    services.analyse(town)
    doc = services.document(town)
    doc.base_data.staffing.actual = 77
    Evaluation.objects.filter(pk=town.pk).update(document=dump_evaluation(doc))  # an admin's repair
    assert services.analyse(Evaluation.objects.get(pk=town.pk)).document.base_data.staffing.actual == 77


def test_the_stored_analyses_are_pruned_and_a_processs_own_copies_bounded(org, monkeypatch):
    monkeypatch.setattr(analysed, "KEEP_VERSIONS", 3)
    town = org["town"]
    for value in range(10, 16):
        town = _save(town, str(value))
    kept = sorted(Analysed.objects.filter(evaluation=town).values_list("version", flat=True))
    assert kept == [town.version - 2, town.version - 1, town.version]
    monkeypatch.setattr(analysed, "_local", Lru(analysed.LOCAL_MAX, len(town.document) * 2 + 1))
    analysed.forget_local()
    for version in kept:
        analysed._remember(f"k{version}", len(town.document), object())
    assert len(analysed._local) == 2  # bounded by the size of the documents held


def test_an_unreadable_stored_analysis_is_computed_again(org, computed):
    town = org["town"]
    Analysed.objects.filter(evaluation=town).update(payload=b"not a pickle")
    analysed.forget_local()
    assert services.analyse(Evaluation.objects.get(pk=town.pk)).document.unit.name == town.unit.name
    assert len(computed) == 1


def test_a_workers_threads_share_its_copies_safely(monkeypatch):
    """gunicorn's gthread workers serve several requests of one process at once: one thread
    evicting while another adds must not break either (a 500 under load once)."""
    import sys
    import threading

    monkeypatch.setattr(analysed, "_local", Lru(3, analysed.LOCAL_CHARS))
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns as often as they can: the race shows at once
    errors = []

    def churn(n: int) -> None:
        try:
            for i in range(3000):
                analysed._remember(f"{n}-{i}", 1, i)
                analysed._recall(f"{n}-{i - 1}")
        except RuntimeError as exc:
            errors.append(exc)

    try:
        threads = [threading.Thread(target=churn, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
        analysed.forget_local()
    assert errors == [] and len(analysed._local) <= 3
