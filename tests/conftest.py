"""Shared fixtures: the shipped rubrics and the two sample packages typed into JSON."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from jixiao.model import Evaluation, load_evaluation
from jixiao.rubric.loader import CompiledRubric, find_rubric, load_rubric

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def department_rubric() -> CompiledRubric:
    return find_rubric("hengshan-2022-department")


@pytest.fixture(scope="session")
def project_rubric() -> CompiledRubric:
    return find_rubric("mof-2020-project")


@pytest.fixture(scope="session")
def kaiyun() -> Evaluation:
    return load_evaluation(EXAMPLES / "kaiyun-2022.json")


@pytest.fixture(scope="session")
def hengyang() -> Evaluation:
    return load_evaluation(EXAMPLES / "hengyang-2022.json")


@pytest.fixture
def write_rubric(tmp_path: Path):
    """Writes a YAML text (dedented) as ``<id>.yaml`` and loads it."""

    def write(text: str, name: str = "t") -> CompiledRubric:
        path = tmp_path / f"{name}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return load_rubric(path)

    return write


class _DecimalLoader(yaml.SafeLoader):
    """YAML for test packages: 3.60 stays Decimal('3.60')."""


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node)))


def package(text: str) -> Evaluation:
    """A small evaluation from a few lines of YAML, so that a test reads like the form."""
    data = yaml.load(textwrap.dedent(text), Loader=_DecimalLoader) or {}
    data.setdefault("unit", {"name": "测试单位"})
    data.setdefault("fiscal_year", 2022)
    return Evaluation.model_validate(data)
