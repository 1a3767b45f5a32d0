"""The check contract and the registry: one signature for every check, run in a fixed order."""

from __future__ import annotations

import re

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..ingest.notices import Notice
from ..model import Evaluation
from ..rubric.results import PackageScore
from .finding import Finding, Location, NotChecked, Severity

Result = Finding | NotChecked


@dataclass
class Context:
    """What a check may read: the package, its rescore, what the importer noticed, and the
    unit's package of the year before with its rescore (None when there is none)."""

    evaluation: Evaluation
    score: PackageScore
    notices: list[Notice] = field(default_factory=list)
    previous: Evaluation | None = None
    previous_score: PackageScore | None = None
    # A memory of per-table checks' results (get/put, as jixiao.lru.Lru) shared between audits;
    # the tables in project form once walked, or the one a per-table check is run on.
    remembered: Any = None
    tables: tuple | None = None
    texts: dict[int, str] = field(default_factory=dict)  # id(table) → its JSON, once an audit


_NESTED = re.compile(r"“([^“”]*)“([^“”]*)”([^“”]*)”")


def nested_quotes(text: str) -> str:
    """A quoted name that carries quotes of its own reads “‘三公经费’变动率”, not ““三公经费”变动率”."""
    return _NESTED.sub(r"“\1‘\2’\3”", text)


@dataclass(frozen=True)
class Check:
    code: str
    family: str
    severity: Severity
    title: str
    explanation: str
    tolerance: str
    run: Callable[[Check, Context], Iterable[Result]]

    def finding(
        self,
        message: str,
        location: Location,
        evidence: dict[str, Any] | None = None,
        expected: Any = None,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            code=self.code,
            severity=severity or self.severity,
            message=nested_quotes(message),
            location=location,
            evidence=evidence or {},
            expected=expected,
        )

    def skip(self, reason: str, location: Location | None = None) -> NotChecked:
        return NotChecked(code=self.code, reason=reason, location=location)


def check(code: str, severity: Severity, title: str, explanation: str, tolerance: str = "—") -> Callable[[Callable[[Check, Context], Iterator[Result]]], Check]:
    """Declares a check beside the function that runs it; the function gets (check, context)."""

    def wrap(function: Callable[[Check, Context], Iterator[Result]]) -> Check:
        return Check(code, code.split(".")[0], severity, title, explanation, tolerance, function)

    return wrap


def run_checks(checks: tuple[Check, ...], ctx: Context) -> tuple[list[Finding], list[NotChecked]]:
    """Runs every check; one that crashes becomes a finding naming it, and the rest still run."""
    findings: list[Finding] = []
    skipped: list[NotChecked] = []
    for item in checks:
        try:
            for result in item.run(item, ctx):
                (findings if isinstance(result, Finding) else skipped).append(result)
        except Exception as exc:  # a bug in a check must not hide the other checks' findings
            findings.append(
                Finding(
                    code="audit.check-failed",
                    severity="error",
                    message=f"检查 {item.code}（{item.title}）运行出错：{type(exc).__name__}，其余检查照常进行；请报告此问题",
                    location=Location(part="package"),
                    evidence={"check": item.code, "error": str(exc)[:200]},
                )
            )
    return findings, skipped


def amount(value: Decimal | None) -> str:
    return "空" if value is None else format(value, "f")
