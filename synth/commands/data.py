"""Commands: data (`synth gen lego`, `synth gen sequence`, `synth validate`).

Generation is deterministic per seed, byte for byte, so a dataset can be
named by its command line; validation reads any format tasks.lego.io reads.
Outputs are written atomically: an interrupted `gen` leaves no truncated file
that would later pass for a smaller data set.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import click
import numpy as np
from click.core import ParameterSource

from dsl.errors import UserError
from dsl.files import atomic_output, counted, refuse_clashing_outputs, refuse_partial
from synth.commands.params import DATA_FILE, REPLACES
from synth.memory import at_address_limit
from synth.report.paper import summarise_npz
from tasks.families import validate_file
from tasks.filekinds import refuse_npz_of_other_kind
from tasks.lego.formats import FORMATS
from tasks.lego.generate import STRUCTURES, iter_generate
from tasks.lego.io import write_records, write_task_file
from tasks.lego.sentence import LegoRecord
from tasks.lego.syntax import SYNTAXES, default_syntax
from tasks.lego.validate import summary_json
from tasks.sequence import SEQUENCE_TASKS, get_sequence_task
from tasks.sequence.generate import PAPER_TEST, PAPER_TRAIN, Drawing, Split, draw_task
from tasks.sequence.io import write_sequence_task

if TYPE_CHECKING:
    from dsl.groups import Group

PROGRESS_MIN = 5000  # show a progress bar when writing more sentences than this
# The largest count or length gen takes: far past any machine's memory (which gets its own message),
# and within what numpy draws in 64 bits, where a larger one failed with a traceback.
MAX_SIZE = 10**9
# -o of both gen commands; the type takes a folder so that refuse_clashing_outputs names it, in the usual one line.
OUTPUT_HELP = "Output file (default: stdout). " + REPLACES


def split_seeds(seed: int) -> tuple[int, int]:
    """Independent seeds for a task file's train and test records."""
    a, b = np.random.SeedSequence(seed).generate_state(2)
    return int(a), int(b)


class OneLineErrors(click.Command):
    """A command whose option mistakes are one `error:` line (exit 2), as its own refusals are, not a usage block.

    gen sequence's usage line lists all 15 task names: seven lines before the
    message itself.
    """

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as err:
            command = f"{parent.command_path} {info_name}" if parent is not None else info_name
            raise UserError(f"{err.format_message()} (see `{command} --help`)") from None


@click.group("gen")
def gen() -> None:
    """Generate datasets and task files (deterministic per --seed)."""


@gen.command("lego", cls=OneLineErrors)
@click.option("--n", "n", type=click.IntRange(1, MAX_SIZE), default=12, show_default=True, help="Variables (clauses) per sentence.")
@click.option("--count", type=click.IntRange(1, MAX_SIZE), default=1000, show_default=True, help="Sentences (training records for --format task).")
@click.option("--seed", type=click.IntRange(0, None), default=0, show_default=True, help="Seed: the same seed and options write the same bytes.")
@click.option("--group", default="Z2", show_default=True, help="Z2, Z<n> (e.g. Z5), S3 or D4.")
@click.option("--structure", type=click.Choice(STRUCTURES), default="chain", show_default=True, help="chain: each clause's operand is the previous variable; tree: an operand may be any earlier variable.")
@click.option("--supervised", type=click.IntRange(0, None), default=None, metavar="K",
              help="Label only the first K variables generated, as the paper supervises 6 of 12 (default: all): chain positions 1..K for a chain; for a tree, the first K in generation order, whatever their depths.")
@click.option("--supervise", "supervise_alias", type=click.IntRange(0, None), default=None, hidden=True, help="Old spelling of --supervised (still read, not shown).")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="jsonl", show_default=True,
              help="official/signs/readable: one sentence a line (TAB, then labels); jsonl: native records; "
              "kazemnejad: their JSONL, one record per query on the second half of the chain, as their generator writes; task: a task file.")
