"""Properties over random well-typed programs (dsl.strategies) and random LEGO sentences."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl.check import check_program, infer
from dsl.errors import DslRuntimeError
from dsl.interp import compile_program
from dsl.parse import load_program, parse_program
from dsl.printer import show
from dsl.strategies import exprs, input_types, inputs_for, lego_clauses, programs
from dsl.values import Record, to_json

LEGO = load_program(Path(__file__).resolve().parents[2] / "examples" / "lego.dsl")
RUN_LEGO = compile_program(LEGO)
FUEL = 20_000

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def _outcome(program, inputs):
    """The output as JSON, or the runtime error's class and message."""
    try:
        return ("ok", to_json(compile_program(program)(inputs, fuel=FUEL)))
    except DslRuntimeError as err:
        return (type(err).__name__, str(err))


@SETTINGS
@given(programs())
def test_print_parse_round_trip(program) -> None:
    text = show(program)
    assert parse_program(text) == program
    assert show(parse_program(text)) == text


@SETTINGS
@given(st.data())
def test_exprs_have_the_requested_type(data) -> None:
    env = {"p": data.draw(input_types()), "q": data.draw(input_types())}
    typ = data.draw(st.sampled_from(list(env.values())))
    e = data.draw(exprs(env, typ, max_depth=2))
    try:
        got = infer(e, env)
    except Exception as err:  # a rule body without a base case is the one allowed refusal
        assert "cannot tell what type" in str(err), show(e)
        return
    assert got == typ, show(e)


@SETTINGS
@given(st.data())
def test_programs_halt_deterministically(data) -> None:
    """Every program halts with a value or a DslRuntimeError (fuel included), the same each time."""
    program = data.draw(programs())
    check_program(program)
    inputs = data.draw(inputs_for(program))
    first = _outcome(program, inputs)  # any other exception fails the test
    assert _outcome(program, inputs) == first
    assert _outcome(parse_program(show(program)), inputs) == first


@SETTINGS
@given(lego_clauses(), st.randoms(use_true_random=False))
def test_lego_output_ignores_clause_order(clauses, rnd) -> None:
    shuffled = list(clauses)
    rnd.shuffle(shuffled)
    assert RUN_LEGO({"clauses": clauses}) == RUN_LEGO({"clauses": tuple(shuffled)})


@SETTINGS
@given(lego_clauses(), st.data())
def test_lego_renaming_variables_renames_output(clauses, data) -> None:
    names = [c.values[0] for c in clauses]
    fresh = data.draw(st.lists(st.text("ABCDEFGHIJ", min_size=1, max_size=4), min_size=len(names), max_size=len(names), unique=True))
    rename = dict(zip(names, fresh))
    rename["_"] = "_"
    renamed = tuple(
        Record(c.names, (rename[c.values[0]], c.values[1], rename[c.values[2]], c.values[3])) for c in clauses
    )
    before = RUN_LEGO({"clauses": clauses})
    after = RUN_LEGO({"clauses": renamed})
    assert dict(after) == {rename[k]: v for k, v in before.items()}
