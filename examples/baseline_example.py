"""The synthesized baseline inside a researcher's own training script, in the LEGO paper's data layout.

Run it as it is:  python examples/baseline_example.py [OUTPUT_DIR]

The paper's code (github.com/yizhangzzz/transformers-lego, `generate_data`)
hands a training loop arrays: `labels` (B, n), the 0/1 values in chain
order, and `order` (B, n, n), the one-hot clause order; its model gives one
prediction per clause as written (`pred`). This script makes arrays of that
shape with numpy (in your script: `np.asarray(tensor.cpu())`), fits the
baseline on 6 of 12 labels like the paper, scores a stand-in model and the
baseline by length and by chain position, and writes a tidy CSV of both
models over every test length (the rows `synth compare` writes for the same
files) and a JSON summary.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

import synth
from synth.report.tidy import write_csv

out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
out_dir.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(0)


def paper_batch(n: int, batch: int) -> tuple[np.ndarray, np.ndarray]:
    """Arrays shaped like generate_data's: labels (B, n) in chain order, one-hot order (B, n, n)."""
    labels = rng.integers(0, 2, (batch, n))
    order = np.zeros((batch, n, n), dtype=np.float32)
    for b in range(batch):
        order[b, np.arange(n), rng.permutation(n)] = 1  # order[b, j, i] = 1: written clause j is chain position i+1
    return labels, order


# 1. Fit on the paper's setting: 12 variables, labels on the first 6 along the chain.
y_train, order_train = paper_batch(12, 20)
baseline = synth.fit(synth.paper_data(y_train, order_train, supervised=6), timeout=120)
print("found program:")
print(baseline.text)

# 2. Test at the training length and longer; one .npz per length is what `synth compare` reads too.
reports, model_reports = [], []
test_records, model_answers = [], []  # every length's records and the stand-in's answers, for one pooled report each
for n in (12, 16, 24):
    y_test, order_test = paper_batch(n, 50)
    data = synth.paper_data(y_test, order_test)
    np.savez(out_dir / f"test_n{n}.npz", labels=y_test, order=order_test)
    # A stand-in for your model: right on the first 6 chain positions, a coin flip after them.
    chain = y_test.copy()
    chain[:, 6:] = rng.integers(0, 2, chain[:, 6:].shape)
    pred = np.take_along_axis(chain, order_test.argmax(axis=2), axis=1)  # per clause as written, like the model's pred
    np.savez(out_dir / f"model_n{n}.npz", pred=pred)
    model_reports.append(synth.score_predictions(data, pred))  # order="clause" (default): pred as the model gives it
    reports.append(baseline.score(data))
    assert (baseline.predict_arrays(data) == np.take_along_axis(y_test, order_test.argmax(axis=2), axis=1)).all()
    records = list(data)  # row b as a record: its sentence's clauses in written order, pred's columns
    test_records += records
    model_answers += [{c.lhs: v for c, v in zip(r.sentence.clauses, row)} for r, row in zip(records, pred.tolist())]

# 3. The length x position table: the stand-in model falls to chance past position 6, the program does not.
for name, reps in (("baseline", reports), ("stand-in model", model_reports)):
    print(f"{name}:")
    for rep in reps:
        cells = " ".join(f"{rep.cell(n, d).accuracy:.2f}" for n in rep.lengths for d in rep.positions)
        print(f"  n={rep.lengths[0]:>2}: {cells}")

# 4. A tidy CSV (one row per model, metric, length and position) and a JSON summary. Each model is scored
#    once over every test length, as `synth compare` pools its data files: the overall rows cover all three
#    lengths, and there is one row per length (and per length and position). Report.to_csv writes one report,
#    so two models go through their tidy rows.
csv_path = out_dir / "baseline_scores.csv"
pooled = {
    "synthesized": baseline.score(test_records),
    "stand-in model": synth.score_predictions(test_records, model_answers, notation="official"),  # 0/1 as the paper writes them
}
write_csv(csv_path, [row for name, rep in pooled.items() for row in rep.tidy_rows(name)])
(out_dir / "baseline_scores.json").write_text(json.dumps([r.to_dict() for r in reports], indent=1))
print(f"label accuracy {reports[-1].overall.accuracy:.4f} over {reports[-1].overall.total} labels at n = 24")

# 5. Strings work as well as arrays: predictions come back in the sentence's own notation.
print(baseline.predict("a = val 1 ,  b = not a , "), baseline.predict("a = +1; b = -a"))
print("wrote", csv_path)
print("next: synth compare", *(f"{out_dir}/test_n{n}.npz" for n in (12, 16, 24)),
      "--predictions", ",".join(f"{out_dir}/model_n{n}.npz" for n in (12, 16, 24)), "--name model --by length,position --supervised 6")
