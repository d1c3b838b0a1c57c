"""The task layer the synthesizer reads: load_task, fresh_examples, agrees, contradictions."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from dsl.errors import UserError
from dsl.groups import get_group
from dsl.types import CLAUSE, ELEM, SYM, ListT, MapT
from dsl.values import MapValue
from synth.cli import main
from tasks.lego.generate import generate
from tasks.lego.solve import solve
from tasks.sequence.io import SequenceSpec
from tasks.sequence.tasks import cycle_navigation, even_pairs, modular_arithmetic, parity_check, reverse_string
from tasks.task import agrees, contradictions, fresh_examples, load_task, task_from_records

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")

LEGO_FILES = ["lego_z2_official.json", "lego_z2_paper.json", "lego_signs.json", "lego_z5.json",
              "lego_s3_chain.json", "lego_s3_tree.json", "lego_d4_chain.json", "lego_d4_tree.json"]
SEQ_FILES = ["parity_check.json", "cycle_navigation.json", "reverse_string.json", "even_pairs.json"]


@pytest.mark.parametrize("name", LEGO_FILES)
def test_bundled_lego_tasks_load(name):
    task = load_task(os.path.join(EXAMPLES, name))
    assert task.family == "lego" and task.input_types == (("clauses", ListT(CLAUSE)),)
    assert task.output_type == MapT(SYM, ELEM) and task.train and task.test
    for ex in task.train + task.test:
        assert isinstance(ex.output, MapValue)


@pytest.mark.parametrize("name", SEQ_FILES)
def test_bundled_sequence_tasks_load(name):
    task = load_task(os.path.join(EXAMPLES, name))
    assert task.family == "sequence" and len(task.train) <= 5
    assert all(len(ex.inputs["xs"]) <= 8 for ex in task.train)
    fresh = fresh_examples(task, 500, 3, seed=0)
    assert all(len(ex.inputs["xs"]) == 500 for ex in fresh)


def test_paper_setting_labels_first_six():
    task = load_task(os.path.join(EXAMPLES, "lego_z2_paper.json"))
    assert all(len(ex.output) == 6 and len(ex.inputs["clauses"]) == 12 for ex in task.train)


def test_bundled_lego_files_are_reproducible(tmp_path):
    from tasks.examples import write_lego

    for path in write_lego(str(tmp_path)):
        with open(path) as a, open(os.path.join(EXAMPLES, os.path.basename(path))) as b:
            assert a.read() == b.read(), path


def test_bundled_sequence_files_are_what_their_seed_draws(tmp_path):
    """The seed was chosen by examples/make_tasks.py; the bytes follow from it."""
    import json

    from tasks.examples import SEQUENCE_TASKS, informative, sequence_test_set, sequence_training_set
    from tasks.sequence.io import write_sequence_task

    for name in SEQUENCE_TASKS:
        path = os.path.join(EXAMPLES, f"{name}.json")
        with open(path) as f:
            text = f.read()
        seed = json.loads(text)["seed"]
        train = sequence_training_set(name, seed)
        assert informative(name, train)
        out = tmp_path / f"{name}.json"
        with open(out, "w", newline="\n") as f:
            write_sequence_task(name, train, sequence_test_set(name), f, seed=seed)
        assert out.read_text() == text, name


def test_fresh_lego_examples_are_fully_labelled():
    task = load_task(os.path.join(EXAMPLES, "lego_d4_tree.json"))
    exs = fresh_examples(task, 40, 3, seed=1)
    assert len(exs) == 3 and all(len(ex.inputs["clauses"]) == 40 and len(ex.output) == 40 for ex in exs)
    assert exs[0].output[exs[0].inputs["clauses"][0]["lhs"]].group.name == "D4"
    assert fresh_examples(task, 40, 3, seed=1) == exs


def test_agrees_on_partial_maps():
    z2 = get_group("Z2")
    a, b = z2.elements
    expected = MapValue({"x": a})
    assert agrees(expected, MapValue({"x": a, "y": b}))
    assert not agrees(expected, MapValue({"y": a}))
    assert not agrees(expected, MapValue({"x": b}))
    assert agrees(3, 3) and not agrees((1, 2), (2, 1))


def test_contradictions_name_the_records():
    (rec,) = generate(6, 1, seed=0)
    values = solve(rec.sentence)
    var = next(iter(values))
    z2 = rec.sentence.group
    other = z2.elements[1 - values[var].index]
    from tasks.lego.sentence import LegoRecord

    task = task_from_records([rec, LegoRecord(rec.sentence, {var: other})], name="t")
    found = contradictions(task)
    assert len(found) == 1 and "1 and 2" in found[0] and var in found[0]
    assert contradictions(task_from_records([rec, rec], name="t")) == []


def test_load_task_rejects_contradicting_labels_unless_asked(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"family": "lego", "group": "Z2", "train": [{"sentence": "a = +1; b = -a;", "labels": {"b": 1}}]}))
    with pytest.raises(UserError, match="contradicts"):
        load_task(path)
    assert load_task(path, check_labels=False).train[0].output["b"].index == 0


def test_sequence_errors_are_user_errors(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"family": "sequence", "name": "parity_check", "train": [{"input": {"xs": [1, 1]}, "output": 1}]}))
    with pytest.raises(UserError, match="contradicts"):
        load_task(path)
    path.write_text(json.dumps({"family": "sequence", "name": "parity_check", "train": [{"input": {"xs": [1, 3]}, "output": 0}]}))
    with pytest.raises(UserError, match="outside"):
        load_task(path)


def test_sequence_semantics_follow_the_deepmind_code():
    # The examples in the docstrings of the authors' code.
    assert parity_check([1, 0, 1, 0, 1, 0, 0]) == 1 and parity_check([0, 1, 1, 1, 1]) == 0
    assert cycle_navigation([2, 0, 1, 0, 0]) == 3  # moves +1 -1 0 -1 -1 -> -2 = class 3
    assert cycle_navigation([2, 2, 2, 0]) == 2
    assert even_pairs([0, 0, 1, 1, 1, 0]) == 0 and even_pairs([0, 1, 0, 1, 0, 0, 1]) == 1
    assert reverse_string([0, 1, 1, 0, 1, 0]) == (0, 1, 0, 1, 1, 0)
    # modular arithmetic mod 5 with tokens 5 '+', 6 '-', 7 '*'
    assert modular_arithmetic([1, 5, 2, 7, 3]) == 2 and modular_arithmetic([1, 6, 1, 6, 1]) == 4
    assert modular_arithmetic([0, 7, 1, 5, 4, 7, 3, 6, 2]) == 0


def test_gen_is_byte_for_byte_deterministic(tmp_path):
    runner = CliRunner()
    outs = []
    for i in range(2):
        path = tmp_path / f"o{i}.txt"
        r = runner.invoke(main, ["gen", "lego", "--n", "12", "--count", "200", "--seed", "5", "--supervised", "6", "--format", "official", "-o", str(path)])
        assert r.exit_code == 0, r.output
        outs.append(path.read_bytes())
    assert outs[0] == outs[1]
    r = runner.invoke(main, ["gen", "lego", "--n", "12", "--count", "200", "--seed", "6", "--format", "official"])
    assert r.output.encode() != outs[0]


@pytest.mark.parametrize("fmt", ["official", "signs", "readable", "jsonl", "kazemnejad", "task"])
def test_gen_formats_validate(tmp_path, fmt):
    path = tmp_path / "d"
    runner = CliRunner()
    test = ["--test-count", "5"] if fmt == "task" else []  # test records are a task file's alone (other formats refuse the option)
    r = runner.invoke(main, ["gen", "lego", "--n", "8", "--count", "20", "--format", fmt, *test, "-o", str(path)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["validate", str(path)])
    assert r.exit_code == 0, r.output + r.stderr
    # kazemnejad: one record per query on the second half of the chain (4 of 8), as their generator writes
    assert {"task": "25 records", "kazemnejad": "80 records"}.get(fmt, "20 records") in r.output


def test_gen_kazemnejad_numbers_queries_from_0_like_their_generator():
    import json

    r = CliRunner().invoke(main, ["gen", "lego", "--n", "7", "--count", "3", "--format", "kazemnejad", "--seed", "1"])
    lines = [json.loads(x) for x in r.output.splitlines()]
    assert len(lines) == 3 * 3 and [x["cat"] for x in lines[:3]] == [[7, 4], [7, 5], [7, 6]]
    for x in lines:
        chain = [v for v, _ in x["truth_values"]]
        assert len(chain) == 7 and chain.index(x["query"]) == x["cat"][1]


def test_gen_rejects_z2_syntax_for_other_groups():
    r = CliRunner().invoke(main, ["gen", "lego", "--group", "S3", "--format", "official"])
    assert r.exit_code == 2 and "readable" in r.stderr


def test_gen_sequence_task(tmp_path):
    path = tmp_path / "s.json"
    r = CliRunner().invoke(main, ["gen", "sequence", "even_pairs", "--count", "4", "-o", str(path)])
    assert r.exit_code == 0
    task = load_task(path)
    assert task.spec == SequenceSpec(task="even_pairs", alphabet=2, constants=(0, 1, 2)) and len(task.train) == 4


def test_a_path_as_bytes_loads_as_the_same_path_does():
    """os functions take bytes paths; so does load_task (it was a TypeError inside)."""
    path = os.path.join(EXAMPLES, "parity_check.json")
    assert load_task(os.fsencode(path)) == load_task(path)
