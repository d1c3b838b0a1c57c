"""Commands: eval, compare, invariance, published — reports on programs and models, side by side.

Thin: options are parsed here; reading, scoring, tables, CSV and figures are
synth.report's. Every output is checked against the inputs before any work
starts and written atomically; predictions cut short by Ctrl-C, SIGTERM or a
bad record are kept as `<output>.partial`, which no command accepts as data.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import click
from click.core import ParameterSource

from dsl.errors import UserError
from dsl.files import WriteFailed, atomic_output, is_standard_output, iter_lines, refuse_clashing_outputs, refuse_partial
from synth.commands.params import DATA_FILE, INPUT_FILE, REPLACES, refuse_folder, refuse_non_utf8, refuse_shared_stdout
from synth.report.compare import refuse_repeated_data
from synth.report.evaluate import (
    Progress,
    RunFailures,
    SplitReports,
    SplitScorers,
    evaluate_readers,
    load_program,
    open_data,
)
from synth.report.tables import BREAKDOWNS, parse_by
from synth.report.taskcompare import compare_task
from synth.report.taskeval import SPLITS, evaluate_task_files, is_task_file, refuse_one_output_for_mixed_splits, task_files
from tasks.lego.formats import LINE_FORMATS

SKIP_SHOWN = 10


class _SkipReporter:
    """Shows the first few skipped records on stderr, then only counts them."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, err: Exception) -> None:
        self.count += 1
        if self.count <= SKIP_SHOWN:
            click.echo(f"skipped: {err}", err=True)

    def close(self) -> None:
        if self.count > SKIP_SHOWN:
            click.echo(f"skipped {self.count:,} bad records in all", err=True)


def _refuse_partial_inputs(paths: Sequence[str | None], programs: Sequence[str | None] = ()) -> None:
    """Inputs must be files: a folder is named as one (the form every command uses); data kept as `.partial` is refused.

    A program is not data: no command writes one as `.partial`, and `run`
    and `check` take any name, so `programs` are checked for folders only.
    """
    for path in [*paths, *programs]:
        refuse_folder(path)
    for path in paths:
        refuse_partial(path)


def _say_partial(path: str) -> None:
    """Tell where the predictions made before a stop went, and that they are not a complete set."""
    click.echo(
        f"kept the {sum(1 for _ in iter_lines(path)):,} predictions made before the stop in {path} "
        "(partial: not a complete set, and refused as one by 'synth validate' and the other commands)",
        err=True,
    )


def _readers(paths: Sequence[str], skip_bad: bool, skips: _SkipReporter, supervised: int | None = None) -> Iterator[Any]:
    for path in paths:
        yield open_data(path, skip_bad=skip_bad, on_skip=skips, supervised=supervised)


def _by_type(text: str) -> str:
    try:
        return parse_by(text, "--by")
    except UserError as err:
        raise click.BadParameter(err.message) from None


query_option = click.option(
    "--query-only",
    is_flag=True,
    help="Score only each record's query variable (Kazemnejad et al. data asks one question per sentence): metric query_accuracy.",
)
progress_option = click.option(
    "--progress/--no-progress", default=None, help="Show records done on stderr (default: when stderr is a terminal)."
)
supervised_option = click.option(
    "--supervised", type=click.IntRange(1, None), default=None, help="Mark chain positions 1..K as supervised in training (the paper: 6)."
)


def by_option(default: str) -> Any:
    return click.option(
        "--by",
        type=str,
        callback=lambda ctx, param, value: _by_type(value),
        default=default,
        show_default=True,
        help=f"Breakdown: {', '.join(BREAKDOWNS)} (position is shown for each length; length,position is the cross table).",
    )


LEGO_ONLY = ("by", "supervised", "predict", "output", "skip_bad", "query_only")
COMPARE_LEGO_ONLY = ("by", "supervised", "logits", "skip_bad", "query_only", "plot_kind")


