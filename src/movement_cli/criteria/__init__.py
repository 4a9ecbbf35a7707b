"""Loading and validating the criteria and policy files (YAML): bundled ones and the
locality's own (config ``criteria_dir``). YAML is imported only when a file is read."""

from movement_cli.criteria.files import (
    CriteriaFile,
    check_file,
    check_paths,
    discover,
)
from movement_cli.criteria.load import (
    load_classification,
    load_commendation,
    load_legal_bases,
    load_model_unit_sets,
    load_policy,
    load_safety_standard,
)
from movement_cli.criteria.schema import FILE_KINDS

__all__ = [
    "FILE_KINDS",
    "CriteriaFile",
    "check_file",
    "check_paths",
    "discover",
    "load_classification",
    "load_commendation",
    "load_legal_bases",
    "load_model_unit_sets",
    "load_policy",
    "load_safety_standard",
]
