"""The synthesized baseline inside a researcher's own script.

Fit on training records, predict test sentences, score by length and by
chain position, and write a CSV to merge into your own results table.
Run it as it is:  python examples/baseline_example.py [OUTPUT_DIR]

In your own script, read your files instead of generating data:
    from tasks.lego.io import read_records
    train = list(read_records("train.jsonl"))   # any format synth reads
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import synth
from tasks.lego.generate import generate

out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
out_dir.mkdir(parents=True, exist_ok=True)

# 1. Training data as in the LEGO paper: 12 variables, clauses shuffled,
#    labels only on the first 6 along the chain. A few sentences are enough.
train = generate(12, 20, seed=0, supervise=6)

# 2. Fit: search for the cheapest program consistent with those labels.
baseline = synth.fit(train, timeout=120)
print("found program:")
print(baseline.text)

# 3. Predict on test sentences, longer than any seen in training.
test = [rec for n in (8, 12, 16, 24) for rec in generate(n, 50, seed=n)]
predictions = baseline.predict([rec.sentence for rec in test])
first = test[0]
print("a test sentence has", len(first.sentence), "variables; predicted", len(predictions[0]), "values")

# 4. Score by length, by chain position, and whole sentences.
report = baseline.score(test)
print(f"label accuracy {report.overall.fraction:.4f} over {report.overall.count} labels")
for n, acc in report.rows("length"):
    print(f"  length {n:>3}: {acc.fraction:.4f} ({acc.count} labels)")
print("positions scored:", [p for p, _ in report.rows("position")][:5], "...")

# 5. A CSV (long format: section, key, accuracy, correct, count) and a dict to merge.
report.to_csv(out_dir / "baseline_scores.csv", model="synthesized")
(out_dir / "baseline_scores.json").write_text(json.dumps(report.to_dict(), indent=1))

# 6. Score your own model's predictions the same way (here: a model that always says 0).
mine = [{c.lhs: 0 for c in rec.sentence.clauses} for rec in test]
print(f"always-0 model: {synth.score_predictions(test, mine).overall.fraction:.4f}")
print("wrote", out_dir / "baseline_scores.csv")
