# Solve equation (tasks/dcf/solve_equation.py): digits 0..4, 5 '+', 6 '-',
# 7 '(', 8 ')', 9 'x', 10 '='. The input is a bracketed expression holding
# one unknown x, then '=' and its value; the answer is x mod 5. Inputs shorter
# than 3 tokens are the code's all-zero filler, answer 0.
#
# Try each candidate v in 0..4: evaluate the left side with x = v by the
# same shift-reduce fold as modular_arithmetic_brackets (no '*' here) and keep
# the v whose value matches the right side. Without '*' there is exactly one.
input xs: List[Int]
let n = len(xs) in
if n < 3 then 0 else
let lhs = [xs[i] for i in range(n - 2)] in
let fits = [v for v in range(5) if
  (fold (s, x) ->
     let unary = x == 6 and s.prev > 4 and s.prev < 8 in
     let st =
       if x < 5 or x == 9 then [((if x == 9 then v else x) * (if s.neg then 4 else 1)) mod 5] + s.st
       else if unary then s.st
       else if x < 8 then [x] + s.st
       else if s.st[1] == 7 then [s.st[0]] + [s.st[i + 2] for i in range(len(s.st) - 2)]
       else [(if s.st[1] == 5 then s.st[2] + s.st[0] else s.st[2] - s.st[0]) mod 5]
              + [s.st[i + 4] for i in range(len(s.st) - 4)]
     in {st: st, neg: unary, prev: x}
   from {st: [x for x in xs if false], neg: false, prev: 7} over lhs).st[0] == xs[n - 1]] in
fits[0]