@click.command("eval")
@click.argument("program", type=INPUT_FILE)
@click.argument("data", nargs=-1, required=True, type=DATA_FILE)
@by_option("length,position")
@supervised_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: overall, by_length, by_position, by_length_position, ... (task files: files, each with splits and failed records).")
@click.option("--csv", "csv_path", type=click.Path(), help="Also write the report as tidy CSV (the schema of synth.report.tidy); - for standard output, the report then going to standard error (not with -o -: one stream, one format). " + REPLACES)
@click.option("--predict", is_flag=True, help="Write the program's predictions as JSONL (to -o).")
@click.option("-o", "--output", type=click.Path(allow_dash=True), help="Predictions file, JSONL ('-' for stdout; then the report goes to stderr); a task file's lines name their split. " + REPLACES)
@click.option("--skip-bad", is_flag=True, help="Skip bad records (reported on stderr) instead of stopping.")
@query_option
@progress_option
@click.pass_context
def eval_command(
    ctx: click.Context,
    program: str,
    data: tuple[str, ...],
    by: str,
    supervised: int | None,
    as_json: bool,
    csv_path: str | None,
    predict: bool,
    output: str | None,
    skip_bad: bool,
    query_only: bool,
    progress: bool | None,
) -> None:
    """Run PROGRAM on DATA files and report its accuracy.

    LEGO data: accuracy over labelled variables overall, by sentence length,
    by chain position (depth along the chain, root = 1, as the LEGO paper
    reports it) for each length, and whole-sentence accuracy. DATA is any
    format synth reads, or .npz arrays in the LEGO paper's layout (labels,
    order). Records without labels are predicted, not scored. Files stream:
    memory stays flat. A LEGO task file's train and test records are scored
    apart, each split reported on its own (a synthesized program fits its
    training records by construction); record files have no splits.

    A task file of another family (a Chomsky-suite task, "family":
    "sequence"; an open task file of your own): PROGRAM must take the task's
    inputs and return its output type (checked first). Every train and test
    example is run, within the interpreter's fuel and memory budgets, and
    scored as `synth solve` scores: exact-match accuracy per set and input
    length, and for a suite task the paper's per-token accuracy and score. A
    run that fails is wrong, and listed. --by, --supervised, --predict, -o,
    --skip-bad and --query-only are for LEGO data only.

    -o writes one JSONL line per record, {"labels": {variable: value}} (with
    the record's "id" if it has one), in the data's order; for a LEGO task
    file each line also names its split, {"split": "train"} or "test", so
    that `synth compare` keeps the lines of the split it scores.

    Exit status (as `synth invariance`): 0 when the program ran on every
    record, whatever its accuracy (a wrong answer is a score); 1 when it
    raised a run-time error on at least one record, after every output is
    written and the report printed, with one line on stderr naming how many
    records and the first one's FILE:LINE; 2 for a mistake in the command or
    its files.

    \b
    Example:
      synth eval found.dsl test.jsonl --by length,position --supervised 6
      synth eval examples/reverse_string.dsl examples/reverse_string.json
    """
    if predict and output is None:
        raise click.UsageError("--predict needs -o FILE (or -o - for stdout)")
    if output is not None and output.endswith(".npz"):
        raise click.UsageError(f"-o {output}: eval writes predictions as JSONL, which compare would not read under a .npz name: use .jsonl")
    predict = output is not None  # -o alone writes predictions too
    refuse_shared_stdout(**{"-o": output, "--csv": csv_path})
    refuse_clashing_outputs([output, csv_path], [program, *data])
    _refuse_partial_inputs(data, [program])
    refuse_repeated_data(data)
    families = task_files(data)
    if families:
        _refuse_lego_options(ctx, data[0], families[0])
        bar = Progress(progress)
        try:
            scores = evaluate_task_files(program, data, progress=bar)
        finally:
            bar.close()
        # The report first: a CSV that cannot be written (a full disk) then fails the command without losing it.
        click.echo(json.dumps(scores.to_dict(), indent=1) if as_json else scores.format_text(), err=is_standard_output(csv_path))  # --csv -: stdout is the CSV's
        if csv_path:
            scores.to_csv(csv_path, "program", inputs=[program, *data])
        _exit_if_failed(scores.run_failures())
        return
    if output is not None:
        refuse_one_output_for_mixed_splits(data, output)
    predictor = load_program(program)
    skips = _SkipReporter()
    bar = Progress(progress)
    scorer = SplitScorers(query_only=query_only)
    inputs = [program, *data]
    try:
        with atomic_output(output if predict else None, inputs=inputs, on_partial=_say_partial if predict else None) as out:
            write: Callable[[str], Any] | None = out.write if predict else None
            report = evaluate_readers(_readers(data, skip_bad, skips), predictor, scorer, write=write, progress=bar)
        bar.close()
    except (UserError, KeyboardInterrupt) as stop:
        bar.close()
        if scorer.records:
            # Keep what was computed: the records before the stop are scored, so say so rather than drop it.
            why = "the interrupt" if not isinstance(stop, UserError) else "the error" if isinstance(stop, WriteFailed) else "the error (--skip-bad skips bad records instead)"
            click.echo(f"partial result over the {scorer.records:,} records read before {why}:", err=True)
            click.echo(scorer.report().format_text(by, supervised), err=True)
        raise
    skips.close()
    _emit_report(report, by, supervised, as_json, csv_path, inputs, err=is_standard_output(output) or is_standard_output(csv_path))
    _exit_if_failed(report.run_failures())


