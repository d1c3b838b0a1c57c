"""A root `if` for a program right on all but a few training examples (EUSolver's unification, one split deep).

The chains' phase (goals.Chain) finds dear programs that are often right on
all but a few examples: the short inputs a task answers with a fixed value
(binary_multiplication's [2] and [0, 2] for one or two tokens), or examples a
chain left to an `if` (ANY). `Repair` completes such a program P into
`if C then A else P`, where C holds on every example P gets wrong and A is
right on every example where C holds. Both come from banks over the training
examples themselves, not the search set, which may hold none of the examples
P misses: conditions from one bank over every example (up to
Settings.goal_condition_cost), a branch from a bank over the examples a
condition picks (up to goal_part_cost), looked up by their outputs. Cheapest
C + A first; deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

from dsl import ast
from dsl.types import BOOL
from synth.search.bank import Bank, Budget
from synth.search.entry import Entry
from synth.search.grammar import Grammar
from synth.search.misses import misses
from tasks.task import Task


@dataclass(frozen=True)
class Repaired:
    """`if C then A else P`, and what C, A and the if add to P's cost."""

    expr: ast.Expr
    extra: int


class Repair:
    """Completes programs for one training set; its banks are built once, when first needed."""

    def __init__(self, task: Task, grammar: Grammar, budget: Budget) -> None:
        self.task = task
        self.grammar = grammar
        self.settings = budget.settings
        # Banks of their own, each capped (Settings.repair_values), so that they
        # neither stop the search nor stay frozen with it; the search's deadline holds.
        cap = self.settings.repair_values
        if budget.max_values is not None:
            cap = min(cap, budget.max_values // 10)
        own = self.settings.with_overrides(bank_values=cap, freeze_values=None, exhaustive_cost=None)
        self.budget = Budget(settings=own)
        self.budget.deadline = budget.deadline
        self._contexts = [dict(ex.inputs) for ex in task.train]
        self._conditions: Bank | None = None
        self._branches: dict[tuple[int, ...], Bank] = {}

    def __call__(self, body: ast.Expr, max_extra: int) -> Repaired | None:
        """The cheapest `if C then A else body` right on every training example that adds at most `max_extra` to
        the cost (the search's max_cost less the body's), or None."""
        wrong = self._wrong(body)
        most = int(self.settings.repair_share * len(self.task.train))
        if not wrong or len(wrong) > most:
            return None
        if_cost = self.grammar.weight("if")
        best: Repaired | None = None
        for cond in self._covering(wrong, most):
            if if_cost + cond.cost + 1 > (max_extra if best is None else best.extra - 1):
                break  # conditions come cheapest first: no dearer one fits, or can win
            picked = tuple(i for i, v in enumerate(cond.values) if v is True)
            room = max_extra - if_cost - cond.cost
            branch = self._branch(picked, min(self.settings.goal_part_cost, room) if best is None else best.extra - if_cost - cond.cost - 1)
            if branch is not None:
                best = Repaired(ast.If(cond.expr, branch.expr, body), if_cost + cond.cost + branch.cost)
        return best

    def _wrong(self, body: ast.Expr) -> list[int]:
        """The training examples the program gets wrong (fails on, or answers differently)."""
        program = ast.Program(tuple(ast.Param(n, t) for n, t in self.task.input_types), body)
        return [m.index for m in misses(self.task, program, self.settings.check_fuel)]

    def _covering(self, wrong: list[int], most: int) -> list[Entry]:
        """Conditions true on every example in `wrong` and on at most `most` in all, cheapest first."""
        if self._conditions is None:
            self._conditions = Bank(dict(self.task.input_types), self._contexts, self.grammar, self.budget)
        out = []
        for c in range(1, self.settings.goal_condition_cost + 1):
            for e in self._conditions.of_type(c, BOOL):
                if not e.special and all(e.values[i] is True for i in wrong) and sum(v is True for v in e.values) <= most:
                    out.append(e)
        return out

    def _branch(self, picked: tuple[int, ...], max_cost: int) -> Entry | None:
        """The cheapest expression (at most `max_cost`) with the outputs of the picked examples on them."""
        bank = self._branches.get(picked)
        if bank is None:
            bank = self._branches[picked] = Bank(
                dict(self.task.input_types), [self._contexts[i] for i in picked], self.grammar, self.budget)
        want = tuple(self.task.train[i].output for i in picked)
        for c in range(1, max_cost + 1):
            bank.at(c)
            hit = bank.lookup(self.task.output_type, want)
            if hit is not None:  # (the bank is kept between calls: a dearer level may be built already)
                return hit if hit.cost <= max_cost else None
        return None
