"""Fuzzing the readers as a library: valid files first, then damage; accepted or a UserError, nothing else.

Entry points: LEGO records in every format (read_records, with and without
skip_bad), task files (read_task_file; open and sequence task files), the
predictions readers (LEGO's, and a task file's for compare), JSON through
dsl.files, the program loader, and JSON inputs decoded for a program.
Valid data must round-trip unchanged.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import UserError
from dsl.files import load_json
from dsl.parse import load_program
from dsl.printer import show
from dsl.strategies import inputs_for, json_text, mutated_bytes, mutated_json, mutated_json_line, programs
from dsl.values import from_json, to_json
from synth.report.compare import read_prediction_lines
from tasks.lego.io import read_records, read_task_file, write_records, write_task_file
from tasks.strategies import records

FORMATS = ("jsonl", "kazemnejad", "task", "official", "signs", "readable")
WORK = Path(tempfile.mkdtemp(prefix="lego-fuzz-"))


def encode(recs: list, fmt: str) -> bytes:
    buf = io.StringIO()
    if fmt == "task":  # the last record is the test set, unless it is the only one: a task must train on something
        train, test = (recs[:-1], recs[-1:]) if len(recs) > 1 else (recs, [])
        write_task_file(train, test, buf, group=recs[0].sentence.group.name)
    else:
        write_records(recs, fmt, buf)
    return buf.getvalue().encode("utf-8")


@st.composite
def data_files(draw, hostile: bool = True) -> tuple[str, list, bytes]:
    """(format, records, bytes of a file holding them), damaged when `hostile` (one JSON record, or the bytes)."""
    fmt = draw(st.sampled_from(FORMATS))
    group = "Z2" if fmt in ("official", "signs", "kazemnejad") else draw(st.sampled_from(["Z2", "Z5", "S3", "D4"]))
    recs = draw(st.lists(records(group=group, max_size=6), min_size=1, max_size=4))
    data = encode(recs, fmt)
    if hostile:
        data = draw(st.one_of(mutated_json_line(data), mutated_bytes(data)))
    return fmt, recs, data


def write(data: bytes, name: str = "data") -> Path:
    path = WORK / name
    path.write_bytes(data)
    return path


def read_or_refuse(read, *args, **kwargs):
    """`read(...)`, or None if it refuses the input with a UserError; any other exception fails the test."""
    try:
        return read(*args, **kwargs)
    except UserError:
        return None


def test_lego_readers_never_crash(fuzz: settings) -> None:
    @fuzz
    @given(data_files(), st.booleans())
    def check(file, skip_bad):
        _, _, data = file
        path = write(data)
        read_or_refuse(lambda: list(read_records(path, skip_bad=skip_bad)))
        read_or_refuse(read_task_file, path)

    check()


def test_lego_records_round_trip(fuzz: settings) -> None:
    @fuzz
    @given(data_files(hostile=False), st.sampled_from(["", "bom", "crlf", "bom+crlf"]))
    def check(file, dress):
        fmt, recs, data = file
        if "crlf" in dress:
            data = data.replace(b"\n", b"\r\n")
        if "bom" in dress:
            data = b"\xef\xbb\xbf" + data
        reader = read_records(write(data))
        got = list(reader)
        assert [r.sentence for r in got] == [r.sentence for r in recs]
        assert [dict(r.labels) for r in got] == [dict(r.labels) for r in recs]
        assert reader.format == ("text" if fmt in ("official", "signs", "readable") else fmt)

    check()


@st.composite
def prediction_files(draw) -> bytes:
    recs = draw(st.lists(records(group="Z2", max_size=5), min_size=1, max_size=4))
    lines = [json.dumps({"id": str(i), "labels": {v: int(x.index) for v, x in r.labels.items()}}) for i, r in enumerate(recs)]
    data = ("\n".join(lines) + "\n").encode()
    return draw(st.one_of(mutated_json_line(data), mutated_bytes(data)))


def test_predictions_reader_never_crashes(fuzz: settings) -> None:
    @fuzz
    @given(prediction_files())
    def check(data):
        read_or_refuse(lambda: list(read_prediction_lines(write(data, "p.jsonl"))))

    check()


def test_json_files_never_crash(fuzz: settings) -> None:
    """dsl.files.load_json: the reader behind task files, --weights, --input-file."""
    @fuzz
    @given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                        max_leaves=12).flatmap(lambda obj: st.tuples(st.just(obj), mutated_bytes(json.dumps(obj).encode()))))
    def check(pair):
        obj, data = pair
        assert load_json(write(json.dumps(obj).encode(), "ok.json")) == obj  # valid JSON round-trips
        read_or_refuse(load_json, write(data, "bad.json"))

    check()


def test_program_loader_never_crashes(fuzz: settings) -> None:
    @fuzz
    @given(programs(max_depth=3).flatmap(lambda p: st.tuples(st.just(p), mutated_bytes(show(p).encode()))))
    def check(pair):
        program, data = pair
        assert load_program(write(show(program).encode(), "ok.dsl")) == program  # valid programs round-trip
        read_or_refuse(load_program, write(data, "bad.dsl"))

    check()


def test_program_inputs_decode_or_refuse(fuzz: settings) -> None:
    @fuzz
    @given(programs(max_depth=2).flatmap(lambda p: st.tuples(st.just(p), inputs_for(p))), st.data())
    def check(pair, data):
        program, inputs = pair
        obj = {k: to_json(v) for k, v in inputs.items()}
        assert {p.name: from_json(obj[p.name], p.type) for p in program.inputs} == inputs  # round-trip
        bad = data.draw(mutated_json(obj))
        try:
            loaded = load_json(write(json_text(bad).encode(), "in.json"))
            if isinstance(loaded, dict):
                for p in program.inputs:
                    if p.name in loaded:
                        from_json(loaded[p.name], p.type)
        except UserError:
            pass

    check()


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TASK_FILES = sorted(EXAMPLES.glob("open/*.json")) + [EXAMPLES / f"{n}.json" for n in ("parity_check", "even_pairs", "reverse_string")]


def test_task_files_of_every_family_load_or_refuse(fuzz: settings) -> None:
    """tasks.families.load_task on open and sequence task files: valid ones load the same, damaged ones load or refuse."""
    from tasks.families import load_task

    originals = {p: p.read_bytes() for p in TASK_FILES}
    baseline = {p: load_task(write(data, p.name)) for p, data in originals.items()}

    @fuzz
    @given(st.sampled_from(TASK_FILES).flatmap(
        lambda p: st.tuples(st.just(p), st.one_of(mutated_json_line(originals[p]), mutated_bytes(originals[p])))))
    def check(pair):
        path, data = pair
        assert load_task(write(originals[path], path.name)) == baseline[path]  # valid files load unchanged
        read_or_refuse(load_task, write(data, "bad_" + path.name))

    check()


def test_task_file_predictions_read_or_refuse(fuzz: settings) -> None:
    """synth.report.taskcompare.read_task_predictions (compare on a non-LEGO task file): valid lines read back, damaged ones read or refuse."""
    from synth.report.taskcompare import read_task_predictions
    from tasks.families import load_task

    tasks = {p: load_task(str(p)) for p in (EXAMPLES / "reverse_string.json", EXAMPLES / "parity_check.json")}
    valid = {p: ("".join(json.dumps({"output": to_json(ex.output)}) + "\n" for ex in t.test)).encode() for p, t in tasks.items()}

    @fuzz
    @given(st.sampled_from(sorted(tasks)).flatmap(
        lambda p: st.tuples(st.just(p), st.one_of(mutated_json_line(valid[p]), mutated_bytes(valid[p])))))
    def check(pair):
        path, data = pair
        task = tasks[path]
        assert read_task_predictions(write(valid[path], "ok.jsonl"), task).outputs == tuple(ex.output for ex in task.test)
        read_or_refuse(read_task_predictions, write(data, "p.jsonl"), task)
        read_or_refuse(lambda: read_task_predictions(write(data, "q.jsonl"), task, partial=True))

    check()