def _exit_if_failed(failures: RunFailures | None) -> None:
    """Exit 1 when the program raised on a record, saying so in one line (the outputs are all written by then)."""
    if failures is not None:
        click.echo(failures.message(), err=True)
        sys.exit(1)


def _refuse_lego_options(ctx: click.Context, path: str, family: str, names: Sequence[str] = LEGO_ONLY) -> None:
    """Options that only mean something for LEGO data are refused on a task file, rather than ignored."""
    for name in names:
        if ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT):
            if (name, ctx.params[name]) in (("by", "length"), ("plot_kind", "length")):
                continue  # what a task file's report is
            flag = next(o for p in ctx.command.params if p.name == name for o in p.opts if o.startswith("--"))
            raise click.UsageError(f"{flag} is for LEGO data; {path} is a {family} task file")


def _refuse_lego_predictions(data: Sequence[str], family: str, specs: Sequence[str]) -> None:
    """A task file is compared alone, with one JSONL predictions file per --predictions."""
    if len(data) > 1:
        raise click.UsageError(f"compare one task file at a time: {data[0]} is a {family} task file, and {len(data)} files were given")
    for spec in specs:
        if "," in spec:
            raise click.UsageError(f"--predictions {spec}: one file per --predictions for a task file (repeat --predictions for each seed)")
        if spec.endswith(".npz"):
            raise click.UsageError(f"--predictions {spec}: .npz arrays are for LEGO data; {data[0]} takes JSONL predictions")


def _emit_report(report: SplitReports, by: str, supervised: int | None, as_json: bool, csv_path: str | None, inputs: Sequence[str], err: bool = False) -> None:
    """The report, then its CSV: a CSV that cannot be written (a full disk) fails the command without losing the report."""
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=1), err=err)
    else:
        click.echo(report.format_text(by, supervised), err=err)
    if csv_path:
        data = inputs[1:]  # inputs: the program, then the data files
        report.to_csv(csv_path, "program", by=by, inputs=inputs, data=data[0] if len(data) == 1 else "")


