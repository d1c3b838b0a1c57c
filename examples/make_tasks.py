"""Regenerate the bundled task files in examples/, deterministically.

    python examples/make_tasks.py [DIR]

LEGO files come from tasks.examples as they are. For the sequence tasks, five
random examples of length <= 8 rarely pin the rule down: many programs
cheaper than the intended one fit them (run `synth solve FILE --all 5` on a
random set to see the shortcuts). So seeds are tried in order until the
synthesizer's first answer on the training set is exact on fresh inputs of
length 100: the files hold a teaching set, chosen with the synthesizer, and
say so here. The claim they support is that five such examples exist, not
that any five do.
"""

from __future__ import annotations

import sys

from synth.report.generalize import score
from synth.search.solver import synthesize
from tasks.examples import write_all
from tasks.sequence import get_sequence_task
from tasks.task import Task


def pins_down_the_rule(name: str, train: list) -> bool:
    spec = get_sequence_task(name)
    from tasks.sequence.io import sequence_spec

    task = Task(name, "sequence", spec.input_types, spec.output_type, tuple(train), (), sequence_spec(spec))
    result = synthesize(task, timeout=30)
    if result.program is None:
        return False
    fresh = spec.examples(100, 50, seed=12345)
    return score(result.program, fresh, "fresh").accuracy == 1.0


if __name__ == "__main__":
    for path in write_all(sys.argv[1] if len(sys.argv) > 1 else "examples", accept=pins_down_the_rule):
        print(path)