@click.option("--syntax", type=click.Choice(SYNTAXES), default=None, help="Sentence syntax inside jsonl/task records (default: official for Z2, readable otherwise).")
@click.option("--order", type=click.Choice(["shuffled", "chain"]), default="shuffled", show_default=True, help="Clause order within a sentence.")
@click.option("--test-count", type=click.IntRange(0, MAX_SIZE), default=100, show_default=True, help="Test records (fully labelled) for --format task.")
@click.option("--test-n", type=click.IntRange(1, MAX_SIZE), default=None, help="Length of test sentences for --format task (default: --n).")
@click.option("-o", "--output", type=click.Path(), default=None, help=OUTPUT_HELP)
def gen_lego(n: int, count: int, seed: int, group: str, structure: str, supervised: int | None, supervise_alias: int | None, fmt: str,
             syntax: str | None, order: str, test_count: int, test_n: int | None, output: str | None) -> None:
    """Generate LEGO sentences with their labels.

    The sentences of the LEGO paper (Zhang et al. 2022), over any group.

    Example: synth gen lego --n 12 --count 1000 --seed 0 --supervised 6 --format official
    """
    _refuse_lego_conflicts(click.get_current_context())
    from dsl.groups import get_group

    supervised = _supervised(supervised, supervise_alias)
    refuse_clashing_outputs([output])
    g = get_group(group)
    if fmt in ("official", "signs", "kazemnejad") and g.name != "Z2":
        raise UserError(f"--format {fmt} is for Z2; write {g.name} with --format readable, jsonl or task")
    if syntax in ("official", "signs") and g.name != "Z2":
        raise UserError(f"--syntax {syntax} is for Z2; use --syntax readable for {g.name}")
    shuffle = order == "shuffled"
    ctx = click.get_current_context()
    longest = ("test_n", test_n) if fmt == "task" and test_count and test_n is not None and test_n > n else ("n", n)
    sizes = [_shown(ctx, "count", count), _shown(ctx, *longest)]
    sentences = count
    if fmt == "task" and test_count:  # the test split is generated too: every option that sets the size is named
        sizes.insert(1, _shown(ctx, "test_count", test_count))
        sentences += test_count
    what = f"{counted(sentences, 'sentence')} of up to {counted(longest[1], 'clause')}"
    with _memory_as_message(what, sizes):
        _write_lego(output, n, count, seed, g, structure, shuffle, supervised, fmt, syntax, test_count, test_n)


def _write_lego(output: str | None, n: int, count: int, seed: int, g: Group, structure: str, shuffle: bool, supervised: int | None,
                fmt: str, syntax: str | None, test_count: int, test_n: int | None) -> None:
    """Generate and write `gen lego`'s records, its options checked."""
    if fmt == "task":
        train_seed, test_seed = split_seeds(seed)
        train = list(iter_generate(n, count, train_seed, g, structure, shuffle, supervised))
        test = list(iter_generate(test_n or n, test_count, test_seed, g, structure, shuffle, None))
        with atomic_output(output) as stream:
            write_task_file(train, test, stream, group=g.name, structure=structure, syntax=syntax or default_syntax(g))
        return
    records = iter_generate(n, count, seed, g, structure, shuffle, supervised)
    if fmt == "kazemnejad":
        if supervised is not None:
            raise UserError("--format kazemnejad writes every truth value, as their generator does; drop --supervised")
        records = _per_query(records, np.random.default_rng([seed, 1]) if shuffle else None)
    with atomic_output(output) as stream:
        if count > PROGRESS_MIN and sys.stderr.isatty():
            with click.progressbar(length=count, label="generating", file=sys.stderr) as bar:
                chunk = 1000
                buffer = []
                for rec in records:
                    buffer.append(rec)
                    if len(buffer) == chunk:
                        write_records(buffer, fmt, stream, syntax=syntax)
                        bar.update(len(buffer))
                        buffer = []
                write_records(buffer, fmt, stream, syntax=syntax)
                bar.update(len(buffer))
        else:
            write_records(records, fmt, stream, syntax=syntax)


def _given(ctx: click.Context, name: str) -> bool:
    """Whether the user gave option `name` (not its default)."""
    return ctx.get_parameter_source(name) not in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP, None)


