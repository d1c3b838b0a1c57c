"""LEGO (Zhang et al. 2022): sentences of clauses `x = g y`, resolved along a chain.

    from tasks.lego import generate, solve, depths, read_records, write_records
    from tasks.lego import parse_sentence, format_sentence, detect_syntax
"""

from tasks.lego.errors import LegoDataError
from tasks.lego.generate import generate, iter_generate
from tasks.lego.io import check_record, read_records, read_task_file, write_records, write_task_file
from tasks.lego.sentence import Clause, LegoRecord, Sentence
from tasks.lego.solve import chain_order, depths, solve
from tasks.lego.syntax import detect_syntax, format_sentence, parse_sentence

__all__ = [
    "Clause", "LegoDataError", "LegoRecord", "Sentence", "chain_order", "check_record", "depths",
    "detect_syntax", "format_sentence", "generate", "iter_generate", "parse_sentence", "read_records",
    "read_task_file", "solve", "write_records", "write_task_file",
]
