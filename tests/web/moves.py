"""What the review-loop tests do over and over: post a transition, re-read, open the page."""

from __future__ import annotations


def move(client, evaluation, name, comment=""):
    return client.post(f"/evaluations/{evaluation.pk}/transition/{name}", {"comment": comment})


def fresh(evaluation):
    evaluation.refresh_from_db()
    return evaluation


def page(client, evaluation):
    return client.get(f"/evaluations/{evaluation.pk}/").content.decode()
