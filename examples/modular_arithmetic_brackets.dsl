# Modular arithmetic with brackets (tasks/dcf/modular_arithmetic_brackets.py,
# built with '*' as in the paper's runs): digits 0..4, 5 '+', 6 '-', 7 '*',
# 8 '(', 9 ')'. Expressions are d, -d, (d), (-d) or (E op E); value mod 5.
#
# A shift-reduce evaluator in one fold. The stack (top first) holds values
# 0..4, operators 5..7 and open brackets 8. A '-' that follows no operand
# (the start, '(' or an operator) is a unary minus: it negates the next digit.
# ')' either unwraps (v) or replaces ( a op b with the value of a op b.
input xs: List[Int]
let final =
  fold (s, x) ->
    let unary = x == 6 and s.prev > 4 and s.prev != 9 in
    let st =
      if x < 5 then [(if s.neg then 5 - x else x) mod 5] + s.st
      else if unary then s.st
      else if x < 9 then [x] + s.st
      else if s.st[1] == 8 then [s.st[0]] + [s.st[i + 2] for i in range(len(s.st) - 2)]
      else
        let a = s.st[2] in
        let b = s.st[0] in
        [(if s.st[1] == 5 then a + b else if s.st[1] == 6 then a - b else a * b) mod 5]
          + [s.st[i + 4] for i in range(len(s.st) - 4)]
    in {st: st, neg: unary, prev: x}
  from {st: [x for x in xs if false], neg: false, prev: 8} over xs in
final.st[0]
