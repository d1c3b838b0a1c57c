"""Commands: eval, compare, invariance, published — reports on programs and models, side by side.

Every file written goes through dsl.files.atomic_output, and every output is
checked against the inputs before any work starts. Predictions cut short by
Ctrl-C, SIGTERM or a bad record are kept as `<output>.partial`.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from typing import IO, Any, ContextManager, Iterable, Iterator, Sequence

import click

from dsl.errors import UserError
from dsl.files import atomic_output, iter_lines, refuse_clashing_outputs, refuse_partial
from synth.report.evaluate import Progress, Report, Scorer, load_program, notation_of, predict_safely, prediction_json

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


def _refuse_partial_inputs(paths: Iterable[str | None]) -> None:
    for path in paths:
        refuse_partial(path)


def _say_partial(path: str) -> None:
    """Tell where the predictions made before a stop went, and that they are not a complete set."""
    click.echo(
        f"kept the {sum(1 for _ in iter_lines(path)):,} predictions made before the stop in {path} "
        "(partial: not a complete set, and refused as one by 'synth validate' and the other commands)",
        err=True,
    )


def _readers(paths: Sequence[str], skip_bad: bool, skips: _SkipReporter) -> Iterator[Any]:
    from tasks.lego.io import read_records

    for path in paths:
        yield read_records(path, skip_bad=skip_bad, on_skip=skips)


query_option = click.option(
    "--query-only",
    is_flag=True,
    help="Score only each record's query variable (Kazemnejad et al. data asks one question per sentence).",
)
progress_option = click.option(
    "--progress/--no-progress", default=None, help="Show records done on stderr (default: when stderr is a terminal)."
)


@click.command("eval")
@click.argument("program", type=click.Path(dir_okay=False))
@click.argument("data", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: overall, by_length, by_position, sentence_accuracy, ...")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="Also write the report as long-format CSV.")
@click.option("--predict", is_flag=True, help="Write the program's predictions as JSONL (to -o).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), help="Predictions file ('-' for stdout; then the report goes to stderr).")
@click.option("--skip-bad", is_flag=True, help="Skip bad records (reported on stderr) instead of stopping.")
@query_option
@progress_option
def eval_command(
    program: str,
    data: tuple[str, ...],
    as_json: bool,
    csv_path: str | None,
    predict: bool,
    output: str | None,
    skip_bad: bool,
    query_only: bool,
    progress: bool | None,
) -> None:
    """Run PROGRAM on DATA files and report its accuracy.

    Accuracy over labelled variables overall, by sentence length and by chain
    position (depth along the chain, root = 1, as the LEGO paper reports it),
    and whole-sentence accuracy. Records without labels are predicted, not
    scored. Files stream: memory stays flat on any size of data.
    """
    if predict and output is None:
        raise click.UsageError("--predict needs -o FILE (or -o - for stdout)")
    refuse_clashing_outputs([output, csv_path], [program, *data])
    _refuse_partial_inputs(data)
    predictor = load_program(program)
    skips = _SkipReporter()
    bar = Progress(progress)
    scorer = Scorer(query_only=query_only)
    report_to_stderr = output == "-"
    done = 0
    opened: ContextManager[IO[str] | None] = (
        nullcontext() if output is None else atomic_output(output, inputs=[program, *data], on_partial=_say_partial)
    )
    try:
        with opened as out:
            for reader in _readers(data, skip_bad, skips):
                notation: str | None = None
                for record in reader:
                    pred = predict_safely(predictor, record.sentence)
                    scorer.add(record.sentence, record.labels, pred, record.query)
                    if out is not None:
                        if notation is None:
                            notation = notation_of(reader)
                        out.write(prediction_json(record, pred, notation) + "\n")  # one call: whole lines only
                    done += 1
                    bar.tick()
            bar.close()
    except (UserError, KeyboardInterrupt) as stop:
        bar.close()
        if done:
            # Keep what was computed: the records before the stop are scored
            # (and their predictions written), so say so rather than drop it.
            why = "the error (--skip-bad skips bad records instead)" if isinstance(stop, UserError) else "the interrupt"
            click.echo(f"partial result over the {done:,} records read before {why}:", err=True)
            click.echo(scorer.report().format_text(), err=True)
        raise
    skips.close()
    report = scorer.report()
    _emit_report(report, as_json, csv_path, err=report_to_stderr)


def _emit_report(report: Report, as_json: bool, csv_path: str | None, err: bool = False) -> None:
    if csv_path:
        report.to_csv(csv_path)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=1), err=err)
    else:
        click.echo(report.format_text(), err=err)


@click.command("compare")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--predictions", "pred_files", multiple=True, type=click.Path(dir_okay=False), help="A model's predictions (JSONL, data order or keyed by id); repeat per model.")
@click.option("--name", "names", multiple=True, help="Column name for each --predictions, in the same order (default: the file name).")
@click.option("--program", type=click.Path(dir_okay=False), help="Also run this DSL program on the data, as a column.")
@click.option("--program-name", default="program", show_default=True, help="Column name for --program.")
@click.option("--by", type=click.Choice(["length", "position"]), default="length", show_default=True, help="Rows of the table.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="Write every figure as long-format CSV (with source and status columns).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the table.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), help="Plot accuracy against length to this PNG (needs the `plot` extra).")
@click.option("--published", is_flag=True, help="Show published neural results on LEGO beside the table, with source and status.")
@click.option("--skip-bad", is_flag=True, help="Skip bad data records; predictions must then match the kept records.")
@query_option
@progress_option
def compare_command(
    data: str,
    pred_files: tuple[str, ...],
    names: tuple[str, ...],
    program: str | None,
    program_name: str,
    by: str,
    csv_path: str | None,
    as_json: bool,
    plot_path: str | None,
    published: bool,
    skip_bad: bool,
    query_only: bool,
    progress: bool | None,
) -> None:
    """Score models' predictions on DATA side by side, with the program and published results.

    Each --predictions file has one JSON line per data record,
    {"labels": {variable: value}}, in the data's order or each with the "id"
    of its record. Values are written as in the data (0/1 for the paper's
    syntax, +1/-1 for signs, or G:name such as Z2:1).
    """
    from pathlib import Path

    from synth.report.compare import compare
    from synth.report.reference import load

    if not pred_files and program is None and not published:
        raise click.UsageError("nothing to compare: give --predictions FILE, --program PROGRAM or --published")
    if names and len(names) != len(pred_files):
        raise click.UsageError(f"{len(names)} --name for {len(pred_files)} --predictions: give one name per file")
    labels = list(names) or [Path(p).stem for p in pred_files]
    refuse_clashing_outputs([csv_path, plot_path], [data, *pred_files, program])
    _refuse_partial_inputs([data, *pred_files])
    if plot_path is not None:
        from synth.report.plot import _pyplot

        _pyplot()  # fail early, before reading the data, if matplotlib is missing
    predictor = load_program(program) if program is not None else None
    refs = load()
    pubs = refs.lego_by_length() + refs.lego_notes() if published else ()
    from tasks.lego.io import read_records

    skips = _SkipReporter()
    reader = read_records(data, skip_bad=skip_bad, on_skip=skips)
    bar = Progress(progress)
    result = compare(
        reader,
        list(zip(labels, pred_files)),
        program=predictor,
        program_name=program_name,
        published=pubs,
        references=refs,
        reader=reader,
        progress=bar,
        query_only=query_only,
    )
    bar.close()
    skips.close()
    if csv_path:
        result.to_csv(csv_path, by)
    if plot_path:
        from synth.report.plot import plot_comparison

        plot_comparison(result, plot_path, by)
    if as_json:
        click.echo(json.dumps(result.to_dict(by), indent=1))
    else:
        click.echo(result.format_text(by))


@click.group("invariance")
def invariance_group() -> None:
    """Metamorphic checks: does a model respect LEGO's exact symmetries?

    Transformations: permute (shuffle clauses: values unchanged), rename
    (rename variables: values move with the names), act (act on the root
    literal by a group element g: every value changes by a known law; in Z2
    all flip). For a program, `run` does it all; for a model outside Python,
    `transform` writes the data with its transformations, you predict on that
    file, and `score` reports consistency.
    """


_transform_option = click.option(
    "--transform",
    "transforms",
    multiple=True,
    type=click.Choice(["permute", "rename", "act"]),
    help="Transformations to apply (default: all three), in this order.",
)


def _transform_list(transforms: tuple[str, ...]) -> tuple[str, ...]:
    from tasks.lego.metamorphic import TRANSFORMATIONS

    return tuple(transforms) or TRANSFORMATIONS


@invariance_group.command("run")
@click.argument("program", type=click.Path(dir_okay=False))
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--seed", type=int, default=0, show_default=True)
@_transform_option
@click.option("--json", "as_json", is_flag=True)
@click.option("--skip-bad", is_flag=True)
def invariance_run(program: str, data: str, seed: int, transforms: tuple[str, ...], as_json: bool, skip_bad: bool) -> None:
    """Check PROGRAM's consistency under each transformation of DATA."""
    from tasks.lego.io import read_records
    from tasks.lego.metamorphic import consistency

    refuse_partial(data)
    predictor = load_program(program)
    skips = _SkipReporter()

    def batch(sentences: list) -> list:
        return [predict_safely(predictor, s) for s in sentences]

    report = consistency(batch, read_records(data, skip_bad=skip_bad, on_skip=skips), seed, transformations=_transform_list(transforms))
    skips.close()
    click.echo(json.dumps(report.to_dict(), indent=1) if as_json else report.format_text())