def _refuse_lego_conflicts(ctx: click.Context) -> None:
    """Refuse, before any work, options that contradict each other, do not apply to --format, or would write a file `validate` refuses."""
    p = ctx.params
    fmt, n = p["fmt"], p["n"]
    labelled = p.get("supervised") if p.get("supervised") is not None else p.get("supervise_alias")  # either spelling
    if labelled is not None and labelled > n:
        raise UserError(f"--supervised {labelled} labels chain positions 1..{labelled}, but a sentence has {n} variables (--n {n}): give K <= {n}")
    if labelled == 0 and fmt == "task":
        raise UserError("--supervised 0 with --format task labels no training record: the task would have nothing to learn from")
    if fmt == "kazemnejad" and n < 2:
        raise UserError("--format kazemnejad asks about the second half of the chain, which a sentence of 1 variable does not have: give --n 2 or more")
    if p["syntax"] is not None and fmt not in ("jsonl", "task") and p["syntax"] != fmt:  # --format signs --syntax signs: redundant, not a conflict
        raise UserError(f"--syntax sets the sentence syntax of jsonl and task records; --format {fmt} has its own (drop --syntax, or use --format jsonl)")
    for name in ("test_n", "test_count"):
        if fmt != "task" and _given(ctx, name):
            raise UserError(f"--{name.replace('_', '-')} sets the test records of --format task; --format {fmt} writes no test records")


def _per_query(records: Iterable[LegoRecord], rng: np.random.Generator | None) -> Iterator[LegoRecord]:
    from tasks.lego.io import kazemnejad_queries

    for rec in records:
        yield from kazemnejad_queries(rec, rng)


@gen.command("sequence", cls=OneLineErrors, epilog="TASK is one of: " + ", ".join(SEQUENCE_TASKS) + ".")
@click.argument("name", type=click.Choice(list(SEQUENCE_TASKS)), metavar="TASK")
@click.option("--count", type=click.IntRange(1, MAX_SIZE), default=PAPER_TRAIN.count, show_default=True, help="Training examples.")
@click.option("--min-length", type=click.IntRange(0, MAX_SIZE), default=PAPER_TRAIN.low, show_default=True, help="Shortest training length (the paper: 1).")
@click.option("--max-length", type=click.IntRange(0, MAX_SIZE), default=PAPER_TRAIN.high, show_default=True, help="Longest training length (the paper: 40).")
@click.option("--length", type=click.IntRange(0, MAX_SIZE), default=None, help="One training length for every example (sets --min-length and --max-length).")
@click.option("--test-count", type=click.IntRange(0, MAX_SIZE), default=PAPER_TEST.count, show_default=True, help="Test examples.")
@click.option("--test-min-length", type=click.IntRange(0, MAX_SIZE), default=PAPER_TEST.low, show_default=True, help="The paper: 41.")
@click.option("--test-max-length", type=click.IntRange(0, MAX_SIZE), default=PAPER_TEST.high, show_default=True, help="The paper: 500.")
@click.option("--test-length", type=click.IntRange(0, MAX_SIZE), default=None, help="One test length (sets both test bounds).")
@click.option("--seed", type=click.IntRange(0, None), default=0, show_default=True, help="Seed: the same seed and options write the same bytes.")
@click.option("-o", "--output", type=click.Path(), default=None, help=OUTPUT_HELP)
def gen_sequence(name: str, count: int, min_length: int, max_length: int, length: int | None, test_count: int,
                 test_min_length: int, test_max_length: int, test_length: int | None, seed: int, output: str | None) -> None:
    """Generate a task file of a Chomsky-hierarchy task.

    One of the 15 tasks of Deletang et al. (2023), drawn as DeepMind's code draws them.

    Each example's length is uniform in its range (by default the paper's: training 1..40, test
    41..500); the file records the seed, ranges and counts.

    Example: synth gen sequence binary_addition --count 50 --seed 1 -o add.json
    """
    ctx = click.get_current_context()
    _refuse_range_conflicts(ctx)
    refuse_clashing_outputs([output])
    if length is not None:
        min_length = max_length = length
    if test_length is not None:
        test_min_length = test_max_length = test_length
    _refuse_empty_ranges(ctx, (min_length, max_length), (test_min_length, test_max_length))
    drawing = Drawing(seed, Split(count, min_length, max_length), Split(test_count, test_min_length, test_max_length))
    option = "test_length" if test_length is not None else "test_max_length"
    if test_count == 0 or max_length >= test_max_length:
        option = "length" if length is not None else "max_length"
    longest = max_length if option in ("length", "max_length") else test_max_length
    what = f"{counted(count + test_count, 'example')} of length up to {longest:,}"
    with _memory_as_message(what, [_shown(ctx, "count", count), _shown(ctx, "test_count", test_count), _shown(ctx, option, longest)]):
        train, test = draw_task(get_sequence_task(name), drawing)  # before opening: a bad range leaves no file
        with atomic_output(output) as stream:
            write_sequence_task(name, train, test, stream, seed=seed, drawn=drawing.to_json())


