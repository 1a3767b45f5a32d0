"""The same compiled rubrics on Spark (a local[2] session, one per module) give the same
answers as the per-package engine."""

import shutil

import pytest

from batch_cases import hard_cases, sample, synth
from jixiao.batch.differential import compare
from jixiao.rubric.choose import project_rubrics
from synth import RUBRICS

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="Spark 需要 Java 17，本机没有 java")


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="pyspark 未安装（pip install jixiao[spark]）")
    from jixiao.batch.spark_score import session

    spark = session("local[2]")
    spark.sparkContext.setLogLevel("ERROR")
    yield spark
    spark.stop()
    session.cache_clear()


def test_spark_scores_agree_with_the_per_package_engine(spark):
    # one rubric's layout (seed % 4 == 0 is the national family): each rubric is a plan of its own
    evaluations = hard_cases() + [e for e in sample(40)[10:] if all(t.layout == "national-2020" for t in e.projects)]
    result = compare(evaluations, project_rubrics(), engine="spark", spark=spark)
    assert result.disagreements == []
    assert result.units >= 15 and result.indicators > 300


def test_spark_scores_generated_units_as_the_per_package_engine(spark):
    # deadlines in the fiscal year, negated figures on wide integers, units of measure
    department, project = RUBRICS
    result = compare(synth(200, start=7_000), project, department, engine="spark", spark=spark)
    print(f"spark synth: units {result.units}, per package {result.fallback}, indicators {result.indicators}, tables {result.tables}")
    assert result.disagreements == []
    assert result.units >= 10 and result.indicators > 200
