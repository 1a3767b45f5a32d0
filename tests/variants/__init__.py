"""A layout-variant corpus: packages in every published layout family, written in every format.

``generate(seed)`` gives one package (a ``Variant``) with the evaluation the importer must
produce from it; ``run_corpus`` imports many and reports the share imported exactly.
"""

from .generator import (
    FAMILIES,
    FORMATS,
    Variant,
    first_differences,
    generate,
    run_corpus,
)

__all__ = ["FAMILIES", "FORMATS", "Variant", "first_differences", "generate", "run_corpus"]