@click.command("compare")
@click.argument("data", nargs=-1, required=True, type=DATA_FILE)
@click.option("--predictions", "pred_files", multiple=True, metavar="FILE[,FILE...]", help="A model's predictions: JSONL, or .npz with pred/ordered_pred; several files (one per DATA file) separated by commas (a task file: one JSONL file). Repeat per model or seed.")
@click.option("--name", "names", multiple=True, help="Model name for each --predictions, in order; the same --name twice = two seeds of one model (two different files: one file twice is refused). Default: the file's name, lengthened by its folders where two different files share it (a/preds, b/preds: a/preds.jsonl, b/preds.jsonl), so different files are never merged as seeds.")
@click.option("--program", type=INPUT_FILE, help="Also run this DSL program on the data, as a column.")
@click.option("--program-name", default="program", show_default=True, help="Column name for --program.")
@by_option("length")
@supervised_option
@click.option("--allow-partial", is_flag=True, help="Score the predictions there are; count the labels nobody answered instead of refusing. They are left out of label accuracy, and a sentence with one is left out of whole-sentence accuracy (counted apart) unless an answered label is wrong, which makes it wrong; never counted right (a task file: unanswered examples are scored as wrong, and counted).")
@click.option("--logits", is_flag=True, help=".npz predictions are logits: 1 where > 0 (as the paper's code thresholds); refused without .npz predictions.")
@click.option("--csv", "csv_path", type=click.Path(), help="Write every figure as tidy CSV (seed, metric, length, position, CI, source, status); - for standard output, the table then going to standard error. " + REPLACES)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the table.")
@click.option("--plot", "plot_path", type=click.Path(), help="Write a figure (.pdf, .svg or .png; needs the `plot` extra). " + REPLACES)
@click.option("--plot-kind", type=click.Choice(["length", "position"]), default=None, help="Accuracy against length, or against position per length (default: from --by).")
@click.option("--plot-size", default=None, help="One panel's WIDTHxHEIGHT in inches (default 6x3.6).")
@click.option("--plot-format", type=click.Choice(["pdf", "svg", "png"]), default=None, help="Figure format (default: the file's suffix); a suffix naming another format (f.pdf with png) is refused.")
@click.option("--train-length", "train_lengths", multiple=True, help="Lengths seen in training, shaded in the figure: 12, or a range 4-16 (repeatable).")
@click.option("--published", is_flag=True, help="Show published neural results beside the table (LEGO; Deletang et al. on a Chomsky-suite task), with source, metric and status.")
@click.option("--skip-bad", is_flag=True, help="Skip bad data records; predictions must then match the kept records.")
@click.option("--split", type=click.Choice(SPLITS), default=None, help="A task file's split (LEGO too) that the predictions are for (default: test).")
@query_option
@progress_option
@click.pass_context
def compare_command(
    ctx: click.Context,
    data: tuple[str, ...],
    pred_files: tuple[str, ...],
    names: tuple[str, ...],
    program: str | None,
    program_name: str,
    by: str,
    supervised: int | None,
    allow_partial: bool,
    logits: bool,
    csv_path: str | None,
    as_json: bool,
    plot_path: str | None,
    plot_kind: str | None,
    plot_size: str | None,
    plot_format: str | None,
    train_lengths: tuple[str, ...],
    published: bool,
    skip_bad: bool,
    split: str | None,
    query_only: bool,
    progress: bool | None,
) -> None:
    """Score models' predictions on DATA files side by side, with the program and published results.

    LEGO data: a JSONL --predictions file has one line per data record,
    {"labels": {variable: value}}, in the data's order or each with the "id"
    of its record; values as in the data (0/1 for the paper's syntax, +1/-1
    for signs, or G:name such as Z2:1). A prediction naming a variable its
    sentence does not define is refused with its line; so is a missing one,
    unless --allow-partial. An .npz file holds the paper's arrays: pred (per
    clause as written) or ordered_pred (chain order), one row per record.
    On a LEGO task file only one split is scored, --split (default test):
    its predictions line up with that split's records alone. Lines that name
    their split, {"split": "test", "labels": ...} as `synth eval -o` writes
    for a task file, are kept for their split only, so eval's file of both
    splits is compared as it is; a file gives every line its split or none.

    A task file of another family (a Chomsky-suite task, an open task file;
    one at a time): a --predictions file is JSONL with one line per example
    of the split scored (--split, default test): {"output": VALUE} in the
    split's order, or {"index": K, "output": VALUE} with K the example's
    1-based place in the split, in any order. VALUE is written as the task
    file writes outputs (a list of ints for reverse_string, an int for
    parity_check). Broken JSON, another key, a value of the wrong type, an
    index out of range or given twice, an extra line and a missing example
    are refused with file:line (exit 2); with --allow-partial a missing
    example is scored as wrong and counted. The table: exact match by input length
    per model (seeds pooled: mean, and mean ± std in the summary), the
    program's column with --program, and for a suite task per-token accuracy
    and the paper's score; --published puts Deletang et al.'s scores for the
    task beside it, with source and status. Options that would change
    nothing are refused (exit 2), not ignored: --plot-kind, --plot-size,
    --plot-format and --train-length without --plot, --program-name without
    --program, --logits without .npz predictions. --by other than length,
    --supervised, --logits, --skip-bad, --query-only, --plot-kind position,
    .npz and comma-separated predictions are for LEGO data.

    \b
    Examples:
      synth compare test.jsonl --predictions preds.jsonl --program found.dsl --by position --published
      synth compare examples/reverse_string.json --predictions copy.jsonl --program examples/reverse_string.dsl --published
    """
    from synth.report.compare import compare, default_names
    from synth.report.plot import parse_lengths, parse_size, plot, pyplot
    from synth.report.plot import plot_format as check_format
    from synth.report.reference import load

    if not pred_files and program is None and not published:
        raise click.UsageError("nothing to compare: give --predictions FILE, --program PROGRAM or --published")
    if any(not name.strip() for name in (*names, program_name)):
        raise click.UsageError("a blank --name or --program-name names no column: give a name that is not blank")
    if names and len(names) != len(pred_files):
        raise click.UsageError(f"{len(names)} --name for {len(pred_files)} --predictions: give one name per file")
    labels = list(names) or default_names(pred_files)
    size = parse_size(plot_size)
    lengths = parse_lengths(train_lengths)
    pred_paths = [p for spec in pred_files for p in spec.split(",")]
    for path in pred_paths:
        refuse_non_utf8(path)  # a model's rows name their file in the CSV
    refuse_shared_stdout(**{"--csv": csv_path, "--plot": plot_path})
    refuse_clashing_outputs([csv_path, plot_path], [*data, *pred_paths, program])
    _refuse_partial_inputs([*data, *pred_paths], [program])
    refuse_repeated_data(data)
    if plot_path is not None:
        check_format(plot_path, plot_format, format_option="--plot-format")
        pyplot()  # fail early, before reading the data, if matplotlib is missing
    families = task_files(data)
    if families:
        _refuse_lego_options(ctx, data[0], families[0], COMPARE_LEGO_ONLY)
        _refuse_lego_predictions(data, families[0], pred_files)
        _refuse_ignored_compare_options(ctx, plot_path, program)
        bar = Progress(progress)
        try:
            scores = compare_task(
                data[0], list(zip(labels, pred_files)), split=split or "test", program=program, program_name=program_name,
                references=load() if published else None, partial=allow_partial, progress=bar,
            )
        finally:
            bar.close()
        inputs = [*data, *pred_paths, *([program] if program else [])]
        # The table first: an output that cannot be written (a full disk) then fails the command without losing it.
        click.echo(json.dumps(scores.to_dict(), indent=1) if as_json else scores.format_text(), err=is_standard_output(csv_path) or is_standard_output(plot_path))
        if csv_path:
            scores.to_csv(csv_path, inputs=inputs)
        if plot_path:
            plot(scores, plot_path, "length", train_lengths=lengths, size=size, fmt=plot_format, inputs=inputs)
        return
    _refuse_ignored_compare_options(ctx, plot_path, program)
    if logits and not any(p.endswith(".npz") for p in pred_paths):
        raise click.UsageError("--logits is for .npz predictions (arrays of logits); JSONL predictions are values")
    if split is not None and not any(is_task_file(p) for p in data):
        raise click.UsageError(f"--split is for task files; {data[0]} is a record file, without splits")
    if split is None and any(is_task_file(p) for p in data):
        split = "test"  # as for task files of other families: a program fits its training records by construction
    predictor = load_program(program) if program is not None else None
    refs = load()
    pubs = refs.lego_by_length() + refs.lego_notes() if published else ()
    skips = _SkipReporter()
    bar = Progress(progress)
    result = compare(
        list(_readers(data, skip_bad, skips)),
        list(zip(labels, pred_files)),
        program=predictor,
        program_name=program_name,
        published=pubs,
        references=refs,
        progress=bar,
        query_only=query_only,
        partial=allow_partial,
        logits=logits,
        split=split,
        program_source=",".join(data),
    )
    bar.close()
    skips.close()
    inputs = [*data, *(p for spec in pred_files for p in spec.split(",")), *([program] if program else [])]
    # The table first: an output that cannot be written (a full disk) then fails the command without losing it.
    if as_json:
        click.echo(json.dumps(result.to_dict(by), indent=1), err=is_standard_output(csv_path) or is_standard_output(plot_path))
    else:
        click.echo(result.format_text(by, supervised), err=is_standard_output(csv_path) or is_standard_output(plot_path))
    if csv_path:
        result.to_csv(csv_path, by, inputs=inputs)
    if plot_path:
        kind = plot_kind or ("length" if by == "length" else "position")
        plot(result, plot_path, kind, train_lengths=lengths, supervised=supervised, chance=result.chance, size=size, fmt=plot_format, inputs=inputs)


