"""What the review-loop tests do over and over: post a transition, re-read, open the page."""

from __future__ import annotations


def move(client, evaluation, name, comment=""):
    return client.post(f"/evaluations/{evaluation.pk}/transition/{name}", {"comment": comment})


def fresh(evaluation):
    evaluation.refresh_from_db()
    return evaluation


def page(client, evaluation):
    return client.get(f"/evaluations/{evaluation.pk}/").content.decode()


def check_refusal(client, evaluation, name, state, status, reason):
    """A transition tried from ``state``: answered ``status`` (with ``reason``, if any); when
    refused, nothing changed — state, version, comments."""
    type(evaluation).objects.filter(pk=evaluation.pk).update(state=state)
    response = move(client, evaluation, name, "原因")
    assert response.status_code == status
    if reason:
        assert reason in response.content.decode()
    assert (fresh(evaluation).state, evaluation.version, evaluation.comments.count()) == (state, 1, 0)
