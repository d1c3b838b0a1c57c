"""eval, compare and invariance refuse what they would get wrong or silently ignore: exit 2, one message, no work done."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from synth.cli import main
from tasks.lego.generate import generate
from tasks.lego.io import write_records

ROOT = Path(__file__).resolve().parents[3]
LEGO_PROGRAM = ROOT / "examples" / "lego.dsl"
RUNNER = CliRunner(**({"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner).parameters else {}))


def run(*args: object):
    return RUNNER.invoke(main, [str(a) for a in args])


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    data = tmp_path / "data.jsonl"
    with open(data, "w") as out:
        write_records(generate(4, 3, 1), "jsonl", out)
    preds = tmp_path / "preds.jsonl"
    assert run("eval", LEGO_PROGRAM, data, "-o", preds).exit_code == 0
    folder = tmp_path / "folder"
    folder.mkdir()
    return {"data": data, "preds": preds, "folder": folder, "tmp": tmp_path}


def test_eval_refuses_predictions_and_csv_both_on_standard_output(files):
    """Before: the JSONL lines, then the CSV, on one stream, exit 0 (G9)."""
    r = run("eval", LEGO_PROGRAM, files["data"], "--predict", "-o", "-", "--csv", "-")
    assert r.exit_code == 2 and "-o - and --csv - would share standard output: send all but one of them to files" in r.stderr
    assert r.stdout == ""


@pytest.mark.parametrize(
    "args, shared",
    [
        (["compare", "{data}", "--predictions", "{preds}", "--csv", "-", "--plot", "-"], "--csv - and --plot -"),
        (["eval", LEGO_PROGRAM, "{data}", "--predict", "-o", "/dev/stdout", "--csv", "-"], "-o /dev/stdout and --csv -"),
        (["solve", ROOT / "examples" / "parity_check.json", "-o", "/dev/stdout", "--json"], "-o /dev/stdout and --json"),
    ],
    ids=["compare-csv-plot", "eval-dev-stdout", "solve-dev-stdout"],
)
def test_two_outputs_on_standard_output_are_refused_whatever_they_are_called(files, args, shared):
    """Audit 8 H1, H2: CSV then PNG bytes on one stream; /dev/stdout beside `-` lost one of the two, exit 0."""
    r = run(*[str(a).format(**files) for a in args])
    assert r.exit_code == 2 and f"{shared} would share standard output" in r.stderr, r.stderr
    assert r.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["eval", LEGO_PROGRAM, "{data}", "--csv", "{folder}"],
        ["eval", LEGO_PROGRAM, "{data}", "-o", "{folder}"],
        ["eval", "{folder}", "{data}"],
        ["invariance", "score", "{data}", "--predictions", "{folder}"],
        ["invariance", "score", "{folder}", "--predictions", "{preds}"],
        ["invariance", "transform", "{data}", "-o", "{folder}"],
        ["invariance", "run", LEGO_PROGRAM, "{folder}"],
        ["compare", "{data}", "--predictions", "{folder}"],
        ["compare", "{data}", "--predictions", "{preds}", "--csv", "{folder}"],
        ["compare", "{data}", "--program", "{folder}"],
    ],
)
def test_a_folder_given_as_a_file_is_one_message_naming_it(files, args):
    """Before: a click usage banner for some (eval --csv, invariance score --predictions), 'cannot read: Is a directory' for others (G11)."""
    r = run(*[str(a).format(**files) for a in args])
    assert r.exit_code == 2, r.output
    assert r.stderr.strip() == f"error: {files['folder']}: is a folder, not a file"


@pytest.mark.parametrize(
    "option",
    [["--plot-size", "3x3"], ["--train-length", "12"], ["--plot-kind", "position"], ["--plot-format", "png"], ["--program-name", "foo"], ["--logits"]],
)
def test_compare_refuses_options_that_would_change_nothing(files, option):
    """Before: each ignored without a word, exit 0 (G6)."""
    r = run("compare", files["data"], "--predictions", files["preds"], *option)
    assert r.exit_code == 2, r.output
    assert f"{option[0]} is for" in r.stderr or f"{option[0]} names the column of --program" in r.stderr
    assert r.stdout == ""


def test_compare_takes_those_options_where_they_mean_something(files):
    pytest.importorskip("matplotlib")
    figure = files["tmp"] / "f.png"
    r = run("compare", files["data"], "--predictions", files["preds"], "--program", LEGO_PROGRAM, "--program-name", "mine",
            "--plot", figure, "--plot-size", "3x3", "--train-length", "4", "--plot-kind", "position", "--json")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert "mine" in json.loads(r.stdout)["models"] and figure.read_bytes().startswith(b"\x89PNG")


def test_compare_refuses_a_figure_name_saying_another_format(files):
    """Before: `--plot f.pdf --plot-format png` wrote PNG bytes into f.pdf (G7)."""
    pytest.importorskip("matplotlib")
    figure = files["tmp"] / "f.pdf"
    r = run("compare", files["data"], "--predictions", files["preds"], "--plot", figure, "--plot-format", "png")
    assert r.exit_code == 2 and f"{figure}: the name says pdf, but --plot-format says png" in r.stderr
    assert not figure.exists()
    suffixless = files["tmp"] / "figure"
    assert run("compare", files["data"], "--predictions", files["preds"], "--plot", suffixless, "--plot-format", "png").exit_code == 0
    assert suffixless.read_bytes().startswith(b"\x89PNG")


def test_compare_refuses_an_empty_plot_size_and_names_its_format_option(files):
    """CLI audit: `--plot-size ''` (an unset shell variable) drew at the default size, exit 0; `compare` does have --plot-format."""
    figure = files["tmp"] / "f.png"
    r = run("compare", files["data"], "--predictions", files["preds"], "--plot", figure, "--plot-size", "")
    assert r.exit_code == 2 and "--plot-size is empty (an unset shell variable?): give WIDTHxHEIGHT in inches, e.g. 6x3.5" in r.stderr, r.stderr
    assert not figure.exists()
    r = run("compare", files["data"], "--predictions", files["preds"], "--plot", files["tmp"] / "f.xyz")
    assert r.exit_code == 2 and "name the file .pdf, .svg or .png (or give --plot-format)" in r.stderr, r.stderr


def test_a_program_named_partial_is_a_program_not_a_kept_data_set(files):
    """Audit 8 H10: `prog.dsl.partial` was refused as "not a complete data set ... the records it holds"; run/check took it."""
    program = files["tmp"] / "prog.dsl.partial"
    program.write_text(LEGO_PROGRAM.read_text())
    assert run("eval", program, files["data"]).exit_code == 0
    assert run("compare", files["data"], "--program", program).exit_code == 0
    kept = files["tmp"] / "data.jsonl.partial"  # data kept by an interrupted run is still refused
    kept.write_text(files["data"].read_text())
    r = run("eval", program, kept)
    assert r.exit_code == 2 and "not a complete data set" in r.stderr


def test_a_compressed_svg_name_is_not_written_plain(files):
    """Audit 8 H11: `--plot f.svgz --plot-format svg` wrote an uncompressed SVG under the .svgz name."""
    r = run("compare", files["data"], "--predictions", files["preds"], "--plot", files["tmp"] / "f.svgz", "--plot-format", "svg")
    assert r.exit_code == 2 and "the name says svgz, but --plot-format says svg" in r.stderr, r.stderr
    assert not (files["tmp"] / "f.svgz").exists()


@pytest.mark.parametrize("args", [
    ["compare", "{data}", "--predictions", "{preds}", "--name", " "],
    ["compare", "{data}", "--program", LEGO_PROGRAM, "--program-name", ""],
])
def test_a_blank_model_name_is_refused(files, args):
    """A blank column header in the table and an empty `model` in the CSV, exit 0."""
    r = run(*[str(a).format(**files) for a in args])
    assert r.exit_code == 2 and "a blank --name or --program-name names no column" in r.stderr
    assert r.stdout == ""


@pytest.mark.parametrize("command", [["eval", LEGO_PROGRAM, "{npz}"], ["compare", "{npz}", "--program", LEGO_PROGRAM]])
def test_an_npz_without_rows_is_no_records_as_every_format(files, command):
    """eval scored nothing and exited 0 (records: 0), where validate and an empty JSONL file said `no records`."""
    import numpy as np

    npz = files["tmp"] / "empty.npz"
    np.savez(npz, labels=np.zeros((0, 3)), order=np.zeros((0, 3, 3)))
    r = run(*[str(a).format(npz=npz) for a in command])
    assert r.exit_code == 2 and f"no records in {npz}" in r.stderr, (r.exit_code, r.stderr)
