"""The web application: units fill in and submit, the finance bureau reviews (Django).

A thin front end over the library: every figure, score and finding shown here comes from
``jixiao.rubric``, ``jixiao.audit`` and ``jixiao.render``; this package stores documents,
people and the review loop.
"""