@invariance_group.command("transform")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True), help="Where to write the data with its transformations.")
@click.option("--seed", type=int, default=0, show_default=True)
@_transform_option
@click.option("--format", "fmt", type=click.Choice(["same", "jsonl", "kazemnejad", "official", "signs", "readable"]), default="same", show_default=True, help="Output format (same: as the input).")
@click.option("--skip-bad", is_flag=True)
def invariance_transform(data: str, output: str, seed: int, transforms: tuple[str, ...], fmt: str, skip_bad: bool) -> None:
    """Write DATA with its transformations, for a model to predict on.

    Each record is followed by its transformed copies, ids `<id>~permute`,
    `<id>~rename`, `<id>~act` (a record without id gets its 1-based number).
    Predict on every line of the output, then run `synth invariance score`.
    """
    from tasks.lego.io import read_records, write_records
    from tasks.lego.metamorphic import transformed_records

    names = _transform_list(transforms)
    refuse_clashing_outputs([output], [data])
    refuse_partial(data)
    skips = _SkipReporter()
    reader = read_records(data, skip_bad=skip_bad, on_skip=skips)
    count = 0
    with atomic_output(output, inputs=[data]) as out:
        chosen: str | None = None if fmt == "same" else fmt
        for rec, ts in transformed_records(reader, seed, names):
            if chosen is None:
                chosen = {"jsonl": "jsonl", "kazemnejad": "kazemnejad", "task": "jsonl"}.get(reader.format or "", None)
                if chosen is None:
                    chosen = notation_of(reader)
            group = [rec] + [t.record(rec, rec.id or str(count + 1)) for t in ts]
            syntax = None
            if chosen == "jsonl" and reader.syntaxes:
                syntax = notation_of(reader) if notation_of(reader) in ("official", "signs", "readable") else None
            write_records(group, chosen, out, syntax=syntax)
            count += 1
    skips.close()
    click.echo(f"wrote {count:,} records, each followed by {len(names)} transformed copies ({', '.join(names)})", err=True)