FIGURE_OPTIONS = ("plot_kind", "plot_size", "plot_format", "train_lengths")


def _refuse_ignored_compare_options(ctx: click.Context, plot_path: str | None, program: str | None) -> None:
    """Options that would change nothing are refused, as `gen` refuses them, rather than ignored: a figure's without --plot, --program-name without --program."""

    def given(name: str) -> bool:
        return ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT)

    def flag(name: str) -> str:
        return next(o for p in ctx.command.params if p.name == name for o in p.opts if o.startswith("--"))

    if plot_path is None:
        for name in FIGURE_OPTIONS:
            if given(name):
                raise click.UsageError(f"{flag(name)} is for --plot: give --plot FILE for a figure, or drop {flag(name)}")
    if program is None and given("program_name"):
        raise click.UsageError("--program-name names the column of --program: give --program PROGRAM, or drop --program-name")


@click.group("invariance")
def invariance_group() -> None:
    """Metamorphic checks: does a model respect LEGO's exact symmetries?

    Transformations: permute (shuffle clauses: values unchanged), rename
    (rename variables: values move with the names), act (act on the root
    literal by a group element g: every value changes by a known law; in Z2
    all flip). For a program, `run` does it all; for a model outside Python,
    `transform` writes the data with its transformations, you predict on that
    file, and `score` reports consistency.

    A variable answered on the original but not on a copy, or on a copy but
    not on the original, is unanswered, not checked (either way alike), and
    counted; its sentence is left out of the sentence rate.

    Exit status (as `synth eval`): 0 when the program or model answered every
    variable of every record, consistent or not; 1 when it failed on at
    least one (a run-time error, an empty answer, or an answer leaving
    variables out), after the report is printed; 2 for a mistake in the
    command or its files.
    """


