"""Jixiao: budget performance self-evaluation (预算绩效自评) — read, model, score, audit, render."""

__version__ = "0.1.0"