@invariance_group.command("score")
@click.argument("transformed", type=click.Path(dir_okay=False))
@click.option("--predictions", "pred_file", required=True, type=click.Path(dir_okay=False), help="The model's predictions on every line of TRANSFORMED (data order or keyed by id).")
@_transform_option
@click.option("--json", "as_json", is_flag=True)
def invariance_score(transformed: str, pred_file: str, transforms: tuple[str, ...], as_json: bool) -> None:
    """Score a model's consistency from its predictions on a file written by `transform`.

    Give the same --transform options as to `transform` (default: all three).
    """
    from synth.report.compare import Aligner
    from tasks.lego.io import read_records
    from tasks.lego.metamorphic import ConsistencyCounter, infer_law, split_id

    names = _transform_list(transforms)
    _refuse_partial_inputs([transformed, pred_file])
    reader = read_records(transformed)
    aligner = Aligner(pred_file, "model")
    counter = ConsistencyCounter(names)
    group: list = []
    count = 0
    for record in reader:
        count += 1
        pred = aligner.take(record, count, notation_of(reader))
        group.append((record, pred, count))
        if len(group) == 1 + len(names):
            _score_group(group, names, counter, transformed, infer_law, split_id)
            group = []
    aligner.finish(count)
    if group:
        raise UserError(
            f"{transformed}: ends in the middle of a group: each record must be followed by "
            f"{len(names)} transformed copies ({', '.join(names)})"
        )
    report = counter.report()
    click.echo(json.dumps(report.to_dict(), indent=1) if as_json else report.format_text())


def _score_group(group: list, names: Sequence[str], counter: Any, path: str, infer_law: Any, split_id: Any) -> None:
    original, before, number = group[0]
    base, kind = split_id(original.id)
    if kind is not None:
        raise UserError(f"{path}: record {number} (id {original.id!r}) should be an original, not a transformed copy "
            "(give score the same --transform options as transform)")
    counter.records += 1
    for (record, after, k), name in zip(group[1:], names):
        rbase, rkind = split_id(record.id)
        if record.id is not None and (rkind != name or (base is not None and rbase != base)):
            raise UserError(
                f"{path}: record {k} has id {record.id!r}, expected {base}~{name} "
                "(give score the same --transform options as transform)"
            )
        try:
            law = infer_law(name, original.sentence, record.sentence)
        except UserError as err:
            raise UserError(f"{path}: record {k}: {err.message}") from None
        counter.add(name, original.sentence, before, law, after)


@click.command("published")
@click.option("--task", default=None, help="Only this task (e.g. lego, 'Parity Check').")
@click.option("--json", "as_json", is_flag=True)
def published_command(task: str | None, as_json: bool) -> None:
    """List the published neural results shipped with lego-synth, each with its source and status."""
    from synth.report.reference import format_listing, load

    refs = load()
    chosen = refs.results if task is None else refs.for_task(task)
    if task is not None and not chosen:
        known = sorted({r.task for r in refs.results})
        raise UserError(f"no published results for task {task!r} (known: {', '.join(known)})")
    if as_json:
        click.echo(json.dumps({"results": [r.to_dict() for r in chosen], "statuses": dict(refs.statuses)}, indent=1))
    else:
        click.echo(format_listing(refs, task))


COMMANDS = [eval_command, compare_command, invariance_group, published_command]
