"""Batch scoring and auditing over a columnar dataset of evaluations (Parquet, Polars, Spark)."""