def _transform_option(help: str = "Transformations to apply (default: all three), in this order (repeatable).") -> Any:
    return click.option("--transform", "transforms", multiple=True, type=click.Choice(["permute", "rename", "act"]), help=help)


_seed_option = click.option("--seed", type=click.IntRange(0, None), default=0, show_default=True, help="Seed for the transformations (clause orders, new names, group elements).")
_skip_bad_option = click.option("--skip-bad", is_flag=True, help="Skip bad records (reported on stderr) instead of stopping.")


def _transform_list(transforms: tuple[str, ...]) -> tuple[str, ...]:
    from tasks.lego.metamorphic import TRANSFORMATIONS

    twice = next((t for k, t in enumerate(transforms) if t in transforms[:k]), None)
    if twice is not None:  # it would count each record twice, or write two copies with one id
        raise UserError(f"--transform {twice} is given twice: give each transformation once")
    return tuple(transforms) or TRANSFORMATIONS


@invariance_group.command("run")
@click.argument("program", type=INPUT_FILE)
@click.argument("data", type=DATA_FILE)
@_seed_option
@_transform_option()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: records, and per transformation its consistency overall and by length.")
@_skip_bad_option
def invariance_run(program: str, data: str, seed: int, transforms: tuple[str, ...], as_json: bool, skip_bad: bool) -> None:
    """Check PROGRAM's consistency under each transformation of DATA.

    A sentence the program fails on (a run-time error) is not consistent:
    such pairs are counted apart, the first few failures are listed with
    their FILE:LINE, and the exit status is 1.
    """
    from tasks.lego.metamorphic import consistency, per_sentence

    _refuse_partial_inputs([data], [program])
    predictor = load_program(program)
    skips = _SkipReporter()
    reader = open_data(data, skip_bad=skip_bad, on_skip=skips)
    report = consistency(per_sentence(predictor), reader, seed, transformations=_transform_list(transforms), locate=getattr(reader, "where", None))
    skips.close()
    _emit_consistency(report, as_json, "the program")