@contextlib.contextmanager
def _memory_as_message(what: str, options: list[str]) -> Iterator[None]:
    """A MemoryError of generating (more than the machine can hold) as one message, exit 2, not a traceback.

    As `synth solve` stops at its memory limit with a message, and the output
    is left as it was (atomic_output removes its temporary file on the way out).
    The message names every option that sets the size (counts and lengths),
    since any of them may be the one too big. A SystemError counts as running
    out only in a process that reached its address-space cap (numpy may fail
    so there; memory.at_address_limit).
    """
    try:
        yield
    except (MemoryError, SystemError) as err:
        if isinstance(err, SystemError) and not at_address_limit():
            raise  # not an allocation failing under the process's cap: possibly a bug, shown as it is
        raise UserError(f"the process ran out of memory generating {what} ({', '.join(options)}): "
                        "give smaller values, or run with more memory") from None


def _shown(ctx: click.Context, name: str, value: object) -> str:
    """An option as the user would write it, with its value; "(the default)" where they did not give it."""
    return f"--{name.replace('_', '-')} {value}" + ("" if _given(ctx, name) else " (the default)")


def _refuse_empty_ranges(ctx: click.Context, train: tuple[int, int], test: tuple[int, int]) -> None:
    """A range whose lower bound is above its upper one: refused naming the range and its options, with the defaults said as such."""
    for label, (low, high), names in (("training", train, ("min_length", "max_length")), ("test", test, ("test_min_length", "test_max_length"))):
        if low > high:
            shown = [_shown(ctx, n, v) for n, v in zip(names, (low, high))]
            raise UserError(f"the {label} range {low}..{high} is empty: {shown[0]} is above {shown[1]}")


def _refuse_range_conflicts(ctx: click.Context) -> None:
    """--length (or --test-length) sets both bounds of its range: refuse it beside a bound given too, which it would override."""
    for one, bounds in (("length", ("min_length", "max_length")), ("test_length", ("test_min_length", "test_max_length"))):
        both = [b for b in bounds if _given(ctx, b)]
        if ctx.params[one] is not None and both:
            flags = " and ".join("--" + b.replace("_", "-") for b in both)
            raise UserError(f"--{one.replace('_', '-')} sets both bounds of the range; give it or {flags}, not both")


def _supervised(supervised: int | None, old: int | None) -> int | None:
    """--supervised K, also read under its old spelling --supervise K (as `synth eval` and `synth compare` spell it)."""
    if old is None:
        return supervised
    if supervised is not None and supervised != old:
        raise UserError(f"--supervised {supervised} and --supervise {old} are one option (--supervise is its old spelling): give it once")
    return old


@click.command("validate")
@click.argument("files", nargs=-1, required=True, type=DATA_FILE)
@click.option("--skip-bad", is_flag=True, help="Skip bad records, count them and go on (exit 0 if any record is good).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file instead of the summary.")
def validate(files: tuple[str, ...], skip_bad: bool, as_json: bool) -> None:
    """Check LEGO data files and task files in any supported format.

    Prints a one-screen summary per file (records, lengths, group, syntax,
    labelled fraction); on a bad record prints the error with file, line and
    clause and exits 2.
    """
    failed = False
    for path in files:
        try:
            refuse_partial(path)
            if path.lower().endswith(".npz"):
                refuse_npz_of_other_kind(path, "data")
        except UserError as err:
            click.echo(f"error: {err}", err=True)
            failed = True
            continue
        summary = summarise_npz(path) if path.lower().endswith(".npz") else validate_file(path, skip_bad=skip_bad)
        if as_json:
            click.echo(summary_json(summary))
        elif summary.records or not summary.errors:
            for line in summary.lines():
                click.echo(line)
        if summary.errors:
            for problem in summary.errors:
                click.echo(f"error: {problem}", err=True)
            if skip_bad and summary.skipped:
                more = summary.skipped - len(summary.errors)
                if more > 0:
                    click.echo(f"... and {counted(more, 'more bad record')} in {path}", err=True)
                click.echo(f"{path}: skipped {counted(summary.skipped, 'bad record')}", err=True)
            if not skip_bad or summary.records == 0 or len(summary.errors) > summary.skipped:
                failed = True
    if failed:
        sys.exit(2)


COMMANDS = [gen, validate]
