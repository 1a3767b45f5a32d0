"""A new year's package pre-filled from last year's: what carries over, what stays blank, and a
pre-filled package agreeing with last year's by construction."""

from __future__ import annotations

from conftest import EXAMPLES
from jixiao.audit.report import audit
from jixiao.model import load_evaluation
from jixiao.model.blank import blank_evaluation, from_previous


def test_last_years_finals_become_this_years_prior_finals_and_nothing_of_this_year_is_invented(department_rubric, project_rubric):
    last = load_evaluation(EXAMPLES / "hengyang-2022.json")
    blank = blank_evaluation(last.unit.name, 2023, department_rubric.rubric.scorecard())
    new = from_previous(blank, last)
    assert (new.fiscal_year, new.unit.name, new.base_data.staffing.authorized) == (2023, last.unit.name, last.base_data.staffing.authorized)
    assert new.base_data.staffing.actual is None and new.scorecard == blank.scorecard and new.narrative == blank.narrative
    data, old = new.base_data, last.base_data
    assert data.basic_expenditure.prior_final == old.basic_expenditure.final and data.basic_expenditure.final is None
    assert data.three_public.reception.prior_final == old.three_public.reception.final
    assert [(p.name, p.prior_final, p.budget, p.final) for p in data.projects] == [(p.name, p.final, None, None) for p in old.projects]
    assert [t.name for t in new.projects] == [t.name for t in last.projects]
    for table, before in zip(new.projects, last.projects, strict=True):
        assert [(i.name, i.target, i.points) for i in table.indicators] == [(i.name, i.target_adjusted or i.target, i.points) for i in before.indicators]
        assert all(i.actual is None and i.score is None for i in table.indicators)
        assert table.funds.total.executed is None and table.total_stated is None and table.layout == before.layout
    history = [f for f in audit(new, department_rubric, project_rubric, previous=last).findings if f.code.startswith("history.")]
    assert history == []