def _emit_consistency(report: Any, as_json: bool, who: str) -> None:
    """Print a ConsistencyReport; exit 1 if the predictor failed on a sentence or left variables unanswered (neither is consistency)."""
    click.echo(json.dumps(report.to_dict(), indent=1) if as_json else report.format_text())
    if report.failed:
        click.echo(f"{who} failed on {report.failed:,} of {report.records:,} records: not fully consistent", err=True)
    if report.partial:
        click.echo(
            f"{who} answered only some variables of {report.partial:,} of {report.records:,} records "
            f"(the first: {report.first_partial}): not fully consistent",
            err=True,
        )
    if report.failed or report.partial:
        sys.exit(1)


@invariance_group.command("transform")
@click.argument("data", type=DATA_FILE)
@click.option("-o", "--output", required=True, type=click.Path(allow_dash=True), help="Where to write the data with its transformations. " + REPLACES)
@_seed_option
@_transform_option()
@click.option("--format", "fmt", type=click.Choice(("same",) + LINE_FORMATS), default="same", show_default=True, help="Output format (same: as the input).")
@_skip_bad_option
def invariance_transform(data: str, output: str, seed: int, transforms: tuple[str, ...], fmt: str, skip_bad: bool) -> None:
    """Write DATA with its transformations, for a model to predict on.

    Each record is followed by its transformed copies, ids `<id>~permute`,
    `<id>~rename`, `<id>~act` (a record without id gets its 1-based number).
    Predict on every line of the output, then run `synth invariance score`.
    """
    from synth.report.invariance import write_transformed
    from tasks.lego.io import read_records

    names = _transform_list(transforms)
    refuse_clashing_outputs([output], [data])
    _refuse_partial_inputs([data])
    skips = _SkipReporter()
    reader = read_records(data, skip_bad=skip_bad, on_skip=skips, require=True)
    with atomic_output(output, inputs=[data]) as out:
        count = write_transformed(reader, out, seed, names, None if fmt == "same" else fmt)
    skips.close()
    click.echo(f"wrote {count:,} records, each followed by {len(names)} transformed copies ({', '.join(names)})", err=True)


@invariance_group.command("score")
@click.argument("transformed", type=DATA_FILE)
@click.option("--predictions", "pred_file", required=True, type=DATA_FILE, help="The model's predictions on every line of TRANSFORMED (data order or keyed by id).")
@_transform_option("The transformations TRANSFORMED was written with: the same --transform options, in the same order, as given to `transform` (default: all three).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: records, and per transformation its consistency overall and by length.")
def invariance_score(transformed: str, pred_file: str, transforms: tuple[str, ...], as_json: bool) -> None:
    """Score a model's consistency from its predictions on a file written by `transform`.

    Give the same --transform options as to `transform` (default: all three).
    A line with no answer (empty labels) is a failure, not consistency: the
    failures are listed with their record's FILE:LINE, and the exit status is 1.
    So is a line answering only some of its sentence's variables: the others
    are counted as unanswered (not checked), the first such record named,
    and the report never ends "fully consistent".
    """
    from synth.report.invariance import score_transformed
    from tasks.lego.io import read_records

    _refuse_partial_inputs([transformed, pred_file])
    report = score_transformed(read_records(transformed, require=True), pred_file, _transform_list(transforms), transformed)
    _emit_consistency(report, as_json, "the model")


@click.command("published")
@click.option("--task", "tasks", multiple=True,
              help="Only this task, as published ('Parity Check') or as gen and suite name it (parity_check); lego for LEGO. "
                   "Give it again for more.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: results (each with source and status) and the statuses' meanings.")
def published_command(tasks: tuple[str, ...], as_json: bool) -> None:
    """List the published neural results shipped with lego-synth, each with its source and status."""
    from synth.report.reference import format_listing, load

    refs = load()
    for task in tasks:  # each must name figures: a typo beside a good name is still a typo
        if not refs.for_task(task):
            known = sorted({r.task for r in refs.results})
            raise UserError(f"no published results for task {task!r} (known: {', '.join(known)})")
    chosen = refs.for_tasks(tasks) if tasks else refs.results
    if as_json:
        click.echo(json.dumps({"results": [r.to_dict() for r in chosen], "statuses": dict(refs.statuses)}, indent=1))
    else:
        click.echo(format_listing(refs, tasks or None))


COMMANDS = [eval_command, compare_command, invariance_group, published_command]
