"""lego-synth: enumerative program synthesis as an exact baseline for length generalization.

In a notebook or a training script:

    import synth
    task = synth.load_task("examples/lego_z2_official.json")
    result = synth.synthesize(task, timeout=60)
    print(result.text, result.cost, result.stats)
    result(task.test[0].inputs)            # run the program on one input

    baseline = synth.fit(train_records)     # LEGO records, e.g. from tasks.lego.io.read_records
    report = baseline.score(test_records)   # accuracy overall, by length, by chain position
    report.to_csv("synth_baseline.csv")
"""

from synth.report.baseline import Baseline, fit, fit_task, load, score_predictions
from synth.search.solver import Result, Stats, synthesize
from tasks.task import Task, load_task

__all__ = [
    "Baseline",
    "Result",
    "Stats",
    "Task",
    "fit",
    "fit_task",
    "load",
    "load_task",
    "score_predictions",
    "synthesize",
]
